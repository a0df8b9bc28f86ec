import type { Case, CaseKind } from '../../src/cases/case.js';
import type { Exchange, HttpResponse } from '../../src/http/exchange.js';
import { parseBody } from '../../src/http/exchange.js';
import { loadOperations, type Operation } from '../../src/model/registry.js';

const ALL = loadOperations();

export function op(id: string, apiVersion: string): Operation {
  const found = ALL.find((o) => o.id === id && o.apiVersion === apiVersion);
  if (!found) throw new Error(`no ${id}@${apiVersion}`);
  return found;
}

/** The example body a response documents, by status and example name (first example when no name). */
export function exampleBody(o: Operation, status: string, name?: string): unknown {
  const r = o.model.responses.find((x) => x.status === status);
  const ex = r?.examples ?? {};
  return name ? ex[name] : Object.values(ex)[0];
}

export function response(status: number, body: unknown, headers: { [k: string]: string } = {}): HttpResponse {
  const bodyText = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, bodyText, ...parseBody(bodyText) };
}

export function exchange(o: Operation, res: HttpResponse | undefined, c: Partial<Case> & { kind?: CaseKind } = {}, transportError?: Exchange['transportError']): Exchange {
  const kase: Case = {
    id: 'test/0',
    operation: o,
    kind: c.kind ?? 'positive',
    expect: c.expect ?? 'accept',
    request: c.request ?? { method: o.model.method, url: `https://myvault.vault.azure.net${o.model.path}?api-version=${o.apiVersion}`, headers: {} },
    pathParams: c.pathParams ?? {},
    ...(c.breaks ? { breaks: c.breaks } : {}),
    ...(c.label ? { label: c.label } : {}),
  };
  return { case: kase, ...(res ? { response: res } : {}), ...(transportError ? { transportError } : {}), ms: 1 };
}
