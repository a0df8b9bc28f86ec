import { readFile } from 'node:fs/promises';
import { parseBaseline, type Baseline } from '../gate/baseline.js';
import { UsageError } from './exit-codes.js';

/** --baseline FILE, read and checked: every problem named, as a usage error. */
export async function loadBaseline(file: string): Promise<Baseline> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (err) {
    throw new UsageError(`cannot read baseline ${file}: ${(err as Error).message}`);
  }
  const { baseline, errors } = parseBaseline(doc);
  if (errors.length > 0) throw new UsageError(`baseline ${file}: ${errors.join('; ')}`);
  return baseline;
}

export function statusList(raw: string | undefined): string[] {
  const list = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((s) => !/^[1-5]\d\d$/.test(s));
  if (bad.length > 0) throw new UsageError(`--require-statuses takes HTTP statuses like 201,404,412, got ${bad.join(', ')}`);
  return list;
}

/** --min-coverage N: a whole percentage, 0 to 100. */
export function minCoverage(raw: string | number | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new UsageError(`--min-coverage takes a percentage from 0 to 100, got ${JSON.stringify(raw)}`);
  return n;
}
