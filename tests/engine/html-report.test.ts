import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent, Violation } from '../../src/events/types.js';
import { HtmlReport } from '../../src/reports/html.js';

const violation: Violation = {
  operation: 'SetCertificateContacts',
  apiVersion: '7.4',
  check: 'response.agrees',
  rule: 'keyvault.setCertificateContacts.echo',
  message: 'contacts answered [{"name":"<script>alert(1)</script>"}] differ',
  caseId: 'SetCertificateContacts@7.4/positive/3',
  kind: 'positive',
  property: 'positive',
  request: { method: 'PUT', url: 'http://127.0.0.1/certificates/contacts?api-version=7.4', headers: {} },
  response: { status: 200, headers: {}, body: { contacts: [{ name: '<img src=x onerror=alert(1)>' }] } },
  seed: 7,
  shrunk: true,
  curl: "curl -sS -i -X PUT 'http://127.0.0.1/certificates/contacts?api-version=7.4'",
  sequence: ['PUT', 'PUT with If-Match stale ETag'],
};

describe('report.html', () => {
  it('shows the verdict, the tables and each violation, and escapes everything a target sent', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'azconform-html-'));
    const r = new HtmlReport(dir);
    const events: RunEvent[] = [
      { type: 'run-started', target: { kind: 'url', label: 'http://127.0.0.1:1', vaultUrl: 'http://127.0.0.1:1', armUrl: 'http://127.0.0.1:1' }, profile: 'service', seed: 7, runs: 5, operations: [{ id: 'SetCertificateContacts', apiVersion: '7.4' }], startedAt: '2026-11-23T00:00:00Z' },
      { type: 'violation', violation },
      { type: 'run-done', durationMs: 1200, totals: { operations: 1, cases: 1, checks: 10, violations: 1, skipped: 0, notes: 0 }, exitCode: 1 },
    ];
    for (const e of events) r.handle(e);
    await r.close();
    const html = await readFile(path.join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/<span class="bad">1 violation\(s\)<\/span>/);
    expect(html).toMatch(/SetCertificateContacts@7.4<\/b> · <code>response.agrees<\/code> · rule <code>keyvault.setCertificateContacts.echo<\/code>/);
    expect(html).toMatch(/PUT → PUT with If-Match stale ETag/);
    expect(html).toMatch(/&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
    // The only script is the page's own filter script; nothing a target sent becomes markup.
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script>alert|<img/);
  });
});
