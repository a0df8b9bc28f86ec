/**
 * The kit against a target its authors did not write (tests/independent/azure-like.ts, written from Azure's
 * reference and documented behaviour): across combinations of everything the reference leaves open, at every
 * api-version the kit supports, a correct target must pass with 0 violations and exit 0 — and so must the
 * recordings made from it, judged by validate-traffic. The same target with a known flaw must be caught, or the
 * clean verdict would prove nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateTraffic } from '../../src/traffic/validate.js';
import { cli, summary } from '../engine/cli.js';
import { DEFAULT_KNOBS, knobsArbitrary, startAzureLike, type Flaws, type Knobs, type Recorded } from './azure-like.js';

const describeViolations = (doc: Awaited<ReturnType<typeof summary>>): string[] =>
  doc.violations.map((v) => `${v.operation} ${v.check}${v.rule ? ` (${v.rule})` : ''}: ${v.message.slice(0, 300)}`);

async function runAgainst(knobs: Knobs, seed: number, extra: string[] = [], flaws: Flaws = {}, record = false): Promise<{ code: number | null; violations: string[]; stdout: string; recorded: Recorded[]; statuses: number[] }> {
  const target = await startAzureLike({ knobs, flaws, record });
  try {
    const r = await cli(['run', '--target', target.url, '--runs', '8', '--seed', String(seed), '--quiet', ...extra], { timeoutMs: 170_000 });
    const doc = await summary(r.reports);
    return { code: r.code, violations: describeViolations(doc), stdout: r.stdout + r.stderr, recorded: target.recorded, statuses: [...target.answered.keys()] };
  } finally {
    await target.close();
  }
}

/** The recorded exchanges as an Azure SDK test-proxy recording (header arrays, JSON bodies inline). */
function asRecording(calls: readonly Recorded[]): unknown {
  const headers = (h: { readonly [n: string]: string | readonly string[] }): { [n: string]: string[] } =>
    Object.fromEntries(Object.entries(h).map(([n, v]) => [n, typeof v === 'string' ? [v] : [...v]]));
  const body = (text: string): unknown => {
    if (text === '') return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  };
  return {
    Entries: calls.map((c) => ({
      RequestUri: c.url,
      RequestMethod: c.method,
      RequestHeaders: headers(c.requestHeaders),
      RequestBody: body(c.requestBody),
      StatusCode: c.status,
      ResponseHeaders: headers(c.responseHeaders),
      ResponseBody: body(c.responseBody),
    })),
    Variables: {},
  };
}

/** The same exchanges as HAR 1.2, with the Key Vault client's encoded query key (api%2Dversion). */
function asHar(calls: readonly Recorded[]): unknown {
  const pairs = (h: { readonly [n: string]: string | readonly string[] }): { name: string; value: string }[] =>
    Object.entries(h).flatMap(([name, v]) => (typeof v === 'string' ? [v] : [...v]).map((value) => ({ name, value })));
  return {
    log: {
      version: '1.2',
      creator: { name: 'azure-like', version: '1' },
      entries: calls.map((c) => {
        const url = c.url.includes('/subscriptions/') ? c.url : c.url.replace('api-version=', 'api%2Dversion=');
        const type = c.responseHeaders['content-type'] ?? Object.entries(c.responseHeaders).find(([n]) => n.toLowerCase() === 'content-type')?.[1];
        return {
          startedDateTime: '2025-01-01T00:00:00.000Z',
          time: 1,
          request: {
            method: c.method,
            url,
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: pairs(c.requestHeaders),
            queryString: [],
            ...(c.requestBody !== '' ? { postData: { mimeType: 'application/json', text: c.requestBody } } : {}),
            headersSize: -1,
            bodySize: c.requestBody.length,
          },
          response: {
            status: c.status,
            statusText: '',
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: pairs(c.responseHeaders),
            content: { size: Buffer.byteLength(c.responseBody), mimeType: String(type ?? ''), text: c.responseBody },
            redirectURL: '',
            headersSize: -1,
            bodySize: -1,
          },
          cache: {},
          timings: { send: 0, wait: 1, receive: 0 },
        };
      }),
    },
  };
}

describe('the kit against an independent Azure-like target', () => {
  it('passes every knob combination drawn, at every api-version, with 0 violations and exit 0', async () => {
    await fc.assert(
      fc.asyncProperty(knobsArbitrary, fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (knobs, seed) => {
        const r = await runAgainst(knobs, seed, ['--api-versions', 'all']);
        expect(r.violations, JSON.stringify(knobs)).toEqual([]);
        expect(r.code, `${JSON.stringify(knobs)}\n${r.stdout.slice(-2000)}`).toBe(0);
        // Not vacuous: it answered successes and refusals both.
        expect(r.statuses.some((s) => s >= 200 && s < 300) && r.statuses.includes(400) && r.statuses.includes(401)).toBe(true);
      }),
      // Each run covers 18 operation@version pairs; a handful of draws per test run, new ones every time.
      { numRuns: 3, endOnFailure: true },
    );
  }, 600_000);

  it('passes validate-traffic on the recordings made from it (test-proxy and HAR), whatever the knobs', async () => {
    const knobs: Knobs = { ...DEFAULT_KNOBS, headerCase: 'canonical', chunked: true, reverseMembers: true, extraMembers: true, nulls: true, weakEtag: true, dateForm: 'fraction', challenge: 'with-pop', upperResourceGroup: true, fractionalIntegers: true };
    const r = await runAgainst(knobs, 11, ['--api-versions', 'all'], {}, true);
    expect(r.violations).toEqual([]);
    expect(r.recorded.length).toBeGreaterThan(500);
    for (const [file, content] of [['recording.json', asRecording(r.recorded)], ['session.har', asHar(r.recorded)]] as const) {
      const result = validateTraffic([{ file, content }]);
      const found = result.exchanges.flatMap((e) => e.findings.filter((f) => f.severity === 'violation').map((f) => `${e.method} ${e.path} ${e.status} ${f.check}: ${f.message}`));
      expect(found, file).toEqual([]);
      expect(result.totals.covered, file).toBeGreaterThan(500);
    }
  }, 300_000);

  // A target with one known flaw must fail, or a clean verdict above would prove nothing.
  const FLAWS: readonly { readonly flaw: Flaws; readonly operation: string; readonly check: string }[] = [
    { flaw: { acceptsLifetime100: true }, operation: 'UpdateCertificate', check: 'negative.rejected' },
    { flaw: { ignoresIfMatch: true }, operation: 'Certificate_CreateOrUpdate', check: 'response.state' },
    { flaw: { reordersContacts: true }, operation: 'SetCertificateContacts', check: 'response.agrees' },
  ];
  for (const { flaw, operation, check } of FLAWS) {
    it(`catches the flaw ${Object.keys(flaw).join()} (${check} on ${operation})`, async () => {
      const r = await runAgainst(DEFAULT_KNOBS, 3, ['--operations', operation, '--runs', '40'], flaw);
      expect(r.code).toBe(1);
      expect(r.violations.some((v) => v.startsWith(`${operation} ${check}`)), r.violations.join('\n')).toBe(true);
    }, 180_000);
  }
});
