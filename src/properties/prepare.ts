import type fc from 'fast-check';
import type { Fixtures } from '../targets/fixtures.js';
import type { CaseInput, PropertyContext, PropertyDef, SequenceDef } from './types.js';

/** A property made ready for one context: its table of cases, its arbitrary, or its sequence. */
export type Prepared =
  | { readonly table: readonly CaseInput[] }
  | { readonly arbitrary: fc.Arbitrary<CaseInput> | undefined }
  | { readonly sequence: SequenceDef<object> | undefined };

/**
 * Compile once, run many (as ajv does with schemas): a property's table and arbitraries depend on its context
 * alone, and building them (schema walks, knob bodies, rule verdicts for a few hundred cases) costs more than
 * sending them to a fast target. Kept per property, per operation (its spec model) and per context value, so a
 * second session in the same process (a selftest worker, a watch loop, the bench) reuses them. Arbitraries are
 * immutable and the engine never writes into a case input, so sharing them is safe; a table that draws fresh
 * resource names (`fresh`) is built for every run.
 */
const PREPARED = new WeakMap<PropertyDef, WeakMap<object, Map<string, Prepared>>>();
const FIXTURE_KEYS = new WeakMap<Fixtures, string>();

/** Contexts kept per property and operation: a long-lived process (a watch loop) must not grow without bound. */
const KEEP = 4;

export function prepare(p: PropertyDef, ctx: PropertyContext): Prepared {
  if ('table' in p && p.fresh) return build(p, ctx);
  let byOperation = PREPARED.get(p);
  if (!byOperation) PREPARED.set(p, (byOperation = new WeakMap()));
  let byContext = byOperation.get(ctx.operation.model);
  if (!byContext) byOperation.set(ctx.operation.model, (byContext = new Map()));
  const key = contextKey(ctx);
  let found = byContext.get(key);
  if (found) {
    // Most recent last: the Map's order is the eviction order.
    byContext.delete(key);
    byContext.set(key, found);
    return found;
  }
  byContext.set(key, (found = build(p, ctx)));
  if (byContext.size > KEEP) byContext.delete(byContext.keys().next().value as string);
  return found;
}

/**
 * Prepare ahead of the run what prepare() would build on the first case: a session calls it while the target
 * starts (the embedded Prism takes ~1.7 s, on another core), so the run finds its tables and arbitraries ready.
 * Fresh tables are built per run anyway and are left alone.
 */
export function warm(properties: readonly PropertyDef[], ctx: PropertyContext): void {
  for (const p of properties) if (!('table' in p && p.fresh)) prepare(p, ctx);
}

function build(p: PropertyDef, ctx: PropertyContext): Prepared {
  if ('table' in p) return { table: p.table(ctx) };
  if ('arbitrary' in p) return { arbitrary: p.arbitrary(ctx) };
  return { sequence: p.sequence(ctx) };
}

/** Everything of the context a property may read, as one string (fixtures are plain data). */
export function contextKey(ctx: PropertyContext): string {
  let fixtures = FIXTURE_KEYS.get(ctx.fixtures);
  if (fixtures === undefined) FIXTURE_KEYS.set(ctx.fixtures, (fixtures = JSON.stringify(ctx.fixtures)));
  return `${ctx.profile}\n${fixtures}\n${ctx.certificates.map((c) => `${c.thumbprint}:${c.password}`).join(',')}`;
}
