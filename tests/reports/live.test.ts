/**
 * The live block on a terminal: a line per operation redrawn in place, with colours, only on a TTY outside CI;
 * plain lines elsewhere.
 */
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/events/types.js';
import { LiveBlock, wantsLive } from '../../src/reports/live.js';
import { TerminalReport } from '../../src/reports/terminal.js';

const tty = (isTTY: boolean) => {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (s: string) => chunks.push(s) };
};
const op = { id: 'UpdateCertificate', apiVersion: '7.4' };

function events(): RunEvent[] {
  const c = (i: number) => ({ id: `UpdateCertificate@7.4/positive/${i}`, operation: op, kind: 'positive', property: 'positive', expect: 'accept', request: { method: 'PATCH', url: 'http://x', headers: {} }, response: { status: 200, headers: {} }, ms: 1 });
  return [
    { type: 'run-started', target: { kind: 'url', label: 'http://x', vaultUrl: 'http://x', armUrl: 'http://x' }, profile: 'service', seed: 1, runs: 1, operations: [op], startedAt: '2026-01-01T00:00:00Z' },
    { type: 'operation-started', operation: op, properties: ['positive'] },
    ...[0, 1, 2].map((i) => ({ type: 'case-done', case: c(i), outcomes: [] })),
    { type: 'violation', violation: { operation: op.id, apiVersion: op.apiVersion, check: 'response.schema', message: 'bad', caseId: 'x', kind: 'positive', property: 'positive', request: { method: 'PATCH', url: 'http://x', headers: {} }, seed: 1, shrunk: false, curl: 'curl' } },
    { type: 'property-done', operation: op, property: 'positive', cases: 3, failed: true, seed: 1 },
    { type: 'operation-done', operation: op, cases: 3, violations: 1, skipped: 0, durationMs: 5 },
    { type: 'run-done', durationMs: 5, totals: { operations: 1, cases: 3, checks: 3, violations: 1, skipped: 0, notes: 0 }, exitCode: 1 },
  ] as unknown as RunEvent[];
}

describe('the live block', () => {
  it('on a TTY outside CI: one line per operation with cases, violations and a rate, coloured, redrawn in place, gone before the summary', () => {
    const out = tty(true);
    const r = new TerminalReport(out, false, false, {});
    for (const e of events()) r.handle(e);
    const text = out.chunks.join('');
    expect(text).toMatch(/UpdateCertificate@7\.4\s+3 cases {2}\x1b\[31m1 violation\(s\)\x1b\[0m {2}\d+ cases\/s/);
    expect(text).toContain('\x1b[31mFAIL\x1b[0m');
    // Redrawn in place: the cursor goes back up over the block and clears it.
    expect(text).toMatch(/\x1b\[1A\x1b\[J/);
    // The summary comes after the block is cleared for good.
    expect(text.slice(text.lastIndexOf('\x1b[J'))).toContain('result: FAIL');
  });

  it('in CI, into a pipe, or with --quiet: the plain lines only, no escape sequence', () => {
    for (const [isTTY, env, quiet] of [[true, { CI: 'true' }, false], [false, {}, false], [true, {}, true]] as const) {
      const out = tty(isTTY);
      const r = new TerminalReport(out, quiet, false, env);
      for (const e of events()) r.handle(e);
      expect(out.chunks.join('')).not.toContain('\x1b[');
      expect(out.chunks.join('')).toContain('result: FAIL');
    }
    expect(wantsLive({ isTTY: true, write: () => true }, {})).toBe(true);
    expect(wantsLive({ isTTY: true, write: () => true }, { CI: '1' })).toBe(false);
  });

  it('NO_COLOR keeps the block and drops the colours; redraws wait 100 ms between cases', () => {
    const out = tty(true);
    let t = 0;
    const b = new LiveBlock(out, false, () => t);
    b.operation('A@1');
    b.caseDone('A@1');
    const first = out.chunks.length;
    t = 50;
    b.caseDone('A@1');
    expect(out.chunks.length).toBe(first);
    t = 200;
    b.caseDone('A@1');
    expect(out.chunks.length).toBeGreaterThan(first);
    expect(out.chunks.join('')).toMatch(/A@1\s+3 cases {2}0 violations/);
    expect(out.chunks.join('')).not.toContain('\x1b[3');
  });
});
