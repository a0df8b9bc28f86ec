/**
 * `azconform diff --target`: every change the diff claims, provoked on the reference emulator (which serves every
 * version) and seen; a target that answers 200 with nothing applied is caught as not observing them; a live
 * host is refused before any request.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { finish, start } from '../emulator/spawn.js';

let emu: Emulator;
let blank: http.Server;
let blankUrl: string;
let blankRequests = 0;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  // Takes everything and applies nothing: 200 with an empty object.
  blank = http.createServer((req, res) => {
    blankRequests++;
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((r) => blank.listen(0, '127.0.0.1', r));
  blankUrl = `http://127.0.0.1:${(blank.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await emu?.close();
  await new Promise((r) => blank?.close(r));
});

interface Json {
  changes: { kind: string; side: string }[];
  probed: { results: { observation: string; evidence: string; change: { kind: string; side: string; location: string } }[] };
}
const diff = (target: string, op: string, from: string, to: string, ...extra: string[]) => finish(start(['diff', '--operation', op, '--from', from, '--to', to, '--target', target, '--format', 'json', ...extra], 'node'));

describe('diff --target', () => {
  it.each([
    ['UpdateCertificate', '7.4', '2025-07-01'],
    ['UpdateCertificate', '7.5', '7.6'],
    ['Vaults_UpdateAccessPolicy', '2019-09-01', '2024-11-01'],
    ['Vaults_UpdateAccessPolicy', '2021-10-01', '2022-07-01'],
  ])('%s %s → %s: the reference emulator is seen to honour every change a probe can provoke', async (op, from, to) => {
    const r = await diff(emu.url, op, from, to, '--fail-on', 'not-observed');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Json;
    expect(doc.probed.results).toHaveLength(doc.changes.length);
    expect(doc.probed.results.filter((p) => p.observation === 'not observed')).toEqual([]);
    expect(doc.probed.results.some((p) => p.observation === 'observed')).toBe(true);
    // Only statuses and rules have no probe.
    expect(doc.probed.results.filter((p) => p.observation === 'cannot be provoked').every((p) => p.change.side === 'status' || p.change.side === 'rule')).toBe(true);
    expect(r.stderr).toMatch(/^restore: /m);
  });

  it('UpdateCertificate 7.0 → 7.1: the read-only recoverableDays is sent and ignored, and answered; the new level is answered; what only the service sets and does not send cannot be provoked', async () => {
    const r = await diff(emu.url, 'UpdateCertificate', '7.0', '7.1', '--fail-on', 'not-observed');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Json;
    const seen = doc.probed.results.map((p) => `${p.change.side} ${p.change.location} ${p.change.kind}: ${p.observation}`);
    expect(seen).toEqual([
      'request /policy/attributes/recoverableDays member-added: observed',
      'request /policy/attributes/recoveryLevel enum-value-added: observed',
      'request /attributes/recoverableDays member-added: observed',
      'request /attributes/recoveryLevel enum-value-added: observed',
      // Key Vault (and the emulator) keeps the recovery settings out of a policy's attributes.
      'response 200 /policy/attributes/recoverableDays member-added: cannot be provoked',
      'response 200 /policy/attributes/recoveryLevel enum-value-added: cannot be provoked',
      'response 200 /attributes/recoverableDays member-added: observed',
      'response 200 /attributes/recoveryLevel enum-value-added: observed',
      'rule keyvault.updateCertificate.recoverable-days rule-added: cannot be provoked',
    ]);
    expect(doc.probed.results[2]?.evidence).toMatch(/^read-only; sent recoverableDays = -?\d+; at 7\.1: 200, ignored \(the answer has 7\)$/);
    expect(doc.probed.results[7]?.evidence).toBe("at 7.1: 200 with CustomizedRecoverable+Purgeable (the others depend on the resource's settings)");
  });

  it('UpdateCertificate 7.1 → 7.2: oct-HSM is accepted and echoed; a nullable error has no probe', async () => {
    const r = await diff(emu.url, 'UpdateCertificate', '7.1', '7.2', '--fail-on', 'not-observed');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Json;
    expect(doc.probed.results.map((p) => `${p.change.side} ${p.change.location} ${p.change.kind}: ${p.observation}`)).toEqual([
      'request /policy/key_props/kty enum-value-added: observed',
      'response 200 /policy/key_props/kty enum-value-added: observed',
      'response 401 /error type-changed: cannot be provoked',
      'response default /error type-changed: cannot be provoked',
    ]);
    expect(doc.probed.results[1]?.evidence).toBe('at 7.2: oct-HSM: 200, in the answer');
  });

  it('an emulator that applies read-only attributes a client sends (patch-applies-read-only) does not observe recoverableDays as ignored', async () => {
    const faulty = await startEmulator({ port: 0, fault: ['patch-applies-read-only'] });
    try {
      const r = await diff(faulty.url, 'UpdateCertificate', '7.0', '7.1', '--fail-on', 'not-observed');
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as Json;
      const member = doc.probed.results.find((p) => p.change.side === 'request' && p.change.location === '/attributes/recoverableDays');
      expect(member?.observation).toBe('not observed');
      expect(member?.evidence).toMatch(/, applied \(a read-only member must be ignored\)$/);
    } finally {
      await faulty.close();
    }
  });

  it('a target that answers 200 and carries nothing gives no evidence of a read-only member the service sets', async () => {
    const r = await diff(blankUrl, 'UpdateCertificate', '7.0', '7.1', '--no-restore');
    const doc = JSON.parse(r.stdout) as Json;
    // The blank target answers {}: a 200 that carries nothing is no evidence of the member, nor of its new levels.
    const answered = doc.probed.results.find((p) => p.change.side === 'response' && p.change.location === '200 /attributes/recoverableDays');
    expect(answered?.observation).toBe('cannot be provoked');
  });

  it('a target that answers 200 and applies nothing does not observe the new members; --fail-on not-observed exits 1', async () => {
    const r = await diff(blankUrl, 'UpdateCertificate', '7.4', '2025-07-01', '--fail-on', 'not-observed', '--no-restore');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Json;
    const member = doc.probed.results.find((p) => p.change.location === '/policy/x509_props/sans/uris');
    expect(member?.observation).toBe('not observed');
    expect(member?.evidence).toMatch(/the answer does not carry it/);
  });

  it('a live host is refused before any request (the run\'s guard)', async () => {
    const before = blankRequests;
    const r = await diff('https://myvault.vault.azure.net', 'UpdateCertificate', '7.4', '2025-07-01');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/myvault\.vault\.azure\.net is an Azure service: the probes write to it; give --allow-live/);
    expect(blankRequests).toBe(before);
  });
});
