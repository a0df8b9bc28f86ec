import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { cli } from './cli.js';

interface GateDoc {
  exitCode: number;
  violations: { check: string; known?: boolean }[];
  gate: { verdict: string; failing: number; known: number; expired: unknown[]; stale: unknown[]; failures: string[]; missingStatuses: { operation: string; status: string }[] } | null;
  coverage: { statuses: { operation: string; apiVersion: string; documented: { [s: string]: number }; other: { [s: string]: number } }[] };
}
const doc = async (dir: string): Promise<GateDoc> => JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8')) as GateDoc;

describe('the CI gate: baselines and required statuses (real CLI against the emulator)', () => {
  let faulty: Emulator;
  let clean: Emulator;
  const file = path.join(os.tmpdir(), `azconform-baseline-${process.pid}.json`);
  beforeAll(async () => {
    faulty = await startEmulator({ fault: 'accepts-lifetime-percentage-100' });
    clean = await startEmulator();
  });
  afterAll(async () => {
    await faulty.close();
    await clean.close();
  });
  const run = (target: string, ...args: string[]) => cli(['run', '--target', target, '--operations', 'UpdateCertificate', '--runs', '20', '--no-restore', ...args]);

  it('write a baseline, then the same violations (another seed) are known and the run passes', async () => {
    const first = await run(faulty.url, '--seed', '3', '--write-baseline', file);
    expect(first.code).toBe(1);
    const written = JSON.parse(await readFile(file, 'utf8')) as { entries: { signature: { check: string }; expires: string }[] };
    expect(written.entries.map((e) => e.signature.check).sort()).toEqual(['negative.rejected', 'response.schema']);

    const second = await run(faulty.url, '--seed', '4', '--baseline', file);
    expect(second.stdout).toMatch(/known violation\(s\) accepted by the baseline/);
    expect(second.code).toBe(0);
    const s = await doc(second.reports);
    expect(s.gate?.failing).toBe(0);
    expect(s.gate?.known).toBeGreaterThan(0);
    expect(s.violations.every((v) => v.known === true)).toBe(true);
    expect(await readFile(path.join(second.reports, 'summary.md'), 'utf8')).toMatch(/^# azconform — ✅ no new violations \(\d+ known\)/);
    expect(await readFile(path.join(second.reports, 'report.html'), 'utf8')).toMatch(/<b>known<\/b> \(baseline\)/);
  });

  it('an expired entry fails the run and is named; a clean target makes the entries stale, not failed', async () => {
    const written = JSON.parse(await readFile(file, 'utf8')) as { entries: { expires: string; owner: string }[] };
    const expired = { entries: written.entries.map((e, i) => (i === 0 ? { ...e, expires: '2020-01-01', owner: 'team-kv' } : e)) };
    const expiredFile = `${file}.expired.json`;
    await writeFile(expiredFile, JSON.stringify(expired));
    const r = await run(faulty.url, '--seed', '5', '--baseline', expiredFile);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/gate: baseline entry expired: UpdateCertificate@7\.4 \S+ .*\(owner team-kv, expires 2020-01-01\)/);
    expect((await doc(r.reports)).gate?.expired).toHaveLength(1);

    const stale = await run(clean.url, '--seed', '5', '--baseline', file);
    expect(stale.code).toBe(0);
    const s = await doc(stale.reports);
    expect(s.gate?.stale).toHaveLength(written.entries.length);
    expect(stale.stdout).toMatch(/stale baseline entry \(matched nothing\): UpdateCertificate@7\.4/);
  });

  it('--min-coverage fails naming the constraints never sent broken, and passes at what the run reached', async () => {
    const strict = await cli(['run', '--target', clean.url, '--operations', 'UpdateCertificate,SetCertificateContacts', '--runs', '10', '--seed', '1', '--no-restore', '--min-coverage', '100']);
    expect(strict.code).toBe(1);
    const d = await doc(strict.reports);
    expect(d.violations).toEqual([]);
    // UpdateCertificate's policy members no realistic body carries are never sent broken; contacts' all are.
    const line = d.gate?.failures.find((f) => f.startsWith('constraint coverage')) ?? '';
    expect(line).toMatch(/^constraint coverage \d+% < 100% for UpdateCertificate@7\.4 \(\d+ of \d+ sent broken\); never sent broken: \/policy\//);
    expect(d.gate?.failures.some((f) => f.includes('SetCertificateContacts'))).toBe(false);
    expect(strict.stdout).toContain('constraint coverage');
    const lenient = await cli(['run', '--target', clean.url, '--operations', 'SetCertificateContacts', '--runs', '10', '--seed', '1', '--no-restore', '--min-coverage', '100']);
    expect(lenient.code).toBe(0);
    const bad = await cli(['run', '--target', clean.url, '--min-coverage', '101']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--min-coverage takes a percentage from 0 to 100, got "101"/);
  });

  it('--require-statuses fails naming each documented status never observed, and coverage.statuses shows documented × observed', async () => {
    const r = await cli(['run', '--target', clean.url, '--operations', 'Vaults_UpdateAccessPolicy,Certificate_CreateOrUpdate', '--runs', '10', '--seed', '1', '--no-restore', '--require-statuses', '201,412']);
    expect(r.code).toBe(1);
    const s = await doc(r.reports);
    expect(s.violations).toEqual([]);
    // The emulator answers an access-policy update 200, never the 201 the spec also lists; API Management's 412 is provoked.
    expect(s.gate?.missingStatuses).toEqual([{ operation: 'Vaults_UpdateAccessPolicy', apiVersion: '2019-09-01', status: '201' }]);
    expect(r.stdout).toMatch(/gate: status 201 was never observed for Vaults_UpdateAccessPolicy@2019-09-01/);
    expect(r.stdout).toMatch(/result: FAIL \(the gate, see above\)/);
    const apim = s.coverage.statuses.find((o) => o.operation === 'Certificate_CreateOrUpdate');
    expect(apim?.documented['412']).toBeGreaterThan(0);
    expect(s.coverage.statuses.find((o) => o.operation === 'Vaults_UpdateAccessPolicy')?.documented['201']).toBe(0);
    expect(await readFile(path.join(r.reports, 'summary.md'), 'utf8')).toMatch(/\| Vaults_UpdateAccessPolicy@2019-09-01 \| 200 ×\d+ · 201 never/);

    const bad = await cli(['run', '--target', clean.url, '--require-statuses', '201,abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--require-statuses takes HTTP statuses like 201,404,412, got abc/);
  });
});
