import fc from 'fast-check';
import type { TokenOf } from '../auth/tokens.js';
import type { Case } from '../cases/case.js';
import { buildRequest } from '../cases/request.js';
import { operationServed } from '../checks/operation-served.js';
import { runChecks, type CheckOutcome } from '../checks/run.js';
import type { Profile } from '../checks/types.js';
import type { EventBus } from '../events/bus.js';
import type { CaseRecord, Totals, Violation } from '../events/types.js';
import type { Exchange } from '../http/exchange.js';
import type { HttpClient, SendResult } from '../http/client.js';
import { retrying, THROTTLED } from '../http/retry.js';
import type { Operation } from '../model/registry.js';
import type { Pkcs12Certificate } from '../pki/pkcs12.js';
import { redactExchange } from '../reports/redacted-exchange.js';
import { operationConstraints } from '../properties/constraints.js';
import { prepare } from '../properties/prepare.js';
import type { CaseInput, PropertyContext, PropertyDef, SequenceDef, StepInput } from '../properties/types.js';
import { FIXTURE_PATH_PARAMS, type Fixtures } from '../targets/fixtures.js';
import { timeBudget } from './budget.js';
import { deriveSeed, limiter } from './limiter.js';
import { sequenceProperty, type StepFailed, type Trail } from './sequence.js';
import { ShrinkGuard } from './shrink-guard.js';

export interface EngineOptions {
  /** Where each operation's requests go (vault URL for the data plane, ARM root otherwise). */
  readonly baseUrl: (op: Operation) => string;
  readonly profile: Profile;
  readonly seed: number;
  readonly runs: number;
  readonly concurrency: number;
  /** Each plane's bearer token as of now (renewed in the background under --auth azure). */
  readonly token: TokenOf;
  readonly fixtures: Fixtures;
  readonly certificates: readonly Pkcs12Certificate[];
  readonly client: HttpClient;
  readonly bus: EventBus;
  /**
   * Resolves when every operation of the run has finished its stateless properties: sequences run after it, so
   * no fuzz case changes a resource while a model of it is being checked. Absent: no other operation to wait for.
   */
  readonly quiet?: () => Promise<void>;
}

/** Resolves on the event loop's check phase (after the I/O callbacks of this turn and the writes they queued). */
const checkPhase = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What an exchange of a stopped engine gives: nothing, ever (the session is being interrupted). */
const FROZEN = new Promise<never>(() => undefined);

/** After this long a property starts no new run or shrink step: a flaky target cannot keep a run going forever. */
const SHRINK_BUDGET_MS = 120_000;

/**
 * Sequence runs under the mock profile: a stateless mock gives a model nothing to judge beyond single answers. Not
 * fewer: a sequence without a prologue (access policies) sends nothing until it draws its first add, and fast-check's
 * first runs are short, so five runs sent no request at all for some seeds.
 */
const MOCK_SEQUENCE_RUNS = 15;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Tally = Mutable<OperationResult>;

export interface OperationResult {
  readonly cases: number;
  readonly violations: number;
  readonly checks: number;
  readonly skipped: number;
  readonly notes: number;
}

/**
 * The engine: for one operation, run each property (a table sent once, or a fast-check property that shrinks on
 * failure), judge every exchange with the checks, and emit events. It never prints and never decides exit codes.
 */
export class Engine {
  private readonly slot: <T>(task: () => Promise<T>) => Promise<T>;
  /** One sequence at a time across the whole run: two models of one certificate must not interleave. */
  private readonly alone = limiter(1);
  private stopped = false;
  private inFlight = 0;
  private readonly fixtureParams = new Map<string, { readonly [k: string]: string }>();

  /** The client, waiting out throttling (429/503 with Retry-After) within the request's slot. */
  private readonly send: (req: Case['request']) => Promise<SendResult>;

  /** Aborted by stop(): a throttled request waits no more and is not sent again. */
  private readonly halt = new AbortController();

  constructor(private readonly opts: EngineOptions) {
    this.slot = limiter(opts.concurrency);
    this.send = retrying((req) => opts.client.send(req), { ...THROTTLED, signal: this.halt.signal });
  }

