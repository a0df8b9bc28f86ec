import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { loadOperations } from '../../src/model/registry.js';
import { cli, type CliResult } from '../engine/cli.js';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } }; logicalLocations: { name: string; fullyQualifiedName: string }[]; message?: { text: string } }[];
  partialFingerprints: { [k: string]: string };
  properties: { count: number; operation: string; apiVersion: string; check: string; rule?: string; curl: string };
}
interface SarifLog {
  version: string;
  runs: { tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string }; help: { text: string } }[] } }; results: SarifResult[] }[];
}

const FAULTS = ['accepts-days-before-expiry-over-validity', 'accepts-lifetime-percentage-100', 'apim-missing-etag'];
const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, '../fixtures/sarif-schema-2.1.0.json'), 'utf8')) as object;

describe('azconform.sarif (a real run against the emulator with three faults)', () => {
  let emu: Emulator;
  const runs: { r: CliResult; sarif: SarifLog; violations: number }[] = [];
  beforeAll(async () => {
    emu = await startEmulator({ fault: FAULTS });
    for (const seed of ['11', '12']) {
      const r = await cli(['run', '--target', emu.url, '--operations', 'UpdateCertificate,Certificate_CreateOrUpdate', '--runs', '20', '--seed', seed, '--no-restore']);
      const sarif = JSON.parse(await readFile(path.join(r.reports, 'azconform.sarif'), 'utf8')) as SarifLog;
      const summary = JSON.parse(await readFile(path.join(r.reports, 'summary.json'), 'utf8')) as { violations: unknown[] };
      runs.push({ r, sarif, violations: summary.violations.length });
    }
  }, 180_000);
  afterAll(() => emu.close());

  it('is valid against the official SARIF 2.1.0 schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    for (const { sarif } of runs) {
      const ok = validate(sarif);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
      expect(sarif.version).toBe('2.1.0');
    }
    // The schema does hold: a result without its message is refused.
    const broken = structuredClone(runs[0]?.sarif) as SarifLog;
    delete (broken.runs[0]?.results[0] as Partial<SarifResult>).message;
    expect(validate(broken)).toBe(false);
  });

  it('one result per distinct violation, with the count; ruleId is the check and the Azure rule; rule metadata carries the rule source', () => {
    const { r, sarif, violations } = runs[0] ?? expect.fail('no run');
    expect(r.code).toBe(1);
    const run = sarif.runs[0] ?? expect.fail('no SARIF run');
    expect(run.results.reduce((n, x) => n + x.properties.count, 0)).toBe(violations);
    expect(new Set(run.results.map((x) => Object.values(x.partialFingerprints)[0])).size).toBe(run.results.length);
    const ids = run.results.map((x) => x.ruleId);
    expect(ids).toContain('negative.rejected/keyvault.updateCertificate.days-before-expiry-range');
    expect(ids).toContain('response.headers');
    const op = loadOperations().find((o) => o.id === 'UpdateCertificate' && o.apiVersion === '7.4');
    const source = op?.model.rules.find((x) => x.id === 'keyvault.updateCertificate.days-before-expiry-range')?.source ?? expect.fail('rule not in model');
    const meta = run.tool.driver.rules.find((x) => x.id === 'negative.rejected/keyvault.updateCertificate.days-before-expiry-range');
    expect(meta?.help.text).toContain(`Source: ${source}`);
    for (const x of run.results) {
      expect(run.tool.driver.rules[x.ruleIndex]?.id).toBe(x.ruleId);
      expect(x.locations[0]?.logicalLocations[0]?.fullyQualifiedName).toBe(`${x.properties.operation}@${x.properties.apiVersion}`);
      expect(x.properties.curl).toMatch(/^(# step 1: .*\n)?curl /);
    }
  });

  it('every location is a real line of specs/ naming the rule entry or the schema node that was broken', () => {
    const run = runs[0]?.sarif.runs[0] ?? expect.fail('no SARIF run');
    const seen: string[] = [];
    for (const x of run.results) {
      const loc = x.locations[0]?.physicalLocation ?? expect.fail(`${x.ruleId} has no spec location`);
      expect(loc.artifactLocation.uri).toMatch(/^specs\/[a-z-]+\/[\w.-]+\.yaml$/);
      const line = readFileSync(loc.artifactLocation.uri, 'utf8').split('\n')[loc.region.startLine - 1] ?? '';
      if (x.properties.rule) {
        expect(line).toMatch(new RegExp(`- id: ${x.properties.rule.replace(/\./g, '\\.')}\\s*$`));
      } else {
        // The location's message names the node's pointer; its last segment is the key on that line.
        const pointer = x.locations[0]?.message?.text.replace(/^spec node /, '') ?? '';
        const key = (pointer.split('/').pop() ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
        expect(line.trim().startsWith(`${key}:`) || line.trim().startsWith(`'${key}':`), `${x.ruleId} → line ${loc.region.startLine} "${line}" for ${pointer}`).toBe(true);
      }
      seen.push(`${x.ruleId} ${line.trim()}`);
    }
    // The schema fault lands on the maximum the target broke, the header fault on the documented ETag header.
    expect(seen).toContain('negative.rejected maximum: 99');
    expect(seen).toContain('response.schema maximum: 99');
    expect(seen.some((s) => /^response\.headers (ETag|etag):/i.test(s))).toBe(true);
  });

  it('fingerprints are stable: another seed finds the same findings under the same fingerprints', () => {
    const fp = (i: number): string[] => (runs[i]?.sarif.runs[0]?.results ?? []).map((x) => `${x.ruleId} ${Object.values(x.partialFingerprints).join()}`).sort();
    expect(fp(1)).toEqual(fp(0));
    expect(fp(0).length).toBeGreaterThanOrEqual(FAULTS.length);
  });
});
