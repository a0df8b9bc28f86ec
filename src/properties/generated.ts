import fc from 'fast-check';
import { boundaryValues, knobsFor, validValue } from '../arbitraries/index.js';
import { mutationsOf, pick } from '../arbitraries/invalid.js';
import { context } from '../arbitraries/valid.js';
import type { Tagged } from '../cases/tagged.js';
import { brokenRequestRules } from '../rules/request-rules.js';
import { pathBoundaries } from './path-boundaries.js';
import { operationConstraints } from './constraints.js';
import { REALISTIC, type RealisticInput } from './realistic.js';
import type { CaseInput, PropertyContext, PropertyDef } from './types.js';

/** Path parameters the fixtures do not give (operationKind, certificateId), from the realistic generator. */
function pathParams(ctx: PropertyContext): fc.Arbitrary<{ readonly [k: string]: string }> {
  return REALISTIC[ctx.operation.id]?.(ctx).map((r) => r.pathParams) ?? fc.constant({});
}

function fixedPathParams(ctx: PropertyContext): { readonly [k: string]: string } {
  return fc.sample(pathParams(ctx), { seed: 7, numRuns: 1 })[0] ?? {};
}

/**
 * The rules table has the last word on a generated body: one the schema calls valid but that breaks a rule is a
 * negative case for that rule (a target must reject it), never a positive one; one that breaks only rules whose
 * verdict is `either` claims nothing (either answer).
 */
function judged(ctx: PropertyContext, t: Tagged<unknown>, params: { readonly [k: string]: string }): Tagged<unknown> {
  if (t.expect === 'reject') return t;
  const broken = brokenRequestRules(t.value, params, { operation: ctx.operation, fixtures: ctx.fixtures });
  const first = broken.find((b) => b.verdict === 'reject') ?? broken[0];
  if (!first) return t;
  return { ...t, expect: first.verdict, breaks: { kind: 'rule', id: first.id, path: '', detail: first.why } };
}

const schemaOf = (ctx: PropertyContext) => ctx.operation.model.requestBody?.schema;

/** Generated path parameters, with every value of an enum parameter (operationKind: add, replace, remove). */
function fuzzPathParams(ctx: PropertyContext): fc.Arbitrary<{ readonly [k: string]: string }> {
  const enums = ctx.operation.model.parameters
    .filter((p) => p.in === 'path' && Array.isArray(p.schema.enum))
    .map((p) => fc.constantFrom(...(p.schema.enum as string[])).map((v) => [p.name, v] as const));
  return fc.tuple(pathParams(ctx), ...enums).map(([base, ...pairs]) => ({ ...base, ...Object.fromEntries(pairs) }));
}

/** Anything the schema allows (rules or not): the target may refuse, but must answer well (no 5xx, schema). */
export const fuzz: PropertyDef = {
  name: 'fuzz',
  arbitrary: (ctx) => {
    const schema = schemaOf(ctx);
    if (!schema) return undefined;
    return fc.tuple(fuzzPathParams(ctx), validValue(schema, ctx.operation.spec.schemas)).map(
      ([params, body]): CaseInput => ({ kind: 'positive', expect: 'either', label: 'fuzz: schema-valid body', value: { pathParams: params, body } }),
    );
  },
};

/**
 * A negative: a realistic, rule-keeping input (the positives' generator) with one schema constraint broken, so a
 * refusal is about that one defect. The input keeps its unbroken body as `base`.
 */
function negativeCase(input: RealisticInput, t: Tagged<unknown>): CaseInput {
  return {
    kind: 'negative',
    expect: t.expect,
    ...(t.breaks ? { breaks: t.breaks } : {}),
    label: t.label ?? (t.breaks ? `breaks ${t.breaks.id} at ${t.breaks.path || '/'}` : 'invalid body'),
    value: { pathParams: input.pathParams, body: t.value },
    base: { pathParams: input.pathParams, body: t.base ?? input.body },
  };
}

