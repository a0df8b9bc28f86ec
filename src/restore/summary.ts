/**
 * Snapshot and restore items in words: one line for the terminal and summary.json, plus one line per problem
 * (identical problems grouped, so a target without DELETE does not print a hundred lines).
 */
import type { RestoreItem } from '../events/types.js';

const NOUNS: { readonly [r in RestoreItem['resource']]: readonly [one: string, many: string] } = {
  contacts: ['certificate contacts', 'certificate contacts'],
  certificate: ['certificate', 'certificates'],
  'access-policies': ['access-policy identity', 'access-policy identities'],
  'apim-certificate': ['API Management certificate', 'API Management certificates'],
  provisioned: ['provisioned certificate', 'provisioned certificates'],
  target: ['target', 'targets'],
};

const counted = (resource: RestoreItem['resource'], n: number): string => {
  const [one, many] = NOUNS[resource];
  return resource === 'contacts' ? one : `${n} ${n === 1 ? one : many}`;
};

const isProblem = (i: RestoreItem): boolean => i.outcome !== 'ok';

/** `restore: restored certificate contacts, 1 certificate, 23 access-policy identities; verified 3 of 3; 1 failed`. */
export function restoreLine(items: readonly RestoreItem[]): string {
  const done = items.filter((i) => i.outcome === 'ok' && i.action !== 'verify' && i.action !== 'snapshot' && i.resource !== 'provisioned');
  const removed = items.filter((i) => i.resource === 'provisioned' && i.action === 'delete' && i.outcome === 'ok');
  const purged = new Set(items.filter((i) => i.resource === 'provisioned' && i.action === 'purge' && i.outcome === 'ok').map((i) => i.subject));
  const totals = new Map<RestoreItem['resource'], number>();
  for (const i of done) totals.set(i.resource, (totals.get(i.resource) ?? 0) + (i.count ?? 1));
  const restored = [...totals].map(([r, n]) => counted(r, n)).join(', ');
  const checks = items.filter((i) => i.action === 'verify');
  const failed = items.filter((i) => i.outcome === 'failed').length;
  const warnings = items.filter((i) => i.outcome === 'warning').length;
  const parts = [
    restored ? `restored ${restored}` : items.length === 0 ? 'nothing to restore (the run changed nothing the kit tracks)' : removed.length > 0 ? '' : 'nothing restored',
    ...removed.map((i) => `removed the provisioned ${i.subject}${purged.has(i.subject) ? ' (deleted and purged)' : ''}`),
    ...(checks.length > 0 ? [`verified ${checks.filter((i) => i.outcome === 'ok').length} of ${checks.length} equal to the snapshot`] : []),
    ...(failed > 0 ? [`${failed} failed`] : []),
    ...(warnings > 0 ? [`${warnings} warning(s)`] : []),
  ];
  return `restore: ${parts.filter(Boolean).join('; ')}`;
}

/** `snapshot: certificate contacts (none), vault sample-vault (1 access policy); could not snapshot 1 — see below`. */
export function snapshotLine(items: readonly RestoreItem[]): string {
  const ok = items.filter((i) => i.outcome === 'ok').map((i) => `${i.subject}${i.detail ? ` (${i.detail})` : ''}`);
  const bad = items.filter(isProblem).length;
  return `snapshot: ${ok.length > 0 ? ok.join(', ') : 'none taken'}${bad > 0 ? `; ${bad} problem(s):` : ''}`;
}

/**
 * One line per distinct problem, the first item standing for its group: `✗ API Management certificate a and 86
 * more (delete): DELETE …/certificates/a answered 405 (…)`. Failed requests group by their short answer.
 */
export function problemLines(items: readonly RestoreItem[]): string[] {
  const groups = new Map<string, { item: RestoreItem; n: number }>();
  for (const i of items.filter(isProblem)) {
    const key = [i.resource, i.action, i.outcome, i.answer ?? i.detail ?? ''].join('\u0000');
    const g = groups.get(key);
    if (g) g.n++;
    else groups.set(key, { item: i, n: 1 });
  }
  return [...groups.values()].map(({ item: i, n }) => `${i.outcome === 'failed' ? '✗' : '!'} ${i.subject}${n > 1 ? ` and ${n - 1} more` : ''} (${i.action}): ${i.detail ?? 'no detail'}`);
}

/** What a file report shows of a run's snapshot and restore: one summary line and the problems. */
export function restoreSummary(r: { readonly snapshot: readonly RestoreItem[]; readonly restore?: readonly RestoreItem[] }): { summary: string; problems: string[] } {
  return {
    summary: r.restore ? restoreLine(r.restore) : snapshotLine(r.snapshot),
    problems: problemLines([...r.snapshot, ...(r.restore ?? [])]),
  };
}
