/**
 * A spec file's parsed document, from a JSON copy keyed by the YAML's own hash. Parsing the seed YAML files
 * costs 0.3–1 s of CPU, and it lies on the path before Prism can start (the merged document is built from it);
 * JSON.parse of the same document is a few ms. The copies live in node_modules/.cache/azconform/ (npm ci
 * empties it; `npm run build` fills it); a file whose text changed has a new hash, so a copy is never stale.
 * A cache that cannot be written is no error: the YAML is parsed as before.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export function specCacheDir(root: string): string {
  return path.join(root, 'node_modules', '.cache', 'azconform', 'specs');
}

export async function readSpecDocument(root: string, file: string): Promise<unknown> {
  const text = await readFile(path.join(root, file), 'utf8');
  const dir = specCacheDir(root);
  const copy = path.join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 40)}.json`);
  try {
    return JSON.parse(await readFile(copy, 'utf8')) as unknown;
  } catch {
    // no copy yet (or a broken one): parse the YAML and write one
  }
  // Loaded only on a miss: a run with every copy in place never pays for the YAML parser.
  const { parse } = await import('yaml');
  const doc: unknown = parse(text);
  try {
    await mkdir(dir, { recursive: true });
    // Written aside and renamed: a concurrent run never reads half a copy.
    const part = `${copy}.${process.pid}.part`;
    await writeFile(part, JSON.stringify(doc));
    await rename(part, copy);
  } catch {
    // read-only tree or no node_modules: no cache, same document
  }
  return doc;
}
