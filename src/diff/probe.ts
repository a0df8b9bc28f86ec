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

const PROBES: { readonly [k in ChangeKind]?: { readonly request?: Probe; readonly response?: Probe } } = {
  'member-added': { request: requestMember, response: responseMember },
  'enum-value-added': { request: requestEnumValue, response: responseEnumValue },
};

/** Every change of the diff, probed one after another (they write to the same fixtures). */
export async function probeChanges(changes: readonly Change[], env: ProbeEnv): Promise<Probed[]> {
  const out: Probed[] = [];
  for (const change of changes) {
    const probe = change.side === 'request' || change.side === 'response' ? PROBES[change.kind]?.[change.side] : undefined;
    if (!probe) {
      out.push({ change, observation: 'cannot be provoked', evidence: `no probe for ${change.kind} (${change.side})` });
      continue;
    }
    out.push({ change, ...(await probe(change, env)) });
  }
  return out;
}
