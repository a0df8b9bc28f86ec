import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let found: string | undefined;

/**
 * The package root, where specs/ and package.json ship: found upwards from this file, so the same code works from
 * src/ (tsx) and from its compiled copy under dist/.
 */
export function packageRoot(): string {
  if (found) return found;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'specs')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return (found = dir);
}
