/**
 * Azure's order of api-versions: numbered ones (7.0 … 7.6) before dated ones (2016-10-01 …), numerically within
 * each, and a preview before the release it leads to (7.6-preview.1 < 7.6-preview.2 < 7.6). Plain string order
 * puts 7.6 before its previews, which would pair the wrong neighbours in a diff or a regression run.
 */
export function compareApiVersions(a: string, b: string): number {
  const key = (v: string): { dated: number; base: string; preview: string | undefined } => {
    const m = /^(.*?)(?:-preview(.*))?$/.exec(v);
    const base = m?.[1] ?? v;
    return { dated: /^\d{4}-/.test(base) ? 1 : 0, base, preview: m?.[2] };
  };
  const x = key(a);
  const y = key(b);
  if (x.dated !== y.dated) return x.dated - y.dated;
  const byBase = x.base.localeCompare(y.base, 'en', { numeric: true });
  if (byBase !== 0) return byBase;
  if (x.preview === undefined || y.preview === undefined) return (x.preview === undefined ? 1 : 0) - (y.preview === undefined ? 1 : 0);
  return x.preview.localeCompare(y.preview, 'en', { numeric: true });
}
