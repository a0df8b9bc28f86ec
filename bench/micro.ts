import fc from 'fast-check';
import { invalidValue, validValue } from '../src/arbitraries/index.js';
import type { Operation } from '../src/model/registry.js';
import type { Validator } from '../src/model/validators.js';
import type { Pkcs12Certificate } from '../src/pki/pkcs12.js';
import { REALISTIC } from '../src/properties/realistic.js';
import { DEFAULT_FIXTURES } from '../src/targets/fixtures.js';
import { perSecond, summarize, type Stat } from './stats.js';

export interface MicroOptions {
  /** Samples per figure (the median, min and max are taken over them). */
  readonly samples: number;
  /** Length of one sample, ms. */
  readonly windowMs: number;
  /** Untimed warm-up before the samples, ms (JIT, inline caches). */
  readonly warmupMs: number;
}

/** Calls of `fn` per second over one window, calling it in batches so the clock is read rarely. */
function rate(fn: () => unknown, windowMs: number, batch: number): number {
  let n = 0;
  const t0 = performance.now();
  let took = 0;
  do {
    for (let i = 0; i < batch; i++) fn();
    n += batch;
    took = performance.now() - t0;
  } while (took < windowMs);
  return perSecond(n, took);
}

function measure(fn: () => unknown, o: MicroOptions, batch: number): Stat {
  rate(fn, o.warmupMs, batch);
  return summarize(Array.from({ length: o.samples }, () => rate(fn, o.windowMs, batch)));
}

export interface ValidatorFigure {
  readonly operation: string;
  readonly apiVersion: string;
  /** `request.params`, `request.body.strict`, `response.200.body.tolerant`, … */
  readonly validator: string;
  /** Which spec example the document is. */
  readonly document: string;
  /** JSON size of the document, bytes. */
  readonly bytes: number;
  /** Whether the validator accepts the document (a valid document walks the whole schema). */
  readonly valid: boolean;
  readonly perSec: Stat;
}

/** Pick the first document a validator accepts (a rejected document may stop early), else the first. */
function representative(v: Validator, docs: readonly [string, unknown][]): [string, unknown] | undefined {
  return docs.find(([, d]) => v(d)) ?? docs[0];
}

/** The `{path, query, header}` object of one spec example, as the request.schema check builds it. */
function paramsDoc(op: Operation, example: string): { path: object; query: object; header: object } {
  const doc: { path: Record<string, unknown>; query: Record<string, unknown>; header: Record<string, unknown> } = { path: {}, query: {}, header: {} };
  for (const p of op.model.parameters) {
    const v = p.examples[example];
    if (v !== undefined) doc[p.in][p.in === 'header' ? p.name.toLowerCase() : p.name] = v;
  }
  return doc;
}

/** Each generated validator's validations/s on the spec's own examples of that document. */
export function validatorFigures(ops: readonly Operation[], o: MicroOptions): ValidatorFigure[] {
  const out: ValidatorFigure[] = [];
  const add = (op: Operation, name: string, v: Validator, docs: readonly [string, unknown][]): void => {
    const pick = representative(v, docs);
    if (!pick) return;
    const [document, doc] = pick;
    out.push({ operation: op.id, apiVersion: op.apiVersion, validator: name, document, bytes: Buffer.byteLength(JSON.stringify(doc)), valid: v(doc), perSec: measure(() => v(doc), o, 200) });
  };
  for (const op of ops) {
    const names = [...new Set(op.model.parameters.flatMap((p) => Object.keys(p.examples)))];
    add(op, 'request.params', op.validators.request.params, names.map((n) => [n, paramsDoc(op, n)]));
    const body = op.validators.request.body;
    const bodyDocs = Object.entries(op.model.requestBody?.examples ?? {});
    if (body) {
      add(op, 'request.body.strict', body.strict, bodyDocs);
      add(op, 'request.body.tolerant', body.tolerant, bodyDocs);
    }
    for (const r of op.model.responses) {
      const v = op.validators.responses[r.status]?.body;
      const docs = Object.entries(r.examples);
      if (!v || docs.length === 0) continue;
      add(op, `response.${r.status}.body.strict`, v.strict, docs);
      add(op, `response.${r.status}.body.tolerant`, v.tolerant, docs);
    }
  }
  return out;
}

export interface ArbitraryFigure {
  readonly operation: string;
  readonly apiVersion: string;
  /** `validValue`, `invalidValue` (of the request body schema) or `REALISTIC` (body and path parameters). */
  readonly arbitrary: string;
  /** Building the arbitrary from the schema, once, ms. */
  readonly buildMs: number;
  readonly perSec: Stat;
}

/**
 * Values/s of each arbitrary, drawn as a property draws them (fc.sample: same random source, same bias), in
 * batches of 20 values with a fresh seed per batch.
 */
export function arbitraryFigures(ops: readonly Operation[], certificates: readonly Pkcs12Certificate[], o: MicroOptions): ArbitraryFigure[] {
  const out: ArbitraryFigure[] = [];
  const add = (op: Operation, name: string, build: () => fc.Arbitrary<unknown> | undefined): void => {
    const t0 = performance.now();
    const arb = build();
    const buildMs = performance.now() - t0;
    if (!arb) return;
    let seed = 1;
    const batch = 20;
    const draw = (): unknown => fc.sample(arb, { seed: seed++, numRuns: batch });
    const s = measure(draw, o, 1);
    // `draw` yields `batch` values per call.
    out.push({ operation: op.id, apiVersion: op.apiVersion, arbitrary: name, buildMs: Math.round(buildMs * 100) / 100, perSec: summarize(s.samples.map((x) => x * batch)) });
  };
  for (const op of ops) {
    const schema = op.model.requestBody?.schema;
    if (schema) {
      add(op, 'validValue', () => validValue(schema, op.spec.schemas));
      add(op, 'invalidValue', () => invalidValue(schema, op.spec.schemas));
    }
    const realistic = REALISTIC[op.id];
    if (realistic) add(op, 'REALISTIC', () => realistic({ operation: op, fixtures: DEFAULT_FIXTURES, profile: 'service', certificates }));
  }
  return out;
}
