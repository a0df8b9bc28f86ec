/**
 * Where two JSON values differ, as JSON pointers marked `+` (only after), `-` (only before) or `~` (changed).
 * Object member order never matters; array order does (callers sort what the service does not keep in order).
 */
export interface Difference {
  readonly op: '+' | '-' | '~';
  readonly path: string;
}

const isObj = (v: unknown): v is { [k: string]: unknown } => typeof v === 'object' && v !== null && !Array.isArray(v);
const escape = (k: string): string => k.replace(/~/g, '~0').replace(/\//g, '~1');

export function diff(before: unknown, after: unknown, path = ''): Difference[] {
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => {
      const p = `${path}/${escape(k)}`;
      if (!(k in after) || after[k] === undefined) return before[k] === undefined ? [] : [{ op: '-' as const, path: p }];
      if (!(k in before) || before[k] === undefined) return [{ op: '+' as const, path: p }];
      return diff(before[k], after[k], p);
    });
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => diff(b, after[i], `${path}/${i}`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ op: '~', path: path || '/' }];
}

/** `+/policy/key_props/crv, ~/tags/department` (at most `max`, then how many more). */
export function describeDiff(ds: readonly Difference[], max = 6): string {
  const shown = ds.slice(0, max).map((d) => `${d.op}${d.path}`);
  return ds.length > max ? `${shown.join(', ')} and ${ds.length - max} more` : shown.join(', ');
}
