/**
 * The cross-version property of a run over several api-versions (`--api-versions`): the same seed sends the same
 * cases to every version wherever the schemas agree, so a request that is valid under both versions and was sent
 * to both must get the same verdict at both (the same status class, failing checks at neither or both), and what
 * the answers say of the members the request set must agree — unless the diff of the two versions names the
 * member, or the service sets it afresh on every write (VOLATILE). Only the request's own members: the rest of an
 * answer is the resource's state, which the cases between the two calls changed. Judged under profile service only: a mock's
 * answers are per-version examples, not behaviour.
 */
import type { CaseRecord, RunEvent } from '../events/types.js';
import { diffOperation, loadVersion } from '../diff/index.js';
import { loadOperations, type Operation } from '../model/registry.js';
import { refusedForMissingIfMatch } from '../rules/if-match.js';

/** Members a service writes on every call (timestamps): two calls never agree on them. */
const VOLATILE: readonly RegExp[] = [/\/attributes\/(updated|created)$/, /\/lastStatus\/timeStampUtc$/];

/** Properties whose cases depend on what ran before them (sequences) or on the version's own examples. */
const UNPAIRED = new Set(['stateful', 'examples', 'served']);

interface Sent {
  readonly apiVersion: string;
  readonly request: string;
  readonly statusClass: string;
  readonly failed: boolean;
  readonly body: unknown;
  /** The pointers the request body sets (leaves). */
  readonly sent: ReadonlySet<string>;
  readonly valid: boolean;
  /** Refused for a missing If-Match: depends on whether an earlier version's call created the entity. */
  readonly precondition: boolean;
}

export interface CrossVersionDifference {
  readonly operation: string;
  readonly caseKey: string;
  readonly versions: readonly [string, string];
  readonly what: string;
}

/** Leaf values of a JSON answer by pointer (array indices kept). */
function leaves(v: unknown, at = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(v)) v.forEach((x, i) => leaves(x, `${at}/${i}`, out));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) leaves(x, `${at}/${k}`, out);
  else out.set(at, JSON.stringify(v));
  return out;
}

const schemaPath = (pointer: string): string => pointer.replace(/\/\d+(?=\/|$)/g, '/[]');

export class CrossVersionTally {
  private profile: string | undefined;
  private readonly cases = new Map<string, Sent[]>();
  private ops?: ReadonlyMap<string, Operation>;
  /** Every version of each operation the run (or, merged, any of its shards) selected. */
  private readonly versions = new Map<string, Set<string>>();

  handle(e: RunEvent): void {
    if (e.type === 'run-started') {
      this.profile = e.profile;
      for (const op of e.operations) {
        let vs = this.versions.get(op.id);
        if (!vs) this.versions.set(op.id, (vs = new Set()));
        vs.add(op.apiVersion);
      }
    }
    if (e.type !== 'case-done' || this.profile !== 'service' || UNPAIRED.has(e.case.property) || !e.case.response) return;
    const c = e.case;
    // An operation run at one version has nothing to pair its cases with: keeping each case's bodies, leaves and
    // strict validation cost ~10% of the CLI's CPU per exchange (and kept every answer alive) for no finding.
    if ((this.versions.get(c.operation.id)?.size ?? 0) < 2) return;
    const index = c.id.slice(c.id.lastIndexOf('/') + 1);
    const key = `${c.operation.id}|${c.property}|${index}`;
    const list = this.cases.get(key) ?? [];
    list.push({
      apiVersion: c.operation.apiVersion,
      request: `${c.request.method} ${c.request.url.replace(/[?&]api-version=[^&]*/, '')} ${JSON.stringify(c.request.body ?? null)}`,
      // 429 apart: throttling is no status class of an answer to the request.
      statusClass: c.response?.status === 429 ? '429' : `${Math.floor((c.response?.status ?? 0) / 100)}xx`,
      failed: e.outcomes.some((o) => o.status === 'failed'),
      body: c.response?.body,
      sent: new Set(leaves(c.request.body).keys()),
      valid: c.expect === 'accept' && this.validAt(c),
      precondition: refusedForMissingIfMatch(c.response?.status ?? 0, c.request.headers, this.operation(c)?.model.parameters ?? [], c.response?.body),
    });
    this.cases.set(key, list);
  }

  private operation(c: CaseRecord): Operation | undefined {
    this.ops ??= new Map(loadOperations().map((o) => [`${o.id}@${o.apiVersion}`, o]));
    return this.ops.get(`${c.operation.id}@${c.operation.apiVersion}`);
  }

  private validAt(c: CaseRecord): boolean {
    const op = this.operation(c);
    const strict = op?.validators.request.body?.strict;
    return !strict || c.request.body === undefined || strict(c.request.body);
  }

  /** Every difference between the first version a case went to and each later one. */
  differences(): CrossVersionDifference[] {
    const named = new Map<string, Set<string>>();
    const namedBy = (operation: string, a: string, b: string): Set<string> => {
      const k = `${operation}|${a}|${b}`;
      let s = named.get(k);
      if (!s) {
        const d = diffOperation(operation, { label: a, doc: loadVersion(operation, a).doc }, { label: b, doc: loadVersion(operation, b).doc });
        named.set(k, (s = new Set(d.changes.filter((c) => c.side === 'response').map((c) => c.location.replace(/^\S+ /, '')))));
      }
      return s;
    };
    const out: CrossVersionDifference[] = [];
    for (const [key, list] of this.cases) {
      const [first, ...rest] = list;
      if (!first?.valid) continue;
      const operation = key.split('|')[0] ?? '';
      for (const other of rest) {
        if (!other.valid || other.request !== first.request || other.apiVersion === first.apiVersion) continue;
        // The first call may have created what the later one updates: a refusal for the missing If-Match is state.
        // A 429 is the service's load, not its verdict on the request (RFC 6585 §4).
        if (first.precondition || other.precondition || first.statusClass === '429' || other.statusClass === '429') continue;
        const versions = [first.apiVersion, other.apiVersion] as const;
        const at = (what: string): void => void out.push({ operation, caseKey: key, versions, what });
        if (first.statusClass !== other.statusClass) at(`answered ${first.statusClass} at ${first.apiVersion}, ${other.statusClass} at ${other.apiVersion}`);
        else if (first.failed !== other.failed) at(`failed a check at ${first.failed ? first.apiVersion : other.apiVersion} only`);
        if (first.statusClass !== '2xx' || other.statusClass !== '2xx') continue;
        const a = leaves(first.body);
        const b = leaves(other.body);
        const skip = namedBy(operation, first.apiVersion, other.apiVersion);
        for (const p of first.sent) {
          if (VOLATILE.some((r) => r.test(p)) || [...skip].some((s) => schemaPath(p) === s || schemaPath(p).startsWith(`${s}/`))) continue;
          if (a.get(p) !== b.get(p)) at(`${p || '/'}: ${a.get(p) ?? 'absent'} at ${first.apiVersion}, ${b.get(p) ?? 'absent'} at ${other.apiVersion}`);
        }
      }
    }
    return out;
  }
}
