/**
 * --exchanges all|failing|none (issue 15.6): what reports/exchanges.jsonl keeps. Real runs of the CLI against the
 * kit's emulator with two planted bugs of UpdateCertificate: one a single request shows (a boundary the emulator
 * accepts), one only a sequence of requests shows (tags merged instead of replaced).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { ExchangeLogReport } from '../../src/reports/exchanges.js';
import { cli, summary, type CliResult } from '../engine/cli.js';

interface Line {
  id: string;
  property: string;
  run?: number;
  shrinkStep?: true;
  failed: string[];
}

const FAULTS = ['accepts-lifetime-percentage-100', 'patch-merges-tags'];
const ARGS = ['--operations', 'UpdateCertificate', '--runs', '20', '--seed', '4242'];

async function lines(reports: string): Promise<Line[]> {
  const text = await readFile(path.join(reports, 'exchanges.jsonl'), 'utf8');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
}

/** Each run gets an emulator of its own, so the three modes see the same target from the same start. */
async function runWith(mode: string | undefined): Promise<CliResult> {
  const emu: Emulator = await startEmulator({ fault: FAULTS });
  try {
    return await cli(['run', '--target', emu.url, ...ARGS, ...(mode ? ['--exchanges', mode] : [])]);
  } finally {
    await emu.close();
  }
}

describe('exchanges.jsonl: --exchanges all | failing (default) | none', () => {
  let all: CliResult;
  let failing: CliResult;
  beforeAll(async () => {
    all = await runWith('all');
    failing = await runWith(undefined);
  }, 180_000);

  it('all: every case of the run and every shrink step', async () => {
    expect(all.code, all.stdout.slice(-2000)).toBe(1);
    const log = await lines(all.reports);
    const cases = log.filter((l) => !l.shrinkStep);
    expect(cases.length).toBe((await summary(all.reports)).totals.cases);
    expect(log.some((l) => l.shrinkStep)).toBe(true);
    expect(cases.some((l) => l.failed.length === 0)).toBe(true);
  });

  it('failing (the default): only failing cases, a failing sequence step with the steps of its run before it, and the shrink steps', async () => {
    expect(failing.code, failing.stdout.slice(-2000)).toBe(1);
    const log = await lines(failing.reports);
    const cases = log.filter((l) => !l.shrinkStep);
    const allCases = (await lines(all.reports)).filter((l) => !l.shrinkStep);
    // The same failing cases as the whole log holds (same seed, same fresh target).
    const failedIds = (ls: Line[]): string[] => ls.filter((l) => l.failed.length > 0).map((l) => l.id).sort();
    expect(failedIds(cases)).toEqual(failedIds(allCases));
    expect(failedIds(cases).length).toBeGreaterThan(0);
    // A case that passed is kept only as a step of a sequence run that failed.
    const failedRuns = new Set(cases.filter((l) => l.failed.length > 0 && l.run !== undefined).map((l) => `${l.property}/${l.run}`));
    expect(failedRuns.size).toBeGreaterThan(0);
    for (const l of cases.filter((x) => x.failed.length === 0)) expect(failedRuns.has(`${l.property}/${l.run}`), l.id).toBe(true);
    // …and every step of such a run is kept (the run's whole trail reproduces the failure).
    for (const key of failedRuns) {
      const steps = (ls: Line[]): string[] => ls.filter((l) => `${l.property}/${l.run}` === key).map((l) => l.id);
      expect(steps(cases)).toEqual(steps(allCases));
      expect(steps(cases).length).toBeGreaterThan(1);
    }
    expect(log.some((l) => l.shrinkStep)).toBe(true);
    expect((await stat(path.join(failing.reports, 'exchanges.jsonl'))).size).toBeLessThan((await stat(path.join(all.reports, 'exchanges.jsonl'))).size / 2);
  });

  it('none: no exchanges.jsonl, the other reports as usual', { timeout: 120_000 }, async () => {
    const r = await runWith('none');
    expect(r.code).toBe(1);
    expect(existsSync(path.join(r.reports, 'exchanges.jsonl'))).toBe(false);
    expect((await summary(r.reports)).totals.violations).toBeGreaterThan(0);
    expect(r.stdout).not.toContain('exchanges.jsonl');
  });

  it('none leaves no stale exchanges.jsonl of an earlier run in the same folder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'azconform-exchanges-'));
    await writeFile(path.join(dir, 'exchanges.jsonl'), '{"id":"earlier"}\n');
    await new ExchangeLogReport(dir, 'none').close();
    expect(existsSync(path.join(dir, 'exchanges.jsonl'))).toBe(false);
  });

  it('an unknown mode is a usage error (exit 2)', async () => {
    const r = await cli(['run', '--exchanges', 'some']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--exchanges must be all, failing, none/);
  });
});

