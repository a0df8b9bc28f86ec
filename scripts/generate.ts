/**
 * `npm run generate` writes generated/ from specs/ (types, AJV standalone validators, model data, index).
 * `npm run generate -- --check` writes nothing and fails when generated/ differs from what specs/ produce.
 * Exit codes: 0 ok, 1 generated/ is stale (--check), 2 a spec is broken.
 */
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generatedFiles } from './generate/outputs.js';
import { SpecError } from './generate/load-spec.js';

// npm runs scripts from the project root; tests point it at a scratch project the same way.
const root = process.cwd();
const check = process.argv.includes('--check');

async function existing(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(path.join(root, dir), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...(await existing(rel)));
    else out.push(rel);
  }
  return out;
}

async function main(): Promise<number> {
  let files: Map<string, string>;
  try {
    files = await generatedFiles(root);
  } catch (err) {
    const msg = err instanceof SpecError ? err.message : `generation failed: ${(err as Error).message}`;
    console.error(`azconform generate: ${msg}`);
    return 2;
  }
  const onDisk = await existing('generated');
  if (check) {
    const stale: string[] = [];
    for (const [rel, content] of files) {
      const current = await readFile(path.join(root, rel), 'utf8').catch(() => undefined);
      if (current !== content) stale.push(current === undefined ? `missing  ${rel}` : `differs  ${rel}`);
    }
    for (const rel of onDisk) if (!files.has(rel)) stale.push(`extra    ${rel}`);
    if (stale.length > 0) {
      console.error(`generated/ is stale; run \`npm run generate\` and commit the result:\n  ${stale.join('\n  ')}`);
      return 1;
    }
    console.log(`generated/ is up to date (${files.size} files)`);
    return 0;
  }
  for (const rel of onDisk) if (!files.has(rel)) await rm(path.join(root, rel));
  for (const [rel, content] of files) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
  console.log(`wrote ${files.size} files to generated/`);
  return 0;
}

process.exitCode = await main();
