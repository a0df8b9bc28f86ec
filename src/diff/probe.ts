/**
 * `diff --target`: each change the diff claims, provoked on a target and reported as observed, not observed or
 * cannot be provoked. The probes are a table by change kind (PROBES); each sends a realistic, rule-keeping body
 * (the positives' generator) with one difference, the changed member or value, at the new version, and where it
 * tells something at the old version too. Kinds without a probe say so; nothing is guessed.
 */
import fc from 'fast-check';
import { validValue } from '../arbitraries/index.js';
import { isRecord, itemSchema, normalize, propertySchema } from '../arbitraries/schema.js';
import { buildRequest } from '../cases/request.js';
import type { HttpRequest } from '../cases/case.js';
import type { SendResult } from '../http/client.js';
import type { Operation } from '../model/registry.js';
import type { JsonSchema } from '../model/spec-model.js';
import { REALISTIC } from '../properties/realistic.js';
import { FIXTURE_PATH_PARAMS, type Fixtures } from '../targets/fixtures.js';
import type { Change, ChangeKind } from './changes.js';

export type Observation = 'observed' | 'not observed' | 'cannot be provoked';

export interface Probed {
  readonly change: Change;
  readonly observation: Observation;
  /** What was sent and what came back, in a line. */
  readonly evidence: string;
}

export interface ProbeEnv {
  readonly from: Operation;
  readonly to: Operation;
  readonly baseUrl: string;
  readonly token: string;
  readonly fixtures: Fixtures;
  readonly send: (req: HttpRequest) => Promise<SendResult>;
  readonly seed: number;
}

type Seg = string;
const segments = (location: string): Seg[] => location.replace(/^\d{3} |^default /, '').split('/').filter(Boolean);

/** The request-body schema of an operation at a location (`[]` = array items), or undefined. */
function schemaAt(op: Operation, segs: readonly Seg[]): JsonSchema | undefined {
  let schema: JsonSchema | undefined = op.model.requestBody?.schema;
  for (const s of segs) {
    if (!schema) return undefined;
    const node = normalize(schema, op.spec.schemas);
    schema = s === '[]' ? itemSchema(node) : propertySchema(node, s);
  }
  return schema;
}

/**
 * Whether a change's location is read-only for clients at the new version: read in the request body, which mirrors
 * the resource (CertificateBundle's policy is read-only in an answer, yet a request sets it), the member or one above
 * it is readOnly.
 */
function readOnlyAt(c: Change, op: Operation): boolean {
  const segs = segments(c.location);
  return segs.some((_, i) => {
    const schema = schemaAt(op, segs.slice(0, i + 1));
    return schema !== undefined && normalize(schema, op.spec.schemas).readOnly;
  });
}

/** A copy of `body` with `value` at the location: containers made on the way, an array item appended. */
function place(body: unknown, segs: readonly Seg[], value: unknown, append: boolean): unknown {
  const [head, ...rest] = segs;
  if (head === undefined) return value;
  if (head === '[]') {
    const list = Array.isArray(body) ? [...(body as unknown[])] : [];
    if (rest.length === 0 && append) return [...list, value];
    list[0] = place(list[0], rest, value, append);
    return list;
  }
  const obj = isRecord(body) ? { ...body } : {};
  obj[head] = place(obj[head], rest, value, append);
  return obj;
}

/** The value at a location of an answer (`[]` = the first item). */
function read(body: unknown, segs: readonly Seg[]): unknown {
  let v = body;
  for (const s of segs) v = s === '[]' ? (Array.isArray(v) ? v[0] : undefined) : isRecord(v) ? v[s] : undefined;
  return v;
}

/** Realistic values for members whose schema says only `string` (a generated string could be refused). */
const REALISTIC_VALUES: { readonly [member: string]: unknown } = { uris: ['https://contoso.com/app'], ipAddresses: ['10.0.0.1'] };

function valueFor(op: Operation, segs: readonly Seg[], seed: number): unknown {
  const known = REALISTIC_VALUES[segs[segs.length - 1] ?? ''];
  if (known !== undefined) return known;
  const schema = schemaAt(op, segs);
  if (!schema) return undefined;
  // The fullest of a few samples: an empty array or object would probe nothing.
  const samples = fc.sample(validValue(schema, op.spec.schemas), { seed, numRuns: 10 });
  return samples.sort((a, b) => JSON.stringify(b).length - JSON.stringify(a).length)[0];
}

function realistic(op: Operation, env: ProbeEnv): { pathParams: { [k: string]: string }; body: unknown } {
  const ctx = { operation: op, fixtures: env.fixtures, profile: 'service' as const, certificates: [] };
  const r = fc.sample(REALISTIC[op.id]?.(ctx) ?? fc.constant({ pathParams: {}, body: undefined, label: 'none' }), { seed: env.seed, numRuns: 1 })[0];
  return { pathParams: { ...(FIXTURE_PATH_PARAMS[op.id]?.(env.fixtures) ?? {}), ...(r?.pathParams ?? {}) }, body: r?.body };
}

