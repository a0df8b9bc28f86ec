/**
 * Inline schemas covering every keyword the arbitraries support, and validators compiled the way
 * `npm run generate` compiles them (same schema rewriting, same formats). Tests may compile; the kit never does.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { JsonSchema } from '../../src/model/spec-model.js';
import type { Validator } from '../../src/model/validators.js';
import { formats } from '../../scripts/generate/formats.js';
import { toAjvSchema, type EnumMode } from '../../scripts/generate/schemas.js';
import { specs } from '../../generated/index.js';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

export const components: { [name: string]: JsonSchema } = {
  Root: {
    type: 'object',
    required: ['id', 'name', 'count', 'kind'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string', minLength: 3, maxLength: 24, pattern: '^[a-zA-Z0-9-]+$' },
      count: { type: 'integer', format: 'int32', minimum: 1, maximum: 99 },
      ratio: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      size: { type: 'integer', format: 'int32' },
      big: { type: 'integer', format: 'int64' },
      step: { type: 'integer', multipleOf: 5, minimum: 0, maximum: 100 },
      kind: ref('Kind'),
      flavor: ref('Flavor'),
      created: { type: 'string', format: 'date-time' },
      homepage: { type: 'string', format: 'uri' },
      cert: { type: 'string', format: 'byte' },
      thumb: { type: 'string', format: 'base64url' },
      nbf: { type: 'integer', format: 'unixtime' },
      email: { type: 'string', format: 'email' },
      tags: { type: 'object', additionalProperties: { type: 'string', maxLength: 16 } },
      labels: { type: 'array', items: { type: 'string', enum: ['a', 'b', 'c'] }, uniqueItems: true, minItems: 1, maxItems: 3 },
      scores: { type: 'array', items: { type: 'integer', minimum: 0 }, maxItems: 5 },
      note: { type: ['string', 'null'], maxLength: 10 },
      nested: {
        type: ['object', 'null'],
        additionalProperties: false,
        required: ['flag'],
        properties: { flag: { type: 'boolean' }, level: { const: 'high' } },
      },
      etag: { type: 'string', readOnly: true },
      audit: { ...ref('Audit'), readOnly: true },
      derived: ref('Derived'),
      shape: ref('Shape'),
      contact: {
        anyOf: [
          { type: 'string', format: 'email' },
          { type: 'object', required: ['phone'], additionalProperties: false, properties: { phone: { type: 'string', pattern: '^\\+[0-9]{6,12}$' } } },
        ],
      },
      code: { type: 'string', pattern: '^[A-Z]{2}[0-9]{2,4}$' },
      title: { type: 'string', minLength: 1, maxLength: 40 },
      description: { type: 'string' },
      price: { type: 'number', minimum: 0.5, maximum: 1000 },
      legacy: { type: 'integer', exclusiveMinimum: 10, exclusiveMaximum: 20 },
      even: { type: 'integer', minimum: 2.5, exclusiveMaximum: 9.5, multipleOf: 2 },
      quarter: { type: 'number', multipleOf: 0.25, minimum: -1, maximum: 1 },
      counters: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, minProperties: 1, maxProperties: 2 },
      day: { type: 'string', format: 'date' },
      host: { type: 'string', format: 'hostname' },
      ip: { type: 'string', format: 'ipv4' },
    },
  },
  Kind: { type: 'string', enum: ['Alpha', 'Beta', 'Gamma'], 'x-ms-enum': { name: 'Kind', modelAsString: false } },
  Flavor: { type: 'string', enum: ['vanilla', 'chocolate'], 'x-ms-enum': { name: 'Flavor', modelAsString: true } },
  Audit: { type: 'object', required: ['by'], properties: { by: { type: 'string', minLength: 1 } } },
  Base: {
    type: 'object',
    required: ['baseId'],
    properties: { baseId: { type: 'integer', minimum: 0 }, shared: { type: 'string', maxLength: 10 } },
  },
  Derived: {
    allOf: [ref('Base'), { type: 'object', required: ['extra'], properties: { extra: { type: 'boolean' }, shared: { type: 'string', minLength: 2 } } }],
  },
  Shape: {
    oneOf: [
      { type: 'object', required: ['kind', 'radius'], additionalProperties: false, properties: { kind: { const: 'circle' }, radius: { type: 'number', minimum: 0 } } },
      { type: 'object', required: ['kind', 'side'], additionalProperties: false, properties: { kind: { const: 'square' }, side: { type: 'integer', minimum: 1, maximum: 10 } } },
    ],
  },
  Tree: {
    type: 'object',
    required: ['value'],
    properties: { value: { type: 'integer' }, children: { type: 'array', items: ref('Tree'), maxItems: 2 } },
  },
  Resource: {
    type: 'object',
    required: ['id', 'location'],
    properties: {
      id: { type: 'string', readOnly: true },
      location: { type: 'string', minLength: 1 },
      properties: { type: 'object', properties: { secret: { type: 'string', writeOnly: true }, state: { type: 'string', readOnly: true } } },
    },
  },
  Pair: { type: 'array', items: ref('Kind'), minItems: 2, maxItems: 2, uniqueItems: true },
  Code: { type: 'string', pattern: '^[a-z]{3,8}$', minLength: 4 },
  Temperature: { type: 'number', minimum: -273.15, maximum: 1e6 },
};

/** Root schemas of the inline set, by name: each test runs against all of them. */
export const inlineRoots: readonly string[] = ['Root', 'Derived', 'Shape', 'Tree', 'Resource', 'Pair', 'Code', 'Temperature'];

export function compile(schema: JsonSchema, schemas: { [name: string]: JsonSchema }, mode: EnumMode = 'strict'): Validator {
  const ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true });
  for (const [name, def] of Object.entries(formats)) ajv.addFormat(name, def as never);
  return ajv.compile(toAjvSchema(schema, schemas, mode) as object) as Validator;
}

export interface Case {
  readonly name: string;
  readonly schema: JsonSchema;
  readonly schemas: { readonly [name: string]: JsonSchema };
  readonly strict: Validator;
}

export const inlineCases: readonly Case[] = inlineRoots.map((name) => ({
  name: `inline ${name}`,
  schema: ref(name),
  schemas: components,
  strict: compile(ref(name), components),
}));

/** Every request body of the generated specs, with its generated strict validator. */
export const specCases: readonly Case[] = specs.flatMap((s) =>
  s.model.operations.flatMap((op) => {
    const strict = s.validators[op.id]?.request.body?.strict;
    if (!op.requestBody || !strict) return [];
    return [{ name: `${s.model.service} ${s.model.apiVersion} ${op.id}`, schema: op.requestBody.schema, schemas: s.model.schemas, strict }];
  }),
);

export const allCases: readonly Case[] = [...inlineCases, ...specCases];

/** The validator's errors, short, for assertion messages. */
export function why(v: Validator): string {
  return JSON.stringify((v.errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${e.message ?? ''}`));
}
