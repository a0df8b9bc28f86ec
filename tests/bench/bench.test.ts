// The bench's pure helpers, and a tiny `--quick` bench run writing a bench.json of the expected shape.
// Timings are never asserted: only that figures are there, finite and positive.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { BenchReport } from '../../bench/bench.js';
import { cliFloor } from '../../bench/ceiling.js';
import { traceOptTotals } from '../../bench/cli.js';
import { areaOf, shortUrl, summarizeProfile, type CpuProfile } from '../../bench/profile.js';
import { fmt, fmtPct, fmtStat, max, median, min, perSecond, round, summarize, table } from '../../bench/stats.js';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

describe('bench statistics', () => {
  it('median, min and max of odd and even sample counts, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(min([3, -1, 2])).toBe(-1);
    expect(max([3, -1, 2])).toBe(3);
    expect(() => median([])).toThrow();
    expect(() => min([])).toThrow();
    expect(() => max([])).toThrow();
  });

  it('summarize keeps the samples and rounds to 4 significant digits', () => {
    const s = summarize([1234.5678, 10, 99.99]);
    expect(s).toEqual({ median: 99.99, min: 10, max: 1235, n: 3, samples: [1235, 10, 99.99] });
    expect(round(0.000123456)).toBe(0.0001235);
    expect(round(0)).toBe(0);
    expect(perSecond(500, 250)).toBe(2000);
    expect(perSecond(5, 0)).toBe(0);
  });

  it('formats figures for people', () => {
    expect(fmt(1234567.8)).toBe('1,234,568');
    expect(fmt(4)).toBe('4');
    expect(fmt(123.4)).toBe('123');
    expect(fmt(12.34)).toBe('12.3');
    expect(fmt(1.234)).toBe('1.23');
    expect(fmt(0.01234)).toBe('0.0123');
    expect(fmt(undefined)).toBe('–');
    expect(fmt(Number.NaN)).toBe('–');
    expect(fmtPct(0.6)).toBe('60%');
    expect(fmtStat({ median: 2000, min: 1500, max: 2500, n: 3, samples: [1500, 2000, 2500] })).toBe('2,000 (1,500–2,500)');
    expect(fmtStat({ median: 2250, min: 1500, max: 2500, n: 3, samples: [] }, 1 / 1000)).toBe('2.25 (1.50–2.50)');
  });
});

describe('bench --trace-opt totals', () => {
  it('sums the three phases of every completed compile and ignores the other lines', () => {
    const text = [
      '[marking 0x1 <JSFunction f (sfi = 0x2)> for optimization to TURBOFAN, ConcurrencyMode::kConcurrent, reason: hot and stable]',
      '[completed compiling 0x1 <JSFunction f (sfi = 0x2)> (target TURBOFAN) - took 0.015, 2.699, 0.016 ms]',
      '[completed optimizing 0x1 <JSFunction f (sfi = 0x2)> (target TURBOFAN)]',
      'azconform: 12 cases',
      '[completed compiling 0x3 <JSFunction g (sfi = 0x4)> (target TURBOFAN) - took 1, 2, 3 ms]',
    ].join('\n');
    const t = traceOptTotals(text);
    expect(t.functions).toBe(2);
    expect(t.compileMs).toBeCloseTo(8.73, 6);
    expect(traceOptTotals('')).toEqual({ functions: 0, compileMs: 0 });
  });

  it("the floor is the client's and the kit's CPU over the small PUT's", () => {
    expect(cliFloor({ clientUs: 45, kitUs: 50, smallPutUs: 30 })).toEqual({ clientUs: 45, kitUs: 50, us: 95, ratio: 95 / 30 });
    expect(cliFloor({ clientUs: 45, kitUs: 50, smallPutUs: 0 }).ratio).toBe(0);
  });
});

describe('bench tables', () => {
  it('pads columns, right-aligns numbers, escapes pipes', () => {
    const t = table(['name', 'rate'], [
      ['a|b', 1500],
      ['longer name', 2],
    ]);
    expect(t.split('\n')).toEqual([
      '| name        |  rate |',
      '| ----------- | ----: |',
      '| a\\|b        | 1,500 |',
      '| longer name |     2 |',
    ]);
  });

  it('takes explicit alignment and tolerates missing cells', () => {
    const lines = table(['x', 'y'], [['1', 'long text']], ['right', 'left']).split('\n');
    expect(lines[1]).toBe('| --: | --------- |');
    expect(lines[2]).toBe('|   1 | long text |');
    expect(table(['a', 'b'], [['only a']]).split('\n')[2]).toBe('| only a |     |');
  });
});