  async runOperation(op: Operation, properties: readonly PropertyDef[], arrive: (() => Promise<void>) | undefined = this.opts.quiet): Promise<OperationResult> {
    const started = performance.now();
    const ref = { id: op.id, apiVersion: op.apiVersion };
    const tally: Tally = { cases: 0, violations: 0, checks: 0, skipped: 0, notes: 0 };
    const ctx: PropertyContext = { operation: op, fixtures: this.opts.fixtures, profile: this.opts.profile, certificates: this.opts.certificates };
    // The body's constraints, so a report can tell which of them the run broke (coverage.constraints).
    const constraints = operationConstraints(ctx).all;
    this.opts.bus.emit({ type: 'operation-started', operation: ref, properties: properties.map((p) => p.name), constraints });
    const notServed = await this.probeServed(op, properties, ctx, tally);
    if (notServed) {
      // Reported once (the probe's violation); every property is skipped with the reason, none sends a request.
      void arrive?.();
      for (const p of properties) {
        tally.skipped++;
        this.opts.bus.emit({ type: 'property-done', operation: ref, property: p.name, cases: 0, failed: false, seed: deriveSeed(this.opts.seed, op.id, p.name), skipped: notServed });
      }
      this.opts.bus.emit({ type: 'operation-done', operation: ref, cases: tally.cases, violations: tally.violations, skipped: tally.skipped, durationMs: performance.now() - started });
      return tally;
    }
    let quiet: Promise<void> | undefined;
    try {
      await Promise.all(
        properties.map((p) => {
          const ready = prepare(p, ctx);
          return 'table' in ready ? this.runTable(p.name, ready.table, op, tally) : 'arbitrary' in ready ? this.runProperty(p.name, ready.arbitrary, op, tally) : undefined;
        }),
      );
    } finally {
      // Arrive (once) also after a failure, or the other operations would wait at the barrier forever.
      quiet = arrive?.();
    }
    await quiet;
    for (const p of properties) {
      const ready = 'sequence' in p ? prepare(p, ctx) : undefined;
      if (ready && 'sequence' in ready) await this.alone(() => this.runSequence(p.name, ready.sequence, op, tally));
    }
    this.opts.bus.emit({ type: 'operation-done', operation: ref, cases: tally.cases, violations: tally.violations, skipped: tally.skipped, durationMs: performance.now() - started });
    return tally;
  }

  /**
   * Send the operation's first request alone (its first success example, else the first accepted case of a table)
   * and judge only whether the target serves the operation (operation.served). Returns the reason when it does
   * not; a served operation's probe is one more case, its answer judged by its property later like any other.
   */
  private async probeServed(op: Operation, properties: readonly PropertyDef[], ctx: PropertyContext, tally: Tally): Promise<string | undefined> {
    let input: CaseInput | undefined;
    for (const p of properties) {
      if (!('table' in p)) continue;
      const ready = prepare(p, ctx);
      input = 'table' in ready ? ready.table.find((i) => i.expect === 'accept') : undefined;
      if (input) break;
    }
    if (!input) return undefined;
    const seed = deriveSeed(this.opts.seed, op.id, 'served');
    const c = this.toCase(op, 'served', 0, { ...input, kind: 'served' }, seed);
    const sent = await this.transmit(c);
    const ex: Exchange = { case: c, ...sent };
    const outcomes = runChecks(ex, { profile: this.opts.profile }, [operationServed]);
    this.record(ex, outcomes, 'served', tally);
    const found = this.violations(ex, outcomes, 'served', seed, undefined, undefined);
    tally.violations += found.length;
    return found[0]?.message;
  }

  private async runTable(property: string, inputs: readonly CaseInput[], op: Operation, tally: Tally): Promise<void> {
    const seed = deriveSeed(this.opts.seed, op.id, property);
    let failed = false;
    await Promise.all(
      inputs.map(async (input, i) => {
        const c = this.toCase(op, property, i, input, seed);
        const { ex, outcomes } = await this.exchange(c);
        this.record(ex, outcomes, property, tally);
        const vs = this.violations(ex, outcomes, property, seed, undefined, undefined);
        tally.violations += vs.length;
        failed ||= vs.length > 0;
      }),
    );
    this.opts.bus.emit({ type: 'property-done', operation: { id: op.id, apiVersion: op.apiVersion }, property, cases: inputs.length, failed, seed });
  }

