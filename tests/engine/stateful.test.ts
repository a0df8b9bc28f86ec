import { afterEach, describe, expect, it } from 'vitest';
import { runSession } from '../../src/engine/session.js';
import type { RunEvent, Violation } from '../../src/events/types.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { loadOperations, SEED_VERSIONS } from '../../src/model/registry.js';
import { stateful } from '../../src/properties/index.js';
import { defineSuite } from '../../src/suites/define.js';
import { DEFAULT_FIXTURES } from '../../src/targets/fixtures.js';

const IDS = ['UpdateCertificate', 'Vaults_UpdateAccessPolicy', 'Certificate_CreateOrUpdate'];
const operations = loadOperations().filter((o) => IDS.includes(o.id) && SEED_VERSIONS[o.id] === o.apiVersion);
const suites = IDS.map((id) => defineSuite(id, [stateful]));

/** Only the stateful property of the three operations that have one, against the emulator, in-process. */
async function run(emu: Emulator, seed = 11): Promise<{ exitCode: number; violations: Violation[]; sequenceCases: number }> {
  const events: RunEvent[] = [];
  const r = await runSession({
    operations,
    suites,
    target: emu.url,
    profile: 'service',
    seed,
    runs: 15,
    concurrency: 2,
    timeoutMs: 5_000,
    root: process.cwd(),
    token: 'test-token',
    fixtures: DEFAULT_FIXTURES,
    handlers: [{ handle: (e) => void events.push(e) }],
  });
  const violations = events.flatMap((e) => (e.type === 'violation' ? [e.violation] : []));
  const sequenceCases = events.filter((e) => e.type === 'case-done' && e.case.kind === 'sequence').length;
  return { exitCode: r.exitCode, violations, sequenceCases };
}

describe('stateful properties (fc.commands) against the emulator', () => {
  let emu: Emulator | undefined;
  afterEach(async () => emu?.close());

  it('a correct emulator keeps every model: no violation', async () => {
    emu = await startEmulator();
    const r = await run(emu);
    expect(r.violations.map((v) => `${v.check} ${v.message}`)).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.sequenceCases).toBeGreaterThan(3 * 15);
  });

  // Each state fault, the rules that may name it, and the longest shrunk sequence we accept (steps incl. the
  // prologue). The certificate is one live resource: a run that broke it leaves it broken for the shrinking runs
  // after it, so a PATCH fault may shrink to a slightly longer sequence, or to the read that shows the damage.
  const FAULTS: readonly [fault: string, rules: readonly string[], maxSteps: number][] = [
    ['apim-always-201', ['apimanagement.certificateCreateOrUpdate.created-or-updated'], 2],
    ['apim-etag-unchanged', ['apimanagement.certificateCreateOrUpdate.etag-changes'], 2],
    ['apim-stale-if-match-accepted', ['apimanagement.certificateCreateOrUpdate.if-match'], 3],
    ['patch-merges-tags', ['keyvault.updateCertificate.patch-merge'], 3],
    ['patch-drops-unsent-attributes', ['keyvault.updateCertificate.patch-merge'], 3],
    ['patch-applies-read-only', ['keyvault.updateCertificate.readonly-ignored', 'keyvault.updateCertificate.recoverable-days'], 3],
  ];
  for (const [fault, rules, maxSteps] of FAULTS) {
    it(`${fault}: caught as ${rules.join(' or ')}, shrunk to at most ${maxSteps} steps, with a curl per step`, async () => {
      emu = await startEmulator({ fault });
      const r = await run(emu);
      expect(r.exitCode).toBe(1);
      const v = r.violations.find((x) => x.rule !== undefined && rules.includes(x.rule));
      expect(v, JSON.stringify(r.violations.map((x) => [x.check, x.rule, x.message]))).toBeDefined();
      expect(v?.shrunk).toBe(true);
      expect(v?.sequence?.length ?? 0).toBeGreaterThan(0);
      expect(v?.sequence?.length ?? 99).toBeLessThanOrEqual(maxSteps);
      expect(v?.curl.match(/^curl /gm)?.length).toBe(v?.sequence?.length);
    });
  }
});
