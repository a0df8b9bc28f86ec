import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

/** A problem with a spec file that the user must fix; reported as one clear line, never a stack trace. */
export class SpecError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

export type OpenApiDoc = { [key: string]: unknown };

/** Parse one spec file and check the few conventions the generator relies on (specs/README.md). */
export async function loadSpec(abs: string, file = abs): Promise<OpenApiDoc> {
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (err) {
    throw new SpecError(file, `cannot read (${(err as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: true });
  } catch (err) {
    throw new SpecError(file, `not valid YAML: ${((err as Error).message.split('\n')[0] ?? '').replace(/:\s*$/, '')}`);
  }
  return checkSpec(file, doc);
}

/** The conventions the generator relies on, for a spec file or a document an overlay made. */
export function checkSpec(file: string, doc: unknown): OpenApiDoc {
  if (!isObject(doc)) throw new SpecError(file, 'not an OpenAPI document (top level is not a mapping)');
  if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.1')) {
    throw new SpecError(file, `openapi must be 3.1.x, found ${JSON.stringify(doc.openapi)}`);
  }
  const info = doc.info;
  if (!isObject(info) || typeof info.version !== 'string') {
    throw new SpecError(file, 'info.version (the api-version, as a string) is missing');
  }
  if (typeof info['x-azconform-service'] !== 'string') {
    throw new SpecError(file, 'info.x-azconform-service is missing');
  }
  if (!isObject(doc.paths)) throw new SpecError(file, 'paths is missing');
  checkRefs(file, doc);
  return doc;
}

/** Every `$ref` must be local and resolve: a dangling ref would otherwise surface deep inside AJV. */
function checkRefs(file: string, doc: OpenApiDoc): void {
  const visit = (node: unknown, at: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${at}/${i}`));
    if (!isObject(node)) return;
    const ref = node.$ref;
    if (typeof ref === 'string') {
      if (!ref.startsWith('#/')) throw new SpecError(file, `${at}: only local $refs are allowed, found ${ref}`);
      if (resolvePointer(doc, ref) === undefined) throw new SpecError(file, `${at}: $ref ${ref} does not resolve`);
    }
    for (const [k, v] of Object.entries(node)) visit(v, `${at}/${k}`);
  };
  visit(doc, '#');
}

export function resolvePointer(doc: unknown, ref: string): unknown {
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

export function isObject(v: unknown): v is { [key: string]: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
