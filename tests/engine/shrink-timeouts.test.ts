/**
 * Issue 12.4: shrinking a timeout must not cost minutes. A target that never answers a PATCH with more than three
 * tags made a default run wait out the 5 s timeout on each of 18 shrink steps (94 s instead of 4 s).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { cli, summary } from './cli.js';
import { hangingProxy } from './hang.js';
import type { TestServer } from './servers.js';

let emu: Emulator | undefined;
let proxy: TestServer | undefined;
afterEach(async () => {
  await proxy?.close();
  await emu?.close();
  proxy = emu = undefined;
});

const manyTags = (method: string, body: unknown): boolean => {
  const tags = (body as { tags?: unknown } | undefined)?.tags;
  return method === 'PATCH' && typeof tags === 'object' && tags !== null && Object.keys(tags).length > 3;
};

interface ShrunkViolation {
  operation: string;
  check: string;
  request: { body?: { tags?: object } };
  transportError?: { kind: string };
  shrunk: boolean;
  shrinkSteps?: number;
  shrinkStopped?: string;
}

describe('shrinking a failure that times out', () => {
  // The bound is the run's; the test's timeout enforces it, with 15 s more for starting the CLI process and for a
  // machine loaded by the other test files (the run takes ~19 s alone). Without the bound the run takes ~90 s.
  it('a default run against a target that hangs on PATCHes with more than three tags finishes within 30 s and reports the timeout with a reduced input', { timeout: 45_000 }, async () => {
    emu = await startEmulator();
    proxy = await hangingProxy(emu.url, manyTags);
    const r = await cli(['run', '--target', proxy.url, '--seed', '1'], { timeoutMs: 45_000 });
    expect(r.code, r.stdout.slice(-3000)).toBe(1);
    const doc = await summary(r.reports);
    const vs = doc.violations as unknown as ShrunkViolation[];
    // The one defect, and nothing else of a target that is otherwise correct (negatives are realistic bodies with
    // one defect, so they may carry four tags too: the defect is then found by more than one property).
    expect(vs.length).toBeGreaterThan(0);
    expect(new Set(vs.map((v) => `${v.operation} ${v.check}`))).toEqual(new Set(['UpdateCertificate transport']));
    for (const each of vs) expect(manyTags('PATCH', each.request.body)).toBe(true);
    const v = vs[0] as ShrunkViolation;
    expect(v.transportError?.kind).toBe('timeout');
    // Still failing, and smaller than the case first found to fail.
    expect(manyTags('PATCH', v.request.body)).toBe(true);
    const log = (await readFile(path.join(r.reports, 'exchanges.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { failed: string[]; request: { body?: unknown } });
    const first = log.find((e) => e.failed.includes('transport'));
    expect(first).toBeDefined();
    expect(JSON.stringify(v.request.body).length).toBeLessThan(JSON.stringify(first?.request.body).length);
    // What was reached is said: shrunk some steps, then stopped, and why.
    expect(v.shrunk).toBe(true);
    expect(v.shrinkSteps).toBeGreaterThan(0);
    expect(v.shrinkStopped).toMatch(/timed out/);
    expect(r.stdout).toContain(`shrinking stopped after ${v.shrinkSteps} step`);
    for (const file of ['summary.md', 'report.html', 'junit.xml']) {
      expect(await readFile(path.join(r.reports, file), 'utf8'), file).toContain(`shrinking stopped after ${v.shrinkSteps} step`);
    }
  });
});