  private async runProperty(property: string, arb: fc.Arbitrary<CaseInput> | undefined, op: Operation, tally: Tally): Promise<void> {
    if (!arb) return;
    const seed = deriveSeed(this.opts.seed, op.id, property);
    let n = 0;
    let shrinking = false;
    let last: { ex: Exchange; outcomes: CheckOutcome[] } | undefined;
    const guard = new ShrinkGuard();
    const prop = fc.asyncProperty(arb, async (input) => {
      const c = this.toCase(op, property, n, input, seed);
      const { ex, outcomes } = await this.exchange(c);
      guard.saw(ex);
      const failed = outcomes.some((o) => o.status === 'failed');
      if (!shrinking) {
        n++;
        this.record(ex, outcomes, property, tally);
      } else this.shrinkStep(ex, outcomes, property);
      if (failed) {
        shrinking = true;
        guard.startShrinking();
        last = { ex, outcomes };
      }
      return !failed;
    });
    const details = await fc.check(prop, { seed, numRuns: this.opts.runs, endOnFailure: false, maxSkipsPerRun: 100, plugins: [timeBudget(SHRINK_BUDGET_MS), guard.plugin()] });
    if (details.failed && last) {
      tally.violations += this.violations(last.ex, last.outcomes, property, seed, details.counterexamplePath ?? undefined, shrinkOf(details, guard)).length;
    }
    this.opts.bus.emit({ type: 'property-done', operation: { id: op.id, apiVersion: op.apiVersion }, property, cases: n, failed: details.failed, seed, ...(details.counterexamplePath ? { path: details.counterexamplePath } : {}) });
  }

  private async runSequence(property: string, def: SequenceDef<object> | undefined, op: Operation, tally: Tally): Promise<void> {
    if (!def) return;
    const seed = deriveSeed(this.opts.seed, op.id, property);
    const runs = this.opts.profile === 'mock' ? Math.min(this.opts.runs, MOCK_SEQUENCE_RUNS) : this.opts.runs;
    let n = 0;
    let shrinking = false;
    let last: { trail: Trail; failure: StepFailed } | undefined;
    const guard = new ShrinkGuard();
    // Which run of the sequence a step belongs to: reports keep a failing step together with the steps before it.
    let run = 0;
    const send = async (input: StepInput): Promise<{ ex: Exchange; outcomes: CheckOutcome[] }> => {
      const c = this.toCase(op, property, n, input, seed);
      const sent = await this.exchange(c);
      guard.saw(sent.ex);
      if (!shrinking) {
        n++;
        this.record(sent.ex, sent.outcomes, property, tally, run);
      } else this.shrinkStep(sent.ex, sent.outcomes, property, run);
      return sent;
    };
    const prop = sequenceProperty(def, send, (trail, failure) => {
      run++;
      if (!failure) return;
      shrinking = true;
      guard.startShrinking();
      last = { trail, failure };
    });
    const details = await fc.check(prop, { seed, numRuns: runs, endOnFailure: false, maxSkipsPerRun: 100, plugins: [timeBudget(SHRINK_BUDGET_MS), guard.plugin()] });
    if (details.failed && last) {
      const steps = last.trail.exchanges.map((e, i) => `# step ${i + 1}: ${e.case.label ?? e.case.id}\n${redactExchange(e).curl}`).join('\n');
      const found = this.violations(last.failure.ex, last.failure.outcomes, property, seed, details.counterexamplePath ?? undefined, shrinkOf(details, guard), {
        curl: steps,
        sequence: last.trail.exchanges.map((e) => e.case.label ?? e.case.id),
      });
      tally.violations += found.length;
    }
    this.opts.bus.emit({ type: 'property-done', operation: { id: op.id, apiVersion: op.apiVersion }, property, cases: n, failed: details.failed, seed, ...(details.counterexamplePath ? { path: details.counterexamplePath } : {}) });
  }

