import type { Exchange } from '../http/exchange.js';
import { carriedRules } from '../rules/carried.js';
import { RESPONSE_RULES, type ResponseRule } from '../rules/response-rules.js';
import type { OperationModel } from '../model/spec-model.js';
import type { Check, Finding } from './types.js';
import { isSuccess, violation, withoutNulls } from './util.js';

/**
 * The rules of each operation at its api-version (those its document carries), stateless ones and request-bound
 * ones apart: looked up per exchange, built once.
 */
const RULES_BY_OPERATION = new WeakMap<OperationModel, { readonly [stateless: string]: readonly ResponseRule[] }>();
const rulesOf = (model: OperationModel, stateless: boolean): readonly ResponseRule[] => {
  let rules = RULES_BY_OPERATION.get(model);
  if (!rules) {
    const mine = carriedRules(RESPONSE_RULES, model);
    RULES_BY_OPERATION.set(model, (rules = { true: mine.filter((r) => r.stateless), false: mine.filter((r) => !r.stateless) }));
  }
  return rules[String(stateless)] ?? [];
};

function judge(ex: Exchange, check: string, stateless: boolean): Finding[] {
  const res = ex.response;
  const body = res?.body;
  if (!res || !isSuccess(res.status) || typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  // The body as a client reads it: a property set to null is absent (the text search spares the walk).
  const read = (res.bodyText.includes('null') ? withoutNulls(body) : body) as { [k: string]: unknown };
  const out: Finding[] = [];
  for (const r of rulesOf(ex.case.operation.model, stateless)) {
    const why = r.broken(ex, read);
    if (why) out.push(violation(check, why, { rule: r.id, direction: 'response' }));
  }
  return out;
}

const KINDS = ['example', 'positive', 'boundary', 'knob', 'sequence', 'recorded'] as const;

/** Rules any answer must keep on its own (x5t = SHA-1 of cer, recoverableDays by level, no echoed secrets). */
export const responseRules: Check = {
  id: 'response.rules',
  title: 'A success response keeps the Azure rules that hold for any answer (x5t, recoverableDays, no secrets)',
  cites: 'x-azconform-rules of the operation (src/rules/response-rules.ts, stateless); each finding names its rule id',
  kinds: KINDS,
  run: (ex) => judge(ex, 'response.rules', true),
};

/** Rules tying the answer to the request (echo, ids, thumbprint of the upload): only a real processor can keep them. */
export const responseAgrees: Check = {
  id: 'response.agrees',
  title: 'A success response agrees with the request (contacts echoed, id/kid/sid, name/type/id, certificate described)',
  cites: 'x-azconform-rules of the operation (src/rules/response-rules.ts, request-bound); each finding names its rule id',
  kinds: KINDS,
  skip: (ctx, ex) =>
    ctx.profile === 'mock'
      ? `a stateless mock answers with fixed examples, so it cannot keep ${RESPONSE_RULES.filter((r) => r.operationId === ex.case.operation.id && !r.stateless).map((r) => r.id).join(', ') || 'request-bound rules'}`
      : undefined,
  run: (ex) => judge(ex, 'response.agrees', false),
};
