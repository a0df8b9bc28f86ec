/**
 * The bundled Prism (src/targets/prism-bundle.ts, run through prism-loader.mjs with a V8 code cache) is the same
 * mock as Prism installed: the same requests to both, status, content type and body compared. Also: a bundle is
 * only used for the tree it was made from, and never when AZCONFORM_PRISM_BUNDLE=0.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOperations, selectOperations, type Operation } from '../../src/model/registry.js';
import { startEmbeddedPrism, type EmbeddedPrism } from '../../src/targets/embedded.js';
import { prismBundle } from '../../src/targets/prism-bundle.js';
import { prismCommand } from '../../src/targets/prism.js';

const seeds = selectOperations(loadOperations(), {}).selected;
const root = path.resolve(import.meta.dirname, '../..');

/** Start the merged seed document's Prism with AZCONFORM_PRISM_BUNDLE as given (read when Prism is spawned). */
async function startWith(bundle: '0' | undefined): Promise<EmbeddedPrism> {
  const before = process.env.AZCONFORM_PRISM_BUNDLE;
  if (bundle === undefined) delete process.env.AZCONFORM_PRISM_BUNDLE;
  else process.env.AZCONFORM_PRISM_BUNDLE = bundle;
  try {
    return await startEmbeddedPrism(seeds, { root, prism: { verboseLevel: 'warn' } });
  } finally {
    if (before === undefined) delete process.env.AZCONFORM_PRISM_BUNDLE;
    else process.env.AZCONFORM_PRISM_BUNDLE = before;
  }
}

/** Path and query of an operation with its first example's parameters. */
function url(op: Operation, apiVersion: string | null = op.apiVersion): string {
  let p = op.model.path;
  for (const param of op.model.parameters) {
    const v = Object.values(param.examples)[0];
    if (param.in === 'path') p = p.replace(`{${param.name}}`, encodeURIComponent(String(v)));
  }
  return apiVersion === null ? p : `${p}?api-version=${apiVersion}`;
}

interface Req {
  readonly op: Operation;
  readonly path: string;
  readonly body: string;
}

/** A valid example, a body breaking the schema, and no api-version: each operation's. */
function requests(): Req[] {
  return seeds.flatMap((op) => {
    const example = Object.values(op.model.requestBody?.examples ?? {})[0] ?? {};
    return [
      { op, path: url(op), body: JSON.stringify(example) },
      { op, path: url(op), body: JSON.stringify({ properties: 42, contacts: 'x' }) },
      { op, path: url(op, null), body: JSON.stringify(example) },
    ];
  });
}

async function answer(base: string, r: Req): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(base + r.path, {
    method: r.op.model.method.toUpperCase(),
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: 'Bearer t', 'if-match': '*' },
    body: r.body,
  });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

describe('the bundled Prism', () => {
  let installed: EmbeddedPrism | undefined;
  let bundled: EmbeddedPrism | undefined;
  beforeAll(async () => {
    [installed, bundled] = await Promise.all([startWith('0'), startWith(undefined)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([installed?.close(), bundled?.close()]);
  });

  it('is used when the build made it for this tree, and not with AZCONFORM_PRISM_BUNDLE=0', () => {
    const made = prismBundle();
    // `npm ci` (prepare) and `npm run build` make it; a tree never built has none, and Prism runs as installed.
    if (made) {
      expect(existsSync(made.bundle)).toBe(true);
      expect(prismCommand()[0]).toMatch(/prism-loader\.mjs$/);
    } else {
      expect(prismCommand()[0]).toMatch(/prism-cli[\\/]dist[\\/]index\.js$/);
    }
    process.env.AZCONFORM_PRISM_BUNDLE = '0';
    try {
      expect(prismBundle()).toBeUndefined();
      expect(prismCommand()[0]).toMatch(/prism-cli[\\/]dist[\\/]index\.js$/);
    } finally {
      delete process.env.AZCONFORM_PRISM_BUNDLE;
    }
  });

  it('answers as Prism installed does', async () => {
    const a = installed as EmbeddedPrism;
    const b = bundled as EmbeddedPrism;
    for (const r of requests()) {
      const [x, y] = await Promise.all([answer(a.urlOf(r.op), r), answer(b.urlOf(r.op), r)]);
      expect({ req: `${r.op.id} ${r.path} ${r.body.slice(0, 40)}`, ...y }).toEqual({ req: `${r.op.id} ${r.path} ${r.body.slice(0, 40)}`, ...x });
    }
  });
});
