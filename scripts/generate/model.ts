import type {
  HeaderModel,
  HttpMethod,
  JsonSchema,
  OperationModel,
  ParameterLocation,
  ParameterModel,
  ResponseModel,
  RuleRef,
  SpecModel,
} from '../../src/model/spec-model.js';
import { SpecError, isObject, resolvePointer, type OpenApiDoc } from './load-spec.js';
import { reachable } from './schemas.js';

type Obj = { [key: string]: unknown };
const METHODS: readonly HttpMethod[] = ['GET', 'PUT', 'PATCH', 'POST', 'DELETE'];

/** Flatten one OpenAPI document into the engine's plain-data model (see src/model/spec-model.ts). */
export function buildModel(file: string, doc: OpenApiDoc): SpecModel {
  const info = doc.info as Obj;
  const components = (isObject(doc.components) ? doc.components : {}) as Obj;
  const schemas = (isObject(components.schemas) ? components.schemas : {}) as { [k: string]: JsonSchema };
  const deref = (node: unknown): Obj => {
    let n = node;
    for (let i = 0; i < 8 && isObject(n) && typeof n.$ref === 'string'; i++) n = resolvePointer(doc, n.$ref);
    if (!isObject(n)) throw new SpecError(file, `expected an object, found ${JSON.stringify(node)}`);
    return n;
  };
  const examplesOf = (holder: Obj): { [name: string]: unknown } => {
    const ex = holder.examples;
    if (!isObject(ex)) return {};
    return Object.fromEntries(Object.entries(ex).map(([name, e]) => [name, deref(e).value]));
  };

  const operations: OperationModel[] = [];
  for (const [path, rawItem] of Object.entries(doc.paths as Obj)) {
    const item = deref(rawItem);
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) {
      const op = item[method.toLowerCase()];
      if (!isObject(op)) continue;
      if (typeof op.operationId !== 'string') throw new SpecError(file, `${method} ${path}: operationId is missing`);
      const id = op.operationId;

      const parameters: ParameterModel[] = [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])].map(
        (raw) => {
          const p = deref(raw);
          if (!isObject(p.schema)) throw new SpecError(file, `${id}: parameter ${String(p.name)} has no schema`);
          return {
            name: String(p.name),
            in: String(p.in) as ParameterLocation,
            required: p.required === true,
            ...(typeof p.description === 'string' ? { description: p.description } : {}),
            schema: p.schema as JsonSchema,
            examples: examplesOf(p),
          };
        },
      );

      let requestBody: OperationModel['requestBody'];
      if (op.requestBody !== undefined) {
        const rb = deref(op.requestBody);
        const [contentType, media] = firstContent(rb);
        if (!contentType || !media || !isObject(media.schema)) throw new SpecError(file, `${id}: request body has no JSON schema`);
        requestBody = { required: rb.required === true, contentType, schema: media.schema as JsonSchema, examples: examplesOf(media) };
      }

      const responses: ResponseModel[] = Object.entries(isObject(op.responses) ? op.responses : {}).map(([status, raw]) => {
        const r = deref(raw);
        const [contentType, media] = firstContent(r);
        const headers: HeaderModel[] = Object.entries(isObject(r.headers) ? r.headers : {}).map(([name, rawH]) => {
          const h = deref(rawH);
          return { name, required: h.required === true, schema: (isObject(h.schema) ? h.schema : {}) as JsonSchema, examples: examplesOf(h) };
        });
        return {
          status,
          description: typeof r.description === 'string' ? r.description : '',
          ...(contentType ? { contentType } : {}),
          ...(media && isObject(media.schema) ? { schema: media.schema as JsonSchema } : {}),
          headers,
          examples: media ? examplesOf(media) : {},
        };
      });

      const roots = [requestBody?.schema, ...parameters.map((p) => p.schema), ...responses.map((r) => r.schema)];
      const rules = [
        ...rulesIn(op, 'operation', file),
        ...roots.flatMap((s) => rulesIn(s, 'inline', file)),
        ...reachable(roots, schemas).flatMap((name) => rulesIn(schemas[name], name, file)),
      ];

      const security = (Array.isArray(op.security) ? op.security : Array.isArray(doc.security) ? doc.security : []).flatMap(
        (req: unknown) => Object.entries(isObject(req) ? req : {}).map(([scheme, scopes]) => ({ scheme, scopes: (scopes as string[]) ?? [] })),
      );

      operations.push({
        id,
        method,
        path,
        ...(typeof op.summary === 'string' ? { summary: op.summary } : {}),
        parameters,
        ...(requestBody ? { requestBody } : {}),
        responses,
        rules: dedupe(rules),
        security,
      });
    }
  }

  const servers = Array.isArray(doc.servers) ? doc.servers.filter(isObject) : [];
  const server = servers[0] ?? { url: '/' };
  const variables = Object.fromEntries(
    Object.entries(isObject(server.variables) ? server.variables : {}).map(([k, v]) => [k, String((v as Obj).default ?? '')]),
  );
  return {
    file,
    service: String(info['x-azconform-service']),
    apiVersion: String(info.version),
    title: String(info.title ?? ''),
    plane: operations.every((o) => o.path.startsWith('/subscriptions/')) ? 'arm' : 'data',
    server: { url: String(server.url), variables },
    operations,
    schemas,
  };
}

function firstContent(holder: Obj): [string | undefined, Obj | undefined] {
  if (!isObject(holder.content)) return [undefined, undefined];
  const [entry] = Object.entries(holder.content);
  return entry && isObject(entry[1]) ? [entry[0], entry[1]] : [undefined, undefined];
}

/** `x-azconform-rules` anywhere inside a node (not through $refs: those are collected by name). */
function rulesIn(node: unknown, at: string, file: string): RuleRef[] {
  const found: RuleRef[] = [];
  const visit = (n: unknown, top: boolean): void => {
    if (Array.isArray(n)) return n.forEach((x) => visit(x, false));
    if (!isObject(n)) return;
    const list = n['x-azconform-rules'];
    if (list !== undefined) {
      if (!Array.isArray(list)) throw new SpecError(file, `${at}: x-azconform-rules must be a list`);
      for (const r of list) {
        if (!isObject(r) || typeof r.id !== 'string' || typeof r.says !== 'string' || typeof r.source !== 'string') {
          throw new SpecError(file, `${at}: each x-azconform-rules entry needs id, says and source`);
        }
        const applies = r.applies ?? 'both';
        if (applies !== 'request' && applies !== 'response' && applies !== 'both') {
          throw new SpecError(file, `${at}: rule ${r.id} has applies ${JSON.stringify(applies)} (request, response or both)`);
        }
        found.push({ id: r.id, says: r.says, applies, source: r.source, at });
      }
    }
    // An operation's own rules are read from its top level only; its responses are visited as schemas.
    if (at === 'operation' && top) return;
    for (const [k, v] of Object.entries(n)) if (k !== 'x-azconform-rules') visit(v, false);
  };
  visit(node, true);
  return found;
}

function dedupe(rules: RuleRef[]): RuleRef[] {
  const seen = new Set<string>();
  return rules.filter((r) => !seen.has(r.id) && seen.add(r.id) !== undefined);
}
