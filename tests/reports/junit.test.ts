import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Violation } from '../../src/events/types.js';
import { violationKey } from '../../src/gate/signature.js';
import { JunitReport } from '../../src/reports/junit.js';

const violation = (check: string, message: string): Violation => ({
  operation: 'SetCertificateContacts',
  apiVersion: '7.4',
  check,
  message,
  caseId: 'SetCertificateContacts@7.4/fuzz/0',
  kind: 'positive',
  property: 'fuzz',
  request: { method: 'PUT', url: 'http://127.0.0.1:1/certificates/contacts?api-version=7.4', headers: {} },
  seed: 1,
  shrunk: true,
  curl: `curl -X PUT 'http://127.0.0.1:1/certificates/contacts?api-version=7.4' --data-binary '{"a":"<b>"}'`,
});

describe('junit.xml', () => {
  it('one failure per operation × check with every violation of it, XML-escaped, control characters dropped', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'azconform-junit-'));
    try {
      const r = new JunitReport(dir);
      const op = { id: 'SetCertificateContacts', apiVersion: '7.4' };
      r.handle({ type: 'run-started', target: { kind: 'url', label: 't', vaultUrl: '-', armUrl: '-' }, profile: 'service', seed: 1, runs: 1, operations: [op], startedAt: new Date(0).toISOString() });
      const outcomes = [
        { check: 'response.schema', status: 'failed' as const, findings: [] },
        { check: 'status.documented', status: 'passed' as const, findings: [] },
      ];
      const c = { id: 'x', operation: op, kind: 'positive' as const, property: 'fuzz', expect: 'accept', request: { method: 'PUT', url: 'http://h/', headers: {} }, ms: 1 };
      r.handle({ type: 'case-done', case: c, outcomes });
      r.handle({ type: 'violation', violation: violation('response.schema', 'first <bad> & "quoted"\u0001') });
      r.handle({ type: 'violation', violation: violation('response.schema', 'second one') });
      await r.close();
      const xml = await readFile(path.join(dir, 'junit.xml'), 'utf8');
      const failures = xml.match(/<failure [^>]*>[^<]*<\/failure>/g) ?? [];
      expect(failures).toHaveLength(1);
      expect(failures[0]).toContain('message="first &lt;bad&gt; &amp; &quot;quoted&quot;"');
      expect(failures[0]).toContain('second one');
      expect(failures[0]).toContain('{&quot;a&quot;:&quot;&lt;b&gt;&quot;}');
      expect(xml).not.toContain('\u0001');
      expect(xml).toMatch(/<testcase classname="SetCertificateContacts@7.4" name="status.documented" time="0"><\/testcase>/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a violation the baseline accepts (known) does not fail its testcase: it is skipped, saying so', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'azconform-junit-'));
    try {
      const r = new JunitReport(dir);
      const op = { id: 'SetCertificateContacts', apiVersion: '7.4' };
      r.handle({ type: 'run-started', target: { kind: 'url', label: 't', vaultUrl: '-', armUrl: '-' }, profile: 'service', seed: 1, runs: 1, operations: [op], startedAt: new Date(0).toISOString() });
      const known = violation('response.schema', 'known one');
      const fresh = violation('status.documented', 'new one');
      r.handle({ type: 'violation', violation: known });
      r.handle({ type: 'violation', violation: fresh });
      r.handle({ type: 'gate', verdict: { known: [violationKey(known)], expired: [], stale: [], missingStatuses: [], failing: 1, failures: ['1 violation(s) not in the baseline (1 known)'] } });
      await r.close();
      const xml = await readFile(path.join(dir, 'junit.xml'), 'utf8');
      expect(xml).toMatch(/<testcase classname="SetCertificateContacts@7.4" name="response.schema" time="0"><skipped message="1 known violation\(s\) accepted by the baseline"\/><\/testcase>/);
      expect(xml).toMatch(/<testcase classname="SetCertificateContacts@7.4" name="status.documented" time="0"><failure message="new one"/);
      expect(xml).toMatch(/<testsuite name="SetCertificateContacts@7.4" tests="2" failures="1" skipped="1"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