const answer = (r: SendResult): string => (r.response ? `${r.response.status}` : `no answer (${r.transportError?.kind ?? 'error'})`);
const ok = (r: SendResult): boolean => r.response !== undefined && r.response.status >= 200 && r.response.status < 300;

async function sendAt(op: Operation, env: ProbeEnv, body: unknown, pathParams: { [k: string]: string }): Promise<SendResult> {
  return env.send(buildRequest(op, env.baseUrl, env.token, { pathParams, body }));
}

type Probe = (c: Change, env: ProbeEnv) => Promise<Omit<Probed, 'change'>>;

/** A new request member: accepted and applied at the new version; what the old version did is told. */
const requestMember: Probe = async (c, env) => {
  const segs = segments(c.location);
  const value = valueFor(env.to, segs, env.seed);
  if (value === undefined) return { observation: 'cannot be provoked', evidence: 'no schema for the member at the new version' };
  const base = realistic(env.to, env);
  const body = place(base.body, segs, value, false);
  const atNew = await sendAt(env.to, env, body, base.pathParams);
  const atOld = await sendAt(env.from, env, body, base.pathParams);
  const sent = `sent ${c.location.split('/').pop()} = ${JSON.stringify(value)}`;
  const old = `at ${env.from.apiVersion}: ${answer(atOld)}${ok(atOld) ? (JSON.stringify(read(atOld.response?.body, segs)) === JSON.stringify(value) ? ', applied' : ', ignored') : ', refused'}`;
  if (!ok(atNew)) return { observation: 'not observed', evidence: `${sent}; at ${env.to.apiVersion}: ${answer(atNew)} (refused); ${old}` };
  const echoed = read(atNew.response?.body, segs);
  const applied = JSON.stringify(echoed) === JSON.stringify(value);
  return applied
    ? { observation: 'observed', evidence: `${sent}; at ${env.to.apiVersion}: ${answer(atNew)}, applied; ${old}` }
    : { observation: 'not observed', evidence: `${sent}; at ${env.to.apiVersion}: ${answer(atNew)}, but the answer does not carry it (${JSON.stringify(echoed) ?? 'absent'}); ${old}` };
};

/** New enum values of a request member: each accepted at the new version. */
const requestEnumValue: Probe = async (c, env) => {
  const segs = segments(c.location);
  const seen: string[] = [];
  let all = true;
  for (const v of c.values ?? []) {
    const base = realistic(env.to, env);
    const r = await sendAt(env.to, env, place(base.body, segs, v, true), base.pathParams);
    all &&= ok(r);
    seen.push(`${v}: ${answer(r)}`);
  }
  return { observation: all && seen.length > 0 ? 'observed' : 'not observed', evidence: `at ${env.to.apiVersion}: ${seen.join(', ')}` };
};

/** A new response member: present in the answer to a realistic request at the new version. */
const responseMember: Probe = async (c, env) => {
  const base = realistic(env.to, env);
  const r = await sendAt(env.to, env, base.body, base.pathParams);
  const v = read(r.response?.body, segments(c.location));
  if (!ok(r)) return { observation: 'not observed', evidence: `a realistic request at ${env.to.apiVersion}: ${answer(r)}` };
  return v === undefined
    ? { observation: 'not observed', evidence: `at ${env.to.apiVersion}: ${answer(r)} without it (an optional member may be absent)` }
    : { observation: 'observed', evidence: `at ${env.to.apiVersion}: ${answer(r)} with ${JSON.stringify(v).slice(0, 80)}` };
};

/**
 * New enum values of a response member that the request carries at the same place (a resource echoed): each sent
 * at the new version and found in the answer there.
 */
const responseEnumValue: Probe = async (c, env) => {
  const segs = segments(c.location);
  if (!schemaAt(env.to, segs)) return { observation: 'cannot be provoked', evidence: 'the request has no member at this place to echo' };
  const seen: string[] = [];
  let all = true;
  for (const v of c.values ?? []) {
    const base = realistic(env.to, env);
    const r = await sendAt(env.to, env, place(base.body, segs, v, true), base.pathParams);
    const list = read(r.response?.body, segs.at(-1) === '[]' ? segs.slice(0, -1) : segs);
    const found = ok(r) && (Array.isArray(list) ? list.includes(v) : list === v);
    all &&= found;
    seen.push(`${v}: ${answer(r)}${found ? ', in the answer' : ok(r) ? ', not in the answer' : ''}`);
  }
  return { observation: all && seen.length > 0 ? 'observed' : 'not observed', evidence: `at ${env.to.apiVersion}: ${seen.join(', ')}` };
};