  private toCase(op: Operation, property: string, i: number, input: StepInput, seed: number): Case {
    const pathParams = { ...this.fixturePathParams(op), ...input.value.pathParams };
    // Built by assignment, optional fields only when present: object spreads of `{}` cost per case.
    const c: Mutable<Case> = {
      id: `${op.id}@${op.apiVersion}/${property}/${i}`,
      operation: op,
      kind: input.kind,
      expect: input.expect,
      request: buildRequest(op, this.opts.baseUrl(op), this.opts.token(op.plane), { ...input.value, pathParams }),
      pathParams,
      origin: { seed, property },
    };
    if (input.breaks) c.breaks = input.breaks;
    if (input.label) c.label = input.label;
    if (input.example) {
      c.example = input.example;
      c.exampleStatus = input.exampleStatus;
    }
    if (input.note) c.note = input.note;
    if (input.state) c.state = input.state;
    return c;
  }

  /** The fixtures' path parameters of an operation (vault, resource group, certificate…), worked out once. */
  private fixturePathParams(op: Operation): { readonly [k: string]: string } {
    let params = this.fixtureParams.get(op.id);
    if (!params) this.fixtureParams.set(op.id, (params = FIXTURE_PATH_PARAMS[op.id]?.(this.opts.fixtures) ?? {}));
    return params;
  }

  /**
   * Send nothing more: every later exchange waits forever (the session is being interrupted). Resolves once the
   * requests already on the wire have been answered, so a restore after it sees everything the run changed.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.halt.abort();
    while (this.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Send one request within the concurrency bound; never settles once the run is stopped. */
  private async transmit(c: Case): Promise<SendResult> {
    if (this.stopped) return FROZEN;
    this.opts.client.prepare(c.request);
    const sent = await this.slot(async () => {
      if (this.stopped) return FROZEN;
      this.inFlight++;
      try {
        return await this.send(c.request);
      } finally {
        this.inFlight--;
      }
    });
    if (this.stopped) return FROZEN;
    return sent;
  }

  private async exchange(c: Case): Promise<{ ex: Exchange; outcomes: CheckOutcome[] }> {
    const sent = await this.transmit(c);
    // Judge on the check phase, not at once: the request the answer freed a slot for goes out first (undici writes
    // it then), so the kit's work on this answer overlaps that request's round trip instead of delaying it. An
    // answer that came before a stop is judged and recorded even if the stop comes meanwhile.
    await checkPhase();
    const ex: Exchange = { case: c, ...sent };
    return { ex, outcomes: runChecks(ex, { profile: this.opts.profile }) };
  }

  private record(ex: Exchange, outcomes: CheckOutcome[], property: string, tally: Tally, run?: number): void {
    tally.cases += 1;
    tally.checks += outcomes.length;
    for (const o of outcomes) {
      if (o.status === 'skipped') tally.skipped++;
      for (const f of o.findings) if (f.severity === 'note') tally.notes++;
    }
    this.opts.bus.emit({ type: 'case-done', case: caseRecord(ex, property, run), outcomes });
  }

  /** An exchange fast-check sent while shrinking: not a case of the run (nothing counts it), but reports may keep it. */
  private shrinkStep(ex: Exchange, outcomes: CheckOutcome[], property: string, run?: number): void {
    this.opts.bus.emit({ type: 'shrink-step', case: caseRecord(ex, property, run), outcomes });
  }