describe('bench profile analysis', () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 4, 5] },
      { id: 2, callFrame: { functionName: 'send', url: `file://${root}/src/http/client.ts`, lineNumber: 24 }, children: [3] },
      { id: 3, callFrame: { functionName: 'request', url: `file://${root}/node_modules/undici/lib/api/api-request.js`, lineNumber: 9 } },
      { id: 4, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
      { id: 5, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } },
    ],
    startTime: 1_000,
    endTime: 2_000,
    samples: [2, 2, 3, 4, 5, 2],
    timeDeltas: [0, 100, 100, 100, 100, 100],
  };

  it('ranks self time, charges each sample the time to the next, leaves idle out', () => {
    const s = summarizeProfile(profile, root);
    expect(s.windowMs).toBe(0.5);
    expect(s.idleMs).toBe(0.1);
    expect(s.top[0]).toEqual({ function: 'send', where: 'src/http/client.ts:25', ms: 0.2, pct: 50 });
    expect(s.top.map((t) => t.function)).toEqual(['send', 'request', '(garbage collector)']);
    expect(s.byArea.map((a) => a.area)).toEqual(['src/http', 'undici', '(garbage collector)']);
    // `request` runs under `send`: the project's function is charged both.
    expect(s.inclusive).toEqual([{ function: 'send', where: 'src/http/client.ts:25', ms: 0.3, pct: 75 }]);
  });

  it('restricts to a window when it overlaps the samples', () => {
    const s = summarizeProfile(profile, root, { fromUs: 1_200, toUs: 1_300 });
    expect(s.top.map((t) => t.function)).toEqual(['request']);
    // A window outside the profile falls back to all samples.
    expect(summarizeProfile(profile, root, { fromUs: 0, toUs: 10 }).windowMs).toBe(0.5);
  });

  it('names locations relative to the project or the package', () => {
    expect(shortUrl(`file://${root}/src/engine/run.ts`, root)).toBe('src/engine/run.ts');
    expect(shortUrl(`file://${root}/node_modules/fast-check/lib/x.js`, root)).toBe('fast-check/lib/x.js');
    expect(areaOf('f', `file://${root}/node_modules/@scope/pkg/a.js`, root)).toBe('@scope/pkg');
    expect(areaOf('f', 'node:internal/streams/readable', root)).toBe('node:internal');
    expect(areaOf('f', `file://${root}/generated/x/validators.js`, root)).toBe('generated');
    expect(areaOf('(program)', '', root)).toBe('(program)');
  });
});

