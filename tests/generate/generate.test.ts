/**
 * `npm run generate`: up to date on the repo, deterministic, `--check` catches a changed spec, and a broken spec
 * stops generation with exit 2 and one line naming the file (no stack trace). Generation runs as a child process
 * in scratch copies of the project, the way npm runs it (cwd = the project root).
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { afterAll, describe, it } from 'vitest';
import { ROOT, differences, edit, makeScratch, removeScratches, run, snapshot } from './scratch.js';

/** `tsx scripts/generate.ts` in a scratch project (its node_modules/.bin/tsx is what `npx tsx` resolves to). */
const generate = (cwd: string, ...args: string[]) => run(path.join(cwd, 'node_modules/.bin/tsx'), ['scripts/generate.ts', ...args], cwd);

afterAll(removeScratches);

// Five generations run at once over eleven documents: room on a loaded 2-core box (a bound, not a timing claim).
describe.concurrent('npm run generate', { timeout: 240_000 }, () => {
  it('--check passes on the repo', async ({ expect }) => {
    const r = await run('npm', ['run', 'generate', '--', '--check'], ROOT);
    expect(r.errorLines, r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/generated\/ is up to date/);
  });

  it('is deterministic: two runs in a scratch copy write the same bytes, and the same bytes as the repo', async ({ expect }) => {
    const dir = await makeScratch('determinism');
    const out = path.join(dir, 'generated');

    const first = await generate(dir);
    expect(first.errorLines, first.stderr).toEqual([]);
    expect(first.code).toBe(0);
    const one = await snapshot(out);
    expect(one.size).toBeGreaterThan(5);

    const second = await generate(dir);
    expect(second.code, second.stderr).toBe(0);
    expect(differences(one, await snapshot(out)), 'a second run changed these files').toEqual([]);
    // Nothing depends on where the project lives (paths in the output are root-relative).
    expect(differences(one, await snapshot(path.join(ROOT, 'generated'))), 'scratch output differs from the repo').toEqual([]);
  });

  it('--check exits 1 after a spec change, names exactly the stale files of that spec and of the overlays on it, and writes nothing', async ({ expect }) => {
    const dir = await makeScratch('stale');
    await cp(path.join(ROOT, 'generated'), path.join(dir, 'generated'), { recursive: true });
    const before = await snapshot(path.join(dir, 'generated'));
    await edit(dir, 'specs/apimanagement/2024-05-01.yaml', 'maxLength: 80', 'maxLength: 81');

    const check = await generate(dir, '--check');
    expect(check.code, check.stderr).toBe(1);
    const stale = check.errorLines.filter((l) => /^\s+(differs|missing|extra)\s/.test(l)).map((l) => l.trim());
    expect(stale).toContain('differs  generated/apimanagement/2024-05-01/validators.js');
    expect(stale).toContain('differs  generated/apimanagement/2024-05-01/model.ts');
    // The overlays on it (2022-08-01, and 2021-08-01 on that) follow their base: one source of truth per fact.
    expect(stale).toContain('differs  generated/apimanagement/2022-08-01/openapi.yaml');
    expect(stale).toContain('differs  generated/apimanagement/2021-08-01/openapi.yaml');
    expect(stale.filter((l) => !/generated\/apimanagement\/(2024-05-01|2022-08-01|2021-08-01)\//.test(l)), 'only the changed spec and the overlays on it are stale').toEqual([]);
    expect(differences(before, await snapshot(path.join(dir, 'generated'))), '--check must not write').toEqual([]);
  });

  it('exits 2 with one line naming the file on invalid YAML', async ({ expect }) => {
    const dir = await makeScratch('bad-yaml');
    await edit(dir, 'specs/keyvault-certificates/7.4.yaml', /^paths:$/m, 'paths: [unclosed\n  oops: {');
    const r = await generate(dir);
    expect(r.code, r.stderr).toBe(2);
    expect(r.errorLines, r.stderr).toHaveLength(1);
    expect(r.errorLines[0]).toContain('specs/keyvault-certificates/7.4.yaml');
    expect(r.errorLines[0]).toMatch(/YAML/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(path.join(dir, 'generated')), 'nothing is written').toBe(false);
  });

  it('exits 2 with one line naming the file and the ref on a dangling $ref', async ({ expect }) => {
    const dir = await makeScratch('dangling-ref');
    await edit(dir, 'specs/keyvault-management/2019-09-01.yaml', "$ref: '#/components/schemas/CloudErrorBody'", "$ref: '#/components/schemas/CloudErrorBodyMissing'");
    const r = await generate(dir);
    expect(r.code, r.stderr).toBe(2);
    expect(r.errorLines, r.stderr).toHaveLength(1);
    expect(r.errorLines[0]).toContain('specs/keyvault-management/2019-09-01.yaml');
    expect(r.errorLines[0]).toContain('#/components/schemas/CloudErrorBodyMissing');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(path.join(dir, 'generated')), 'nothing is written').toBe(false);
  });
});
