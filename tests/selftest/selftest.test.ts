/**
 * `npm run selftest`, tested two ways: its pure parts (scoring, the table and summary) on made-up results, and the
 * real command as a user runs it — the whole catalog must be detected and the clean emulator must pass. Timings
 * are recorded by the selftest, never asserted here.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAULTS } from '../../src/emulator/index.js';
import type { Fault } from '../../src/emulator/types.js';
import { failureLines, faultProgressLine, markdown, summaryLines, tableRow } from '../../src/selftest/render.js';
import { buildReport, faultRow, passed } from '../../src/selftest/score.js';
import type { RunResult, SelftestReport } from '../../src/selftest/types.js';

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly reports: string;
}

/** The real entry, through tsx's loader, with a fresh reports dir (VITEST cleared: the suites must not register). */
async function selftest(args: readonly string[], timeoutMs: number): Promise<Finished> {
  const reports = await mkdtemp(path.join(os.tmpdir(), 'azconform-selftest-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/selftest.ts', '--reports', reports, ...args], {
    cwd: process.cwd(),
    env: { ...process.env, VITEST: '', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => {
    // Its workers exit on their own when this parent's IPC channel goes away.
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, stdout, stderr, reports };
}

const readReport = async (dir: string): Promise<SelftestReport> => JSON.parse(await readFile(path.join(dir, 'selftest.json'), 'utf8')) as SelftestReport;

/** The documented shape of reports/selftest.json, checked field by field (a drifting schema fails here). */
function expectShape(r: SelftestReport, faults: readonly Fault[]): void {
  expect(r).toMatchObject({ seed: expect.any(Number), runs: expect.any(Number), seconds: expect.any(Number) });
  expect(r.clean).toMatchObject({ violations: expect.any(Number), cases: expect.any(Number), seconds: expect.any(Number), checks: expect.any(Array) });
  expect(r.score).toEqual({ detected: r.faults.filter((f) => f.detected).length, total: faults.length, percent: expect.any(Number) });
  expect(r.medianCasesToDetection === null || typeof r.medianCasesToDetection === 'number').toBe(true);
  expect(r.faults.map((f) => f.name)).toEqual(faults.map((f) => f.name));
  for (const f of r.faults) {
    const fault = faults.find((x) => x.name === f.name);
    expect(f).toMatchObject({ tier: fault?.tier, operation: fault?.operation, detected: expect.any(Boolean), checks: expect.any(Array), cases: expect.any(Number), seconds: expect.any(Number) });
    expect(f.detected ? typeof f.firstCheck : f.firstCheck).toBe(f.detected ? 'string' : null);
    expect(f.detected ? typeof f.casesToDetection : f.casesToDetection).toBe(f.detected ? 'number' : null);
  }
}

const explain = (r: Finished): string => `exit ${String(r.code)}\n${r.stderr.slice(-4000)}\n${r.stdout.slice(-1500)}`;

// ── the pure parts, on made-up results ───────────────────────────────────────────────────────────────────────────
const fault = (name: string, tier: Fault['tier'] = 'state'): Fault => ({ name, tier, operation: 'Certificate_CreateOrUpdate', description: name });
const result = (over: Partial<RunResult> = {}): RunResult => ({ violations: 0, checks: [], rules: [], cases: 400, seconds: 1.234, sample: [], ...over });
const CAUGHT = result({ violations: 2, checks: ['response.schema'], rules: [], firstCheck: 'response.schema', casesToDetection: 7 });
const CAUGHT_BY_RULE = result({ violations: 1, checks: ['negative.rejected'], rules: ['r.one'], firstCheck: 'negative.rejected', firstRule: 'r.one', casesToDetection: 20 });

describe('selftest scoring and rendering (pure)', () => {
  const report = buildReport({
    seed: 7,
    runs: 50,
    jobs: 2,
    clean: result({ cases: 846 }),
    faults: [
      { fault: fault('caught', 'schema'), result: CAUGHT },
      { fault: fault('caught-by-rule', 'prose'), result: CAUGHT_BY_RULE },
      { fault: fault('apim-always-201'), result: result({ fault: 'apim-always-201' }) },
    ],
    seconds: 61.27,
  });

  it('scores detections, the median cases to detection (detected faults only) and the verdict', () => {
    expect(report.score).toEqual({ detected: 2, total: 3, percent: 66.7 });
    expect(report.medianCasesToDetection).toBe(13.5);
    expect(passed(report)).toBe(false);
    expect(report.faults[2]).toMatchObject({ detected: false, firstCheck: null, casesToDetection: null, checks: [], cases: 400, seconds: 1.2 });
  });

  it('renders a survivor row and a detected row of the table', () => {
    const [caught, byRule, survivor] = report.faults;
    expect(survivor && tableRow(survivor)).toBe('| apim-always-201 | state | **no** | – | – | 1.2 |');
    expect(caught && tableRow(caught)).toBe('| caught | schema | yes | `response.schema` | 7 | 1.2 |');
    expect(byRule && tableRow(byRule)).toBe('| caught-by-rule | prose | yes | `negative.rejected` (`r.one`) | 20 | 1.2 |');
  });

  it('renders the summary, the Markdown report, the progress line and the failure list with the survivor', () => {
    expect(summaryLines(report)).toEqual([
      'score: 2/3 faults detected (66.7%)',
      'clean-emulator violations: 0',
      'median cases to detection: 13.5',
      'wall time: 61.3 s (seed 7, 50 runs per property, 2 worker processes)',
    ]);
    const md = markdown(report);
    expect(md).toContain('| fault | tier | detected | check id | cases to detection | seconds |');
    expect(md).toContain('| apim-always-201 | state | **no** | – | – | 1.2 |');
    expect(md).toContain('- survivors: apim-always-201 (state)');
    expect(md.split('\n')[0]).toBe('# azconform selftest — ❌ 2/3 faults detected');
    const survivor = report.faults[2];
    expect(survivor && faultProgressLine(survivor, 3, 4)).toBe('[3/4] SURVIVED  apim-always-201 (state): 0 violations in 400 cases, 1.2 s');
    expect(failureLines(report, result())).toEqual(['1 fault survived (no violation):', '  apim-always-201 (state, Certificate_CreateOrUpdate)']);
  });

  it('fails on clean-emulator violations, listing each with its check id and message; a failed run is never a detection', () => {
    const clean = result({ violations: 1, checks: ['server.error'], sample: [{ operation: 'UpdateCertificate', check: 'server.error', message: 'answered 500' }] });
    const r = buildReport({ seed: 1, runs: 1, jobs: 1, clean, faults: [{ fault: fault('x'), result: result({ violations: 3, error: 'worker process exited (SIGKILL)' }) }], seconds: 1 });
    expect(passed(r)).toBe(false);
    expect(faultRow(fault('x'), result({ violations: 3, error: 'boom' })).detected).toBe(false);
    expect(failureLines(r, clean)).toEqual([
      'the clean emulator has 1 violation:',
      '  UpdateCertificate: server.error: answered 500',
      '1 fault survived (no violation):',
      '  x (state, Certificate_CreateOrUpdate): run failed: worker process exited (SIGKILL)',
    ]);
  });
});

// ── the real command ─────────────────────────────────────────────────────────────────────────────────────────────
describe('npm run selftest', () => {
  it('rejects an unknown fault name with exit 2 and one clear line', { timeout: 60_000 }, async () => {
    const r = await selftest(['--faults', 'contacts-echo-reordered,no-such-fault'], 60_000);
    expect(r.code, explain(r)).toBe(2);
    expect(r.stderr.trim()).toMatch(/^selftest: unknown fault "no-such-fault" \(.*\)$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects a bad flag with exit 2', { timeout: 60_000 }, async () => {
    const r = await selftest(['--jobs', 'two'], 60_000);
    expect(r.code, explain(r)).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--faults runs only the named faults: both detected, the clean emulator passes', { timeout: 180_000 }, async () => {
    const names = ['contacts-echo-reordered', 'auth-ignored'];
    const r = await selftest(['--faults', names.join(',')], 180_000);
    expect(r.code, explain(r)).toBe(0);
    const report = await readReport(r.reports);
    expectShape(report, FAULTS.filter((f) => names.includes(f.name)));
    expect(report.clean.violations).toBe(0);
    expect(report.faults.map((f) => [f.name, f.detected])).toEqual(names.map((n) => [n, true]));
  });

  it('the whole catalog: the clean emulator has 0 violations and every fault is detected', { timeout: 400_000 }, async () => {
    const r = await selftest([], 400_000);
    const report = await readReport(r.reports);
    expectShape(report, FAULTS);
    expect(await readFile(path.join(r.reports, 'selftest.md'), 'utf8')).toContain('| fault | tier | detected | check id | cases to detection | seconds |');
    expect(report.clean.violations, explain(r)).toBe(0);
    const survivors = report.faults.filter((f) => !f.detected).map((f) => `${f.name} (${f.tier})`);
    expect(survivors, `${survivors.length} of ${FAULTS.length} faults survived`).toEqual([]);
    expect(r.code, explain(r)).toBe(0);
  });
});
