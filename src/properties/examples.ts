import type { Operation } from '../model/registry.js';
import { obj, type Obj } from '../rules/json.js';
import { brokenRequestRules } from '../rules/request-rules.js';
import { FIXTURE_PATH_PARAMS, type Fixtures } from '../targets/fixtures.js';
import type { CaseInput, PropertyContext, PropertyDef } from './types.js';

/** How a replayed example is judged, by the status its response documents. */
function kindOf(status: string, apiVersion: string | undefined, op: Operation): Pick<CaseInput, 'kind' | 'expect'> | undefined {
  const code = Number(status);
  if (code >= 200 && code < 300) return { kind: 'example', expect: 'accept' };
  if (code === 401) return { kind: 'auth', expect: 'reject' };
  if (code === 404) return { kind: 'not-found', expect: 'reject' };
  if (apiVersion !== undefined && apiVersion !== op.apiVersion) return { kind: 'api-version', expect: 'reject' };
  return undefined;
}

/**
 * Path parameters a success example uses to name a resource it creates. Against a live target the example's own
 * name could be a user's resource (an API Management certificate 'tempcert' cannot be read back once overwritten),
 * so under the service profile the replay creates a fresh one of the kit's own instead.
 */
const CREATES: { readonly [operationId: string]: string } = { Certificate_CreateOrUpdate: 'certificateId' };
const freshId = (): string => `azconform-ex-${Math.floor(Math.random() * 2 ** 40).toString(16)}`;

const isPlaceholder = (v: unknown): boolean => typeof v === 'string' && /^\*+|\*{4,}/.test(v);

/**
 * A success example's body made the target's: what names Azure's own test resources is replaced by the fixtures
 * (an access policy's tenant is the vault's; a Key Vault reference the configured secret). Returns the body and
 * what was changed, for the case's note.
 */
function asTargets(body: unknown, fixtures: Fixtures): { body: unknown; changed: string[] } {
  const props = obj(obj(body)?.properties);
  const changed: string[] = [];
  if (!props) return { body, changed };
  const out: Obj = { ...props };
  const policies = Array.isArray(props.accessPolicies) ? props.accessPolicies : undefined;
  if (policies?.some((e) => obj(e)?.tenantId !== undefined && obj(e)?.tenantId !== fixtures.vault.tenantId)) {
    out.accessPolicies = policies.map((e) => (obj(e) ? { ...obj(e), tenantId: fixtures.vault.tenantId } : e));
    changed.push("the example's tenantId was replaced by the vault's (rule same-tenant)");
  }
  const secret = fixtures.apiManagement.keyVaultSecret;
  if (obj(props.keyVault) && secret) {
    out.keyVault = { ...secret };
    changed.push("the example's Key Vault secret was replaced by the configured one (fixtures.apiManagement.keyVaultSecret)");
  }
  return changed.length > 0 ? { body: { ...obj(body), properties: out }, changed } : { body, changed };
}

/**
 * Replay every named example of the spec as one request. Success examples use the target's fixtures for the
 * resources that must exist; error examples keep their own values (they name what is missing or wrong).
 * Examples whose outcome depends on state the kit cannot set up (a stale ETag, a 409) are not replayed.
 */
export const examples: PropertyDef = {
  name: 'examples',
  // New resource names every run (a fresh certificateId, a name that does not exist): never reused.
  fresh: true,
  table: (ctx: PropertyContext) => {
    const op = ctx.operation;
    const names = new Set<string>([
      ...Object.keys(op.model.requestBody?.examples ?? {}),
      ...op.model.parameters.flatMap((p) => Object.keys(p.examples)),
    ]);
    const cases: CaseInput[] = [];
    for (const name of names) {
      const response = op.model.responses.find((r) => name in r.examples) ?? op.model.responses.find((r) => r.headers.some((h) => name in h.examples));
      if (!response) continue;
      const param = (where: string, n: string): unknown => op.model.parameters.find((p) => p.in === where && p.name === n)?.examples[name];
      const apiVersion = param('query', 'api-version');
      const judged = kindOf(response.status, typeof apiVersion === 'string' ? apiVersion : undefined, op);
      if (!judged) continue;
      const pathParams: { [k: string]: string } = {};
      for (const p of op.model.parameters.filter((x) => x.in === 'path')) {
        const v = p.examples[name];
        if (v !== undefined) pathParams[p.name] = String(v);
      }
      if (judged.kind === 'example') Object.assign(pathParams, FIXTURE_PATH_PARAMS[op.id]?.(ctx.fixtures) ?? {});
      const notes: string[] = [];
      const created = CREATES[op.id];
      if (judged.kind === 'example' && ctx.profile === 'service' && created && pathParams[created] !== undefined) {
        notes.push(`${created} '${pathParams[created]}' of the example was replaced by a fresh one, so no existing resource is overwritten`);
        pathParams[created] = freshId();
      }
      const headers: { [k: string]: string } = {};
      for (const p of op.model.parameters.filter((x) => x.in === 'header')) {
        const v = p.examples[name];
        if (typeof v === 'string') headers[p.name] = v;
      }
      let body = op.model.requestBody?.examples[name];
      // The official upload example carries placeholder certificate data no real service accepts.
      const props = (body as { properties?: { data?: unknown; password?: unknown } } | undefined)?.properties;
      if (props && isPlaceholder(props.data) && ctx.certificates[0]) {
        body = { ...(body as object), properties: { ...props, data: ctx.certificates[0].data, password: ctx.certificates[0].password } };
        notes.push("the example's placeholder certificate data was replaced by a real self-signed PKCS#12 made for this run");
      }
      let expect = judged.expect;
      if (judged.kind === 'example' && body !== undefined) {
        const mine = asTargets(body, ctx.fixtures);
        body = mine.body;
        notes.push(...mine.changed);
        // Azure's own test vault, or a rule the fixtures make the example break: nothing says this target takes it.
        const kv = obj(obj(obj(body)?.properties)?.keyVault);
        const broken = brokenRequestRules(body, pathParams, { operation: op, fixtures: ctx.fixtures });
        if (ctx.profile === 'service' && kv && !ctx.fixtures.apiManagement.keyVaultSecret) {
          expect = 'either';
          notes.push("the example references a Key Vault secret of Azure's own test vault, which a service cannot read: either answer (configure fixtures.apiManagement.keyVaultSecret)");
        } else if (broken.length > 0) {
          expect = 'either';
          notes.push(`with these fixtures the example breaks ${broken.map((b) => b.id).join(', ')}: either answer`);
        }
      }
      const note = notes.length > 0 ? notes.join('; ') : undefined;
      cases.push({
        ...judged,
        expect,
        example: name,
        exampleStatus: response.status,
        label: `example ${name} (${response.status})`,
        ...(note ? { note } : {}),
        value: {
          pathParams,
          ...(typeof apiVersion === 'string' ? { apiVersion } : {}),
          headers,
          ...(body !== undefined ? { body } : {}),
          anonymous: judged.kind === 'auth',
        },
      });
    }
    return cases;
  },
};
