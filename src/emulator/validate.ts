/**
 * Request validation with the kit's own facts: the generated STRICT validators (parameters and body) and the
 * REQUEST_RULES table. Every failure becomes an Issue, so a fault can let a chosen one through.
 */
import type { ErrorObject } from 'ajv';
import type { Operation } from '../model/registry.js';
import { carriedRules } from '../rules/carried.js';
import { REQUEST_RULES } from '../rules/request-rules.js';
import type { RequestRule, RuleContext } from '../rules/types.js';
import { openCached } from '../pki/pkcs12-cache.js';
import type { Issue, Obj } from './types.js';

/** The value at a JSON pointer (AJV instancePath). */
export function at(data: unknown, pointer: string): unknown {
  let cur = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Obj)[key];
  }
  return cur;
}

function wording(e: ErrorObject): string {
  const p = e.params as { [k: string]: unknown };
  if (e.keyword === 'enum') return `must be one of ${JSON.stringify(p.allowedValues)}`;
  if (e.keyword === 'required') return `must have required property '${String(p.missingProperty)}'`;
  return e.message ?? e.keyword;
}

function schemaIssues(stage: 'params' | 'body', data: unknown, errors: readonly ErrorObject[] | null | undefined): Issue[] {
  return (errors ?? []).map((e) => {
    const name = stage === 'params' ? `parameter '${e.instancePath.split('/').slice(2).join('/') || e.instancePath}'` : `'${e.instancePath || '/'}'`;
    return { stage, id: e.keyword, path: e.instancePath, value: at(data, e.instancePath), message: `${name} ${wording(e)}` };
  });
}

export interface RequestParams {
  readonly path: { readonly [k: string]: string };
  readonly query: { readonly [k: string]: string };
  readonly header: { readonly [k: string]: string };
}

/**
 * ARM compares path segments case-insensitively, enum-valued ones too (operationKind ADD is add): an enum path
 * parameter that matches a listed value but for case takes the listed spelling.
 */
export function canonicalPathParams(op: Operation, pathParams: { readonly [k: string]: string }): { readonly [k: string]: string } {
  if (op.plane !== 'arm') return pathParams;
  const out = { ...pathParams };
  for (const p of op.model.parameters) {
    const listed = p.in === 'path' && Array.isArray(p.schema.enum) ? (p.schema.enum as unknown[]) : [];
    const value = out[p.name];
    const match = value === undefined ? undefined : listed.find((e) => typeof e === 'string' && e.toLowerCase() === value.toLowerCase());
    if (typeof match === 'string') out[p.name] = match;
  }
  return out;
}

export function paramIssues(op: Operation, params: RequestParams): Issue[] {
  const v = op.validators.request.params;
  return v(params) ? [] : schemaIssues('params', params, v.errors);
}

export function bodyIssues(op: Operation, body: unknown): Issue[] {
  const v = op.validators.request.body?.strict;
  if (!v) return [];
  return v(body) ? [] : schemaIssues('body', body, v.errors);
}

/**
 * Rules whose kit implementation the emulator runs through its own cache: opening a PKCS#12 is the one costly
 * rule, and the handler needs the opened certificate anyway. Same predicate as the kit's rule.
 */
const FAST_RULES: { readonly [id: string]: RequestRule['broken'] } = {
  'apimanagement.certificateCreateOrUpdate.pkcs12-opens': (body) => {
    const p = (body as { properties?: Obj } | undefined)?.properties;
    if (!p || typeof p.data !== 'string') return undefined;
    const opened = openCached(p.data, typeof p.password === 'string' ? p.password : '');
    return opened.ok ? undefined : `properties.data: ${opened.reason}`;
  },
};

/**
 * Every REQUEST_RULES rule of the operation the body breaks, as issues. Only rules a source states as a rule
 * (verdict reject): an `either` rule (an example size, a pair no source rules on) is nothing to refuse.
 */
export function ruleIssues(body: unknown, pathParams: { readonly [k: string]: string }, ctx: RuleContext): Issue[] {
  return carriedRules(REQUEST_RULES, ctx.operation.model).filter((r) => r.verdict !== 'either').flatMap((r) => {
    const why = (FAST_RULES[r.id] ?? r.broken)(body, pathParams, ctx);
    return why ? [{ stage: 'rule' as const, id: r.id, path: '', value: body, message: why }] : [];
  });
}