/**
 * A new read-only request member (recoverableDays, 7.1): the service owns it, so a value a client sends is accepted
 * and ignored ("readOnly: servers ignore them in requests"), at the new version as at the old.
 */
const readOnlyRequestMember: Probe = async (c, env) => {
  const segs = segments(c.location);
  const value = valueFor(env.to, segs, env.seed);
  if (value === undefined) return { observation: 'cannot be provoked', evidence: 'no schema for the member at the new version' };
  const base = realistic(env.to, env);
  const atNew = await sendAt(env.to, env, place(base.body, segs, value, false), base.pathParams);
  const kept = JSON.stringify(read(atNew.response?.body, segs));
  const evidence = `read-only; sent ${segs.at(-1) ?? ''} = ${JSON.stringify(value)}; at ${env.to.apiVersion}: ${answer(atNew)}`;
  if (!ok(atNew)) return { observation: 'not observed', evidence: `${evidence} (refused)` };
  return kept === JSON.stringify(value)
    ? { observation: 'not observed', evidence: `${evidence}, applied (a read-only member must be ignored)` }
    : { observation: 'observed', evidence: `${evidence}, ignored (the answer has ${kept ?? 'none'})` };
};

/**
 * A new read-only response member: the service sets it, no request can. Observed when a realistic answer at the
 * new version carries it; absent, it cannot be provoked (the service may leave an optional member out, as Key
 * Vault leaves the recovery settings out of a policy's attributes).
 */
const readOnlyResponseMember: Probe = async (c, env) => {
  const base = realistic(env.to, env);
  const r = await sendAt(env.to, env, base.body, base.pathParams);
  if (!ok(r)) return { observation: 'not observed', evidence: `a realistic request at ${env.to.apiVersion}: ${answer(r)}` };
  const v = read(r.response?.body, segments(c.location));
  return v === undefined
    ? { observation: 'cannot be provoked', evidence: `read-only, set by the service: the answer at ${env.to.apiVersion} (${answer(r)}) does not carry it` }
    : { observation: 'observed', evidence: `at ${env.to.apiVersion}: ${answer(r)} with ${JSON.stringify(v).slice(0, 80)}` };
};

/**
 * New values of a read-only response enum (recoveryLevel): the service picks the value from settings no request
 * changes, so a sent value proves nothing. Observed when the answer at the new version carries one of the new
 * values; the others cannot be provoked.
 */
const readOnlyResponseEnumValue: Probe = async (c, env) => {
  const base = realistic(env.to, env);
  const r = await sendAt(env.to, env, base.body, base.pathParams);
  if (!ok(r)) return { observation: 'not observed', evidence: `a realistic request at ${env.to.apiVersion}: ${answer(r)}` };
  const v = read(r.response?.body, segments(c.location));
  const seen = (c.values ?? []).find((x) => x === v);
  return seen === undefined
    ? { observation: 'cannot be provoked', evidence: `read-only, set by the service: the answer at ${env.to.apiVersion} has ${JSON.stringify(v) ?? 'none'}, none of the new values` }
    : { observation: 'observed', evidence: `at ${env.to.apiVersion}: ${answer(r)} with ${seen} (the others depend on the resource's settings)` };
};

interface ProbeRow {
  readonly request?: Probe;
  readonly response?: Probe;
}

/** Probes by change kind and side; a read-only member (or one under a read-only member) has its own row. */
const PROBES: { readonly [k in ChangeKind]?: { readonly writable: ProbeRow; readonly readOnly: ProbeRow } } = {
  'member-added': { writable: { request: requestMember, response: responseMember }, readOnly: { request: readOnlyRequestMember, response: readOnlyResponseMember } },
  // A read-only request value is still accepted: requestEnumValue holds for it too.
  'enum-value-added': { writable: { request: requestEnumValue, response: responseEnumValue }, readOnly: { request: requestEnumValue, response: readOnlyResponseEnumValue } },
};

/** Every change of the diff, probed one after another (they write to the same fixtures). */
export async function probeChanges(changes: readonly Change[], env: ProbeEnv): Promise<Probed[]> {
  const out: Probed[] = [];
  for (const change of changes) {
    const row = PROBES[change.kind]?.[readOnlyAt(change, env.to) ? 'readOnly' : 'writable'];
    const probe = change.side === 'request' || change.side === 'response' ? row?.[change.side] : undefined;
    if (!probe) {
      out.push({ change, observation: 'cannot be provoked', evidence: `no probe for ${change.kind} (${change.side})` });
      continue;
    }
    out.push({ change, ...(await probe(change, env)) });
  }
  return out;
}