describe('npm run bench -- --quick', () => {
  it('writes bench.json with the expected shape and bench.md', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'azconform-bench-test-'));
    try {
      const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--out', out], {
        cwd: root,
        timeout: 60_000,
        // Not a vitest process: the suite files must not register themselves with vitest.
        env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST'))),
      });
      expect(stdout).toMatch(/## Throughput against the trivial server/);
      const r = JSON.parse(await readFile(path.join(out, 'bench.json'), 'utf8')) as BenchReport;
      expect(r.bench).toBe('azconform');
      expect(r.quick).toBe(true);
      expect(Object.keys(r)).toEqual(['bench', 'schema', 'quick', 'startedAt', 'durationMs', 'machine', 'settings', 'limit', 'kit', 'ceiling', 'targets', 'validators', 'arbitraries', 'e2e', 'cli', 'profile', 'goals']);
      expect(r.machine.node).toBe(process.version);
      expect(r.machine.cpus).toBeGreaterThan(0);
      expect(r.machine.loadAvgAtStart).toHaveLength(3);

      const positive = (s: { median: number; min: number; max: number; n: number; samples: readonly number[] }): void => {
        expect(s.n).toBe(s.samples.length);
        expect(s.min).toBeLessThanOrEqual(s.median);
        expect(s.median).toBeLessThanOrEqual(s.max);
        expect(s.min).toBeGreaterThan(0);
      };
      expect(r.limit.rows.map((l) => l.concurrency)).toEqual([1, 4]);
      for (const l of r.limit.rows) {
        positive(l.requestsPerSec);
        positive(l.busyUsPerRequest);
      }
      expect(r.limit.sameTraffic?.rows.map((l) => l.concurrency)).toEqual([1, 4]);
      for (const l of r.limit.sameTraffic?.rows ?? []) positive(l.requestsPerSec);
      expect(r.kit.rows.map((k) => `${k.concurrency}/${k.handlers}`)).toEqual(['1/no-op', '4/no-op', '4/reports']);
      for (const k of r.kit.rows) {
        positive(k.casesPerSec);
        positive(k.exchangesPerSec);
        positive(k.busyUsPerExchange);
        expect(k.cases).toBeGreaterThan(0);
        expect(k.exchanges).toBeGreaterThanOrEqual(k.cases);
        expect(k.ratio?.exchanges).toBeGreaterThan(0);
        expect(k.ratio?.sameTraffic).toBeGreaterThan(0);
      }
      for (const l of r.limit.sameTraffic?.rows ?? []) positive(l.serverBusyUsPerRequest);
      // The ceiling: the kit's own CPU with no sockets, and the bounds worked out from it.
      expect(r.ceiling.rows.map((c) => c.concurrency)).toEqual([1, 4]);
      for (const k of r.ceiling.kitOnly) positive(k.busyUsPerExchange);
      for (const c of r.ceiling.rows) {
        for (const x of [c.kitUs, c.clientUs, c.serverUs, c.serial.perSec, c.oneThread.perSec, c.allCores.perSec]) expect(x).toBeGreaterThan(0);
        expect(c.serial.perSec).toBeLessThanOrEqual(c.oneThread.perSec);
        expect(c.allCoresAsMeasured?.perSec).toBeGreaterThan(0);
      }
      expect(r.targets).toEqual({ prism: { skipped: 'quick mode' }, emulator: { skipped: 'quick mode' } });
      expect(r.e2e).toEqual({ skipped: 'quick mode' });
      expect(r.profile).toEqual({ skipped: 'quick mode' });

      if ('skipped' in r.validators || 'skipped' in r.arbitraries) throw new Error('validators and arbitraries run in quick mode too');
      expect(r.validators.rows.length).toBeGreaterThan(10);
      for (const v of r.validators.rows) {
        expect(v.validator).toMatch(/^(request\.params|request\.body\.(strict|tolerant)|response\.\w+\.body\.(strict|tolerant))$/);
        positive(v.perSec);
      }
      expect(new Set(r.arbitraries.rows.map((a) => a.arbitrary))).toEqual(new Set(['validValue', 'invalidValue', 'REALISTIC']));
      for (const a of r.arbitraries.rows) positive(a.perSec);

      // The CLI as users run it, against `azconform emulate`: CPU per exchange from two real runs, and start-up.
      if ('skipped' in r.cli) throw new Error(`the CLI figures run in quick mode too: ${r.cli.skipped}`);
      expect(r.cli.samples).toHaveLength(1);
      const [c] = r.cli.samples;
      expect(c?.long.cases).toBeGreaterThan(c?.short.cases ?? Infinity);
      expect(c?.long.cpuMs).toBeGreaterThan(0);
      positive(r.cli.rawUsPerRequest);
      positive(r.cli.startup.helpMs);
      positive(r.cli.startup.validateTrafficMs);
      expect(r.cli.startup.helpCpuMs.n).toBe(r.cli.startup.helpMs.n);
      expect(r.cli.ratio.median).toBeCloseTo((c?.cliUsPerExchange ?? NaN) / (c?.rawUsPerRequest ?? NaN), 1);
      // The bare client replaying the kit's own requests, captured from a real run of the CLI (context, no goal).
      expect(r.cli.kitRequests).toBeGreaterThan(0);
      positive(r.cli.rawKitTrafficUsPerRequest as NonNullable<typeof r.cli.rawKitTrafficUsPerRequest>);
      expect(r.cli.kitTrafficRatio?.median).toBeCloseTo((c?.cliUsPerExchange ?? NaN) / (c?.rawKitTrafficUsPerRequest ?? NaN), 1);
      expect(await readFile(path.join(out, 'bench.md'), 'utf8')).toMatch(/replaying the kit's own \d+ requests/);
      // The optimising compiler in the window (--trace-opt on one more pair) and the floor on the kit's traffic.
      expect(r.cli.compile?.long.functions).toBeGreaterThan(0);
      expect(r.cli.compile?.long.compileMs).toBeGreaterThan(0);
      expect(r.cli.compile?.long.cases).toBeGreaterThan(r.cli.compile?.short.cases ?? Infinity);
      const own = r.ceiling.rows.find((x) => x.concurrency === 4);
      expect(r.cli.floor?.us).toBeCloseTo((r.cli.rawKitTrafficUsPerRequest?.median ?? NaN) + (own?.kitUs ?? NaN), 1);
      expect(r.cli.floor?.ratio).toBeCloseTo((r.cli.floor?.us ?? NaN) / r.cli.rawUsPerRequest.median, 2);
      expect(await readFile(path.join(out, 'bench.md'), 'utf8')).toMatch(/floor on this traffic/);
      // The warmer window: a later pair of the same runs, differenced the same way.
      expect(r.cli.warm?.long.runs).toBeGreaterThan(r.cli.warm?.short.runs ?? Infinity);
      expect(r.cli.warm?.long.cases).toBeGreaterThan(r.cli.warm?.short.cases ?? Infinity);
      expect(r.cli.warm?.ratio).toBeCloseTo((r.cli.warm?.usPerExchange ?? NaN) / r.cli.rawUsPerRequest.median, 1);

      // 60% at concurrency 1 (concurrency 4's is retired), overhead per round trip, CLI CPU ratio, start-up,
      // conform wall, RSS, validations.
      expect(r.goals.length).toBe(7);
      expect(r.goals.some((g) => /CLI CPU per exchange/.test(g.goal))).toBe(true);
      expect(r.goals.some((g) => /concurrency 4/.test(g.goal))).toBe(false);
      expect(r.goals.some((g) => /overhead/.test(g.goal) && /round trip/.test(g.measured))).toBe(true);
      for (const g of r.goals) expect(g.met === null || typeof g.met === 'boolean').toBe(true);
      expect(await readFile(path.join(out, 'bench.md'), 'utf8')).toMatch(/## Goals \(printed, not asserted\)/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

describe('the end-to-end bench measures what users run', () => {
  it("spawns package.json's conform command, node flags included", async () => {
    const { CLI_ENTRY, CONFORM_NODE_FLAGS } = await import('../../bench/e2e.js');
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { scripts: { conform: string } };
    expect(pkg.scripts.conform).toBe(['node', ...CONFORM_NODE_FLAGS, CLI_ENTRY, 'run'].join(' '));
  });
});
