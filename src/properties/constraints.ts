/**
 * The request-body constraints of an operation, and for each one a realistic, rule-keeping body to break it in:
 * what the `constraints` table sends and what the coverage report counts against.
 */
import fc from 'fast-check';
import { exampleOf } from '../arbitraries/example.js';
import { mutationsOf, type Mutation } from '../arbitraries/invalid.js';
import { context } from '../arbitraries/valid.js';
import type { ConstraintRef } from '../events/types.js';
import { contextKey } from './prepare.js';
import { REALISTIC, type RealisticInput } from './realistic.js';
import type { PropertyContext } from './types.js';

/** How many realistic inputs are drawn to find a base for every constraint (as the boundaries table does). */
const SAMPLES = 30;

/** A constraint (schema pattern + keyword) and the first realistic input that carries its location. */
export interface ConstraintBase {
  readonly input: RealisticInput;
  readonly mutation: Mutation;
}

export interface OperationConstraints {
  /** Keyed `pattern keyword`, fullest base first. */
  readonly broken: ReadonlyMap<string, ConstraintBase>;
  /** Every constraint: those above, then those of the schema's full example no realistic body carries. */
  readonly all: readonly ConstraintRef[];
}

const key = (m: Mutation): string => `${m.at} ${m.id}`;

/** Realistic inputs drawn with a fixed seed, fullest first (every optional part present: more to break). */
export function realisticBases(ctx: PropertyContext): RealisticInput[] {
  const arb = REALISTIC[ctx.operation.id]?.(ctx);
  if (!arb) return [];
  return fc
    .sample(arb, { seed: 7, numRuns: SAMPLES })
    .map((input, i) => ({ input, size: JSON.stringify(input.body).length, i }))
    .sort((a, b) => b.size - a.size || a.i - b.i)
    .map((x) => x.input);
}

const CACHE = new WeakMap<object, Map<string, OperationConstraints>>();

/** Built once per operation and context (compile once, run many): the engine and the table both ask for it. */
export function operationConstraints(ctx: PropertyContext): OperationConstraints {
  let byContext = CACHE.get(ctx.operation.model);
  if (!byContext) CACHE.set(ctx.operation.model, (byContext = new Map()));
  const k = contextKey(ctx);
  let found = byContext.get(k);
  if (!found) {
    if (byContext.size >= 4) byContext.clear();
    byContext.set(k, (found = build(ctx)));
  }
  return found;
}

function build(ctx: PropertyContext): OperationConstraints {
  const schema = ctx.operation.model.requestBody?.schema;
  if (!schema) return { broken: new Map(), all: [] };
  const c = context(ctx.operation.spec.schemas);
  const broken = new Map<string, ConstraintBase>();
  for (const input of realisticBases(ctx)) {
    for (const mutation of mutationsOf(schema, c, input.body)) if (!broken.has(key(mutation))) broken.set(key(mutation), { input, mutation });
  }
  const all: ConstraintRef[] = [...broken.values()].map(({ mutation: m }) => ({ pointer: m.at, keyword: m.id, realistic: true }));
  // Members no careful client sends (so no realistic body has them) are still constraints: listed, never sent.
  const seen = new Set(broken.keys());
  for (const m of mutationsOf(schema, c, exampleOf(schema, c, 'full', 0))) {
    if (seen.has(key(m))) continue;
    seen.add(key(m));
    all.push({ pointer: m.at, keyword: m.id, realistic: false });
  }
  return { broken, all };
}
