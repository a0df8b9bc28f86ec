/** JSON pointers (RFC 6901) and immutable edits of plain JSON values along a path. */
import { isRecord } from './schema.js';

export type Path = readonly (string | number)[];

export const pointer = (path: Path): string => path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

export function getAt(value: unknown, path: Path): unknown {
  let cur = value;
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg];
    else if (isRecord(cur) && typeof seg === 'string') cur = cur[seg];
    else return undefined;
  }
  return cur;
}

/**
 * A copy of `root` with the value at `path` replaced (or removed when `next` is `REMOVE`). Missing containers
 * on the way are created: objects for names, arrays for indexes.
 */
export const REMOVE: unique symbol = Symbol('remove');

export function setAt(root: unknown, path: Path, next: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return next;
  if (typeof head === 'number') {
    const arr = Array.isArray(root) ? [...(root as unknown[])] : [];
    if (rest.length === 0 && next === REMOVE) arr.splice(head, 1);
    else arr[head] = setAt(arr[head], rest, next);
    return arr;
  }
  const obj: Record<string, unknown> = isRecord(root) ? { ...root } : {};
  if (rest.length === 0 && next === REMOVE) delete obj[head];
  else obj[head] = setAt(obj[head], rest, next);
  return obj;
}
