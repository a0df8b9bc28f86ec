/**
 * A maintainer's tool, never run by the build or the tests: gathers the example files of the four operations from
 * a checkout of Azure's azure-rest-api-specs (every version present) into tests/fixtures/reference-examples.json,
 * which tests/independent/reference-examples.test.ts replays. Run it again when Azure publishes a version.
 *
 *   tsx scripts/reference-examples.ts [DIR]   (DIR holds azure-rest-api-specs/; default $AZCONFORM_REFERENCE)
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { OPERATIONS } from '../tests/independent/reference-operations.js';

const dir = process.argv[2] ?? process.env.AZCONFORM_REFERENCE;
if (!dir || !existsSync(join(dir, 'azure-rest-api-specs'))) {
  console.error('usage: tsx scripts/reference-examples.ts DIR   (DIR holds a checkout of azure-rest-api-specs/)');
  process.exit(2);
}
const root = join(dir, 'azure-rest-api-specs');

const files = (d: string): string[] =>
  readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? files(p) : name.endsWith('.json') && p.includes('/examples/') ? [p] : [];
  });

const examples = files(join(root, 'specification'))
  .filter((f) => OPERATIONS.some((o) => o.file.test(f.split('/').pop() ?? '')))
  .map((f) => ({ file: relative(root, f), example: JSON.parse(readFileSync(f, 'utf8')) as unknown }))
  .sort((a, b) => a.file.localeCompare(b.file));
const out = join(import.meta.dirname, '../tests/fixtures/reference-examples.json');
writeFileSync(out, `${JSON.stringify({ source: 'Azure/azure-rest-api-specs (MIT), example files under specification/', examples }, null, 1)}\n`);
console.log(`wrote ${examples.length} example files to ${relative(process.cwd(), out)}`);