  private violations(
    ex: Exchange,
    outcomes: CheckOutcome[],
    property: string,
    seed: number,
    path: string | undefined,
    shrink: Shrink | undefined,
    steps?: { readonly curl: string; readonly sequence: readonly string[] },
  ): Violation[] {
    const c = ex.case;
    const red = redactExchange(ex);
    const out: Violation[] = [];
    for (const o of outcomes) {
      for (const f of o.findings) {
        if (f.severity !== 'violation') continue;
        // A literal, so the compiler holds every required field (violations are few: spreads cost nothing here).
        const v: Violation = {
          operation: c.operation.id,
          apiVersion: c.operation.apiVersion,
          check: f.check,
          ...(f.rule ? { rule: f.rule } : {}),
          message: f.message,
          ...(f.direction ? { direction: f.direction } : {}),
          ...(f.instancePath !== undefined ? { instancePath: f.instancePath } : {}),
          ...(c.breaks ? { breaks: c.breaks } : {}),
          caseId: c.id,
          kind: c.kind,
          property,
          ...(c.label ? { label: c.label } : {}),
          request: red.request,
          ...(red.response ? { response: red.response } : {}),
          ...(ex.transportError ? { transportError: ex.transportError } : {}),
          seed,
          ...(path ? { path } : {}),
          shrunk: shrink !== undefined,
          ...(shrink ? { shrinkSteps: shrink.steps } : {}),
          ...(shrink?.stopped ? { shrinkStopped: shrink.stopped } : {}),
          curl: steps?.curl ?? red.curl,
          ...(steps ? { sequence: steps.sequence } : {}),
          ...(c.note ? { note: c.note } : {}),
        };
        out.push(v);
        this.opts.bus.emit({ type: 'violation', violation: v });
      }
    }
    return out;
  }
}

/** How far a failure was shrunk, and why shrinking stopped short when it did. */
interface Shrink {
  readonly steps: number;
  readonly stopped?: string;
}

function shrinkOf(details: { readonly interrupted: boolean; readonly numShrinks: number }, guard: ShrinkGuard): Shrink {
  // A failed run that was also interrupted had its shrinking cut short: by the guard, or by the property's time budget.
  if (!details.interrupted) return { steps: details.numShrinks };
  return { steps: details.numShrinks, stopped: guard.stopped ?? `the property's ${SHRINK_BUDGET_MS / 1000} s budget ran out` };
}

function caseRecord(ex: Exchange, property: string, run: number | undefined): CaseRecord {
  const c = ex.case;
  // Assigned in the order the case log shows them; optional fields only when present.
  const r = { id: c.id, operation: { id: c.operation.id, apiVersion: c.operation.apiVersion }, kind: c.kind, property, expect: c.expect } as Mutable<CaseRecord>;
  if (c.label) r.label = c.label;
  if (c.breaks) r.breaks = c.breaks;
  if (c.note) r.note = c.note;
  if (run !== undefined) r.run = run;
  // Redacted when first read: the handlers of a case read its status, and only the few cases that are written
  // (a failing one, a shard's event log) need the request and the response's headers and body.
  lazyField(r, 'request', () => redactExchange(ex).request);
  const res = ex.response;
  if (res) {
    const response = { status: res.status } as Mutable<NonNullable<CaseRecord['response']>>;
    lazyField(response, 'headers', () => redactExchange(ex).response?.headers ?? {});
    // The case log keeps parsed bodies only; a violation also carries the text of a body that is not JSON.
    if (res.body !== undefined) lazyField(response, 'body', () => redactExchange(ex).response?.body);
    r.response = response;
  }
  if (ex.transportError) r.transportError = ex.transportError;
  r.ms = ex.ms;
  return r;
}

/**
 * An enumerable property of `o` worked out on first read and kept from then on, in the place it was defined (so
 * JSON.stringify and spreads see it where an eager field would be).
 */
function lazyField<T extends object, K extends keyof T>(o: T, key: K, make: () => T[K]): void {
  Object.defineProperty(o, key, {
    enumerable: true,
    configurable: true,
    get(): T[K] {
      const value = make();
      Object.defineProperty(o, key, { value, enumerable: true, configurable: false, writable: false });
      return value;
    },
  });
}

export function sumTotals(operations: number, results: readonly OperationResult[]): Totals {
  const sum = (k: keyof OperationResult): number => results.reduce((s, r) => s + r[k], 0);
  return { operations, cases: sum('cases'), checks: sum('checks'), violations: sum('violations'), skipped: sum('skipped'), notes: sum('notes') };
}
