/**
 * Overlays (scripts/generate/overlay.ts): a version written as its base plus JSON Patch operations, materialised
 * into a plain OpenAPI document; chains, broken patches and circles are one clear error naming the overlay.
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { materialise } from '../../scripts/generate/overlay.js';

const BASE = {
  openapi: '3.1.0',
  info: { title: 't', version: '1.0', 'x-azconform-service': 'svc' },
  paths: { '/x': { put: { operationId: 'Op', parameters: [{ name: 'api-version', in: 'query', required: true, schema: { type: 'string' }, examples: { A: { value: '1.0' } } }], responses: { '200': { description: 'ok' } } } } },
  components: { schemas: { Thing: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'array', items: { type: 'string', enum: ['x', 'y'] } } } } } },
};

async function folder(files: { [name: string]: unknown }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'azconform-overlay-'));
  await mkdir(path.join(dir, 'svc'));
  for (const [name, doc] of Object.entries(files)) await writeFile(path.join(dir, 'svc', name), stringify(doc));
  return path.join(dir, 'svc');
}
const overlay = (version: string, base: string, patches: unknown[]) => ({ 'x-azconform-overlay': { version, extends: base, description: `v${version}`, patches } });

describe('overlays', () => {
  it('applies patches on a chain of overlays, renames the api-version examples, and leaves the base as it was', async () => {
    const dir = await folder({
      '1.0.yaml': BASE,
      '2.0.overlay.yaml': overlay('2.0', '1.0', [{ op: 'add', path: '/components/schemas/Thing/properties/c', value: { type: 'integer' } }]),
      '3.0.overlay.yaml': overlay('3.0', '2.0', [
        { op: 'remove', path: '/components/schemas/Thing/properties/a' },
        { op: 'replace', path: '/components/schemas/Thing/properties/b/items/enum', value: ['x', 'y', 'z'] },
        { op: 'add', path: '/components/schemas/Thing/properties/b/items/enum/-', value: 'w' },
      ]),
    });
    const doc = (await materialise(path.join(dir, '3.0.overlay.yaml'), 'specs/svc/3.0.overlay.yaml')) as typeof BASE & { components: { schemas: { Thing: { properties: { [k: string]: { items?: { enum: string[] } } } } } } };
    expect(doc.info).toEqual({ title: 't', version: '3.0', 'x-azconform-service': 'svc', description: 'v3.0' });
    expect(Object.keys(doc.components.schemas.Thing.properties)).toEqual(['b', 'c']);
    expect(doc.components.schemas.Thing.properties.b?.items?.enum).toEqual(['x', 'y', 'z', 'w']);
    expect(doc.paths['/x'].put.parameters[0]?.examples.A.value).toBe('3.0');
    expect(BASE.paths['/x'].put.parameters[0]?.examples.A.value).toBe('1.0');
  });

  it('a patch that does not resolve names the overlay and the patch', async () => {
    const dir = await folder({ '1.0.yaml': BASE, '2.0.overlay.yaml': overlay('2.0', '1.0', [{ op: 'remove', path: '/components/schemas/Nope/properties/a' }]) });
    await expect(materialise(path.join(dir, '2.0.overlay.yaml'), 'specs/svc/2.0.overlay.yaml')).rejects.toThrow(/^specs\/svc\/2\.0\.overlay\.yaml: patch remove \/components\/schemas\/Nope\/properties\/a: the parent does not exist$/);
  });

  it('a test patch guards an index: it passes when the item is the one named, and fails the build when the base moved it', async () => {
    const guard = (value: string) => [{ op: 'test', path: '/components/schemas/Thing/properties/b/items/enum/1', value }, { op: 'remove', path: '/components/schemas/Thing/properties/b/items/enum/1' }];
    const ok = await folder({ '1.0.yaml': BASE, '2.0.overlay.yaml': overlay('2.0', '1.0', guard('y')) });
    const doc = (await materialise(path.join(ok, '2.0.overlay.yaml'), 'specs/svc/2.0.overlay.yaml')) as typeof BASE;
    expect(doc.components.schemas.Thing.properties.b.items.enum).toEqual(['x']);
    const moved = await folder({ '1.0.yaml': BASE, '2.0.overlay.yaml': overlay('2.0', '1.0', guard('x')) });
    await expect(materialise(path.join(moved, '2.0.overlay.yaml'), 'specs/svc/2.0.overlay.yaml')).rejects.toThrow(/patch test .*enum\/1: found "y", expected "x" \(the base document changed/);
  });

  it('an unknown base and a circle are errors, never a hang', async () => {
    const dir = await folder({ '2.0.overlay.yaml': overlay('2.0', '9.9', []), 'a.overlay.yaml': overlay('a', 'b', []), 'b.overlay.yaml': overlay('b', 'a', []) });
    await expect(materialise(path.join(dir, '2.0.overlay.yaml'), 'specs/svc/2.0.overlay.yaml')).rejects.toThrow(/extends 9\.9, which is neither a spec nor an overlay/);
    await expect(materialise(path.join(dir, 'a.overlay.yaml'), 'specs/svc/a.overlay.yaml')).rejects.toThrow(/in a circle/);
  });

  it('an overlay without its fields is refused', async () => {
    const dir = await folder({ '1.0.yaml': BASE, '2.0.overlay.yaml': { 'x-azconform-overlay': { version: '2.0' } } });
    await expect(materialise(path.join(dir, '2.0.overlay.yaml'), 'specs/svc/2.0.overlay.yaml')).rejects.toThrow(/an overlay is/);
  });
});