/** One schema constraint broken per case, in a realistic body: a target must refuse it with a 4xx. */
export const negative: PropertyDef = {
  name: 'negative',
  arbitrary: (ctx) => {
    const schema = schemaOf(ctx);
    const realistic = REALISTIC[ctx.operation.id]?.(ctx);
    if (!schema || !realistic || operationConstraints(ctx).broken.size === 0) return undefined;
    const c = context(ctx.operation.spec.schemas);
    return realistic
      .chain((input) => {
        const found = mutationsOf(schema, c, input.body);
        return found.length > 0 ? pick(found).map((t) => negativeCase(input, t)) : fc.constant(undefined);
      })
      .filter((x): x is CaseInput => x !== undefined);
  },
};

/**
 * Every constraint of the body broken once, each in the first (fullest) realistic body that carries its location:
 * the random negatives may miss one, this table never does (the coverage table in summary.json shows it).
 */
export const constraints: PropertyDef = {
  name: 'constraints',
  table: (ctx) =>
    [...operationConstraints(ctx).broken.values()].flatMap(({ input, mutation }) =>
      fc.sample(mutation.arb, { seed: 7, numRuns: 1 }).map((t) => negativeCase(input, t)),
    ),
};

/** The body with the longest JSON text (the first of equals; none shorter than `null`). */
function fullest(bodies: readonly unknown[]): unknown {
  let best: unknown;
  let length = 'null'.length;
  for (const b of bodies) {
    const n = JSON.stringify(b).length;
    if (n > length) [best, length] = [b, n];
  }
  return best;
}

/** Every bound of the body schema, at the edge and one past it (a table, sent once each). */
export const boundaries: PropertyDef = {
  name: 'boundaries',
  table: (ctx) => {
    const schema = schemaOf(ctx);
    const params = fixedPathParams(ctx);
    // Path probes carry a realistic body so that only the probed parameter is off.
    const realistic = REALISTIC[ctx.operation.id]?.(ctx);
    // The fullest of a few realistic samples: every optional part present means every bound gets probed.
    const body = realistic ? fullest(fc.sample(realistic, { seed: 7, numRuns: 30 }).map((r) => r.body)) : undefined;
    const paths = pathBoundaries(ctx, params).map((c) => ({ ...c, value: { ...c.value, body } }));
    if (!schema) return paths;
    // The realistic body is the base: the schema's own full example would add fields (contentType, crv, issuer)
    // whose accepted values depend on facts no spec states, and a boundary case must probe one bound only.
    const base = body;
    return [
      // A rule-keeping base, so each entry probes its one bound and nothing else.
      ...boundaryValues(schema, ctx.operation.spec.schemas, base === undefined ? {} : { base }).map((raw): CaseInput => {
        const t = judged(ctx, raw, params);
        return {
          kind: 'boundary',
          expect: t.expect,
          ...(t.breaks ? { breaks: t.breaks } : {}),
          label: t.label ?? 'boundary',
          value: { pathParams: params, body: t.value },
          base: { pathParams: params, body: t.base ?? base },
        };
      }),
      ...paths,
    ];
  },
};

/** The domain knobs: permissions arrays, policy counts, trigger ranges, contacts lists, certificate sources. */
export const knobs: PropertyDef = {
  name: 'knobs',
  table: (ctx) => {
    const params = fixedPathParams(ctx);
    const cert = ctx.certificates[0];
    const tagged = knobsFor(ctx.operation.id, ctx.operation.spec.schemas, {
      tenantId: ctx.fixtures.vault.tenantId,
      apiVersion: ctx.operation.apiVersion,
      ...(cert ? { pfx: { data: cert.data, password: cert.password } } : {}),
      ...(ctx.fixtures.apiManagement.keyVaultSecret ? { keyVaultSecret: ctx.fixtures.apiManagement.keyVaultSecret } : {}),
    });
    return tagged.map((raw): CaseInput => {
      const t = judged(ctx, raw, params);
      return { kind: 'knob', expect: t.expect, ...(t.breaks ? { breaks: t.breaks } : {}), label: t.label ?? 'knob', value: { pathParams: params, body: t.value } };
    });
  },
};

