/**
 * Snapshot and restore end to end: a real run (runSession, profile service) against a real emulator, whose state
 * (read through emu.state, never changed by the test except over HTTP) must be the same after the run as before.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { runSession, type SessionResult } from '../../src/engine/session.js';
import type { RestoreItem, RunEvent } from '../../src/events/types.js';
import type { SuiteDef } from '../../src/suites/define.js';
import { loadOperations, selectOperations } from '../../src/model/registry.js';
import { makePkcs12 } from '../../src/pki/pkcs12.js';
import { diff } from '../../src/restore/diff.js';
import { DEFAULT_FIXTURES } from '../../src/targets/fixtures.js';
import { APIM_PATH, CERT, send, TENANT, VAULT_PATH } from '../emulator/client.js';

const OPERATIONS = selectOperations(loadOperations(), {}).selected;

// The suite files register themselves with vitest when VITEST is set; here they are only the CLI's suites.
let SUITES: readonly SuiteDef[] = [];
beforeAll(async () => {
  const vitest = process.env.VITEST;
  delete process.env.VITEST;
  try {
    ({ SUITES } = await import('../../src/suites/all.js'));
  } finally {
    process.env.VITEST = vitest;
  }
});

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** The emulator's state as the restore promises it: everything the four operations write, minus `updated` stamps. */
function view(e: Emulator) {
  const s = e.state;
  const cert = s.certificates.get(CERT.name.toLowerCase());
  const version = cert?.versions.get(CERT.version);
  const { updated: _u, ...policyAttributes } = cert?.policy.attributes ?? { updated: 0 };
  const vault = [...s.vaults.values()][0];
  const apim = [...s.apimServices.values()][0];
  return structuredClone({
    contacts: s.contacts,
    certificate: { enabled: version?.attributes.enabled, nbf: version?.attributes.nbf, exp: version?.attributes.exp, tags: version?.tags },
    policy: { ...cert?.policy, attributes: policyAttributes },
    accessPolicies: [...(vault?.accessPolicies.values() ?? [])].sort((a, b) => `${a.objectId}|${a.applicationId}`.localeCompare(`${b.objectId}|${b.applicationId}`)),
    apim: Object.fromEntries([...(apim?.certificates.values() ?? [])].map((c) => [c.name, { thumbprint: c.properties.thumbprint, keyVault: (c.properties.keyVault as { secretIdentifier?: string } | undefined)?.secretIdentifier }])),
  });
}

async function run(e: Emulator, extra: { restore?: boolean; seed?: number; runs?: number } = {}): Promise<{ result: SessionResult; events: RunEvent[] }> {
  const events: RunEvent[] = [];
  const result = await runSession({
    operations: OPERATIONS,
    suites: SUITES,
    profile: 'service',
    target: e.url,
    timeoutMs: 5000,
    root: process.cwd(),
    seed: extra.seed ?? 20240501,
    runs: extra.runs ?? 5,
    concurrency: 4,
    token: 'restore-test-token',
    fixtures: DEFAULT_FIXTURES,
    handlers: [{ handle: (ev) => void events.push(ev) }],
    ...(extra.restore !== undefined ? { restore: extra.restore } : {}),
  });
  return { result, events };
}

const restoreItems = (events: readonly RunEvent[], phase: 'snapshot' | 'restore'): RestoreItem[] =>
  events.flatMap((e) => (e.type === 'restore' && e.phase === phase ? [...e.items] : []));

const explain = (items: readonly RestoreItem[]): string => JSON.stringify(items.filter((i) => i.outcome !== 'ok'), null, 1);

/** Before equals after, except members the run added to the policy, which the restore must have reported. */
function expectRestored(before: ReturnType<typeof view>, after: ReturnType<typeof view>, items: readonly RestoreItem[]): void {
  expect(after.contacts).toEqual(before.contacts);
  expect(after.certificate).toEqual(before.certificate);
  expect(after.accessPolicies).toEqual(before.accessPolicies);
  expect(Object.keys(after.apim).sort()).toEqual(Object.keys(before.apim).sort());
  const policy = diff(before.policy, after.policy);
  expect(policy.filter((d) => d.op !== '+'), 'every policy member that existed before is back').toEqual([]);
  const verified = items.find((i) => i.resource === 'certificate' && i.action === 'verify');
  for (const d of policy) expect(verified?.detail, `the restore reports the added member ${d.path}`).toContain(`+/policy${d.path}`);
}

describe('restore against the emulator (profile service)', () => {
  it('puts a pristine emulator back: contacts deleted, certificate patched, added identities removed, created certificates deleted', { timeout: 120_000 }, async () => {
    emu = await startEmulator();
    const before = view(emu);
    const { result, events } = await run(emu);
    const after = view(emu);
    const items = restoreItems(events, 'restore');

    expect(result.exitCode).toBe(0);
    expect(restoreItems(events, 'snapshot').every((i) => i.outcome === 'ok'), explain(restoreItems(events, 'snapshot'))).toBe(true);
    expect(items.filter((i) => i.outcome === 'failed'), explain(items)).toEqual([]);
    // the run did change each kind of state, so each kind was restored
    for (const action of ['delete', 'patch', 'remove'] as const) expect(items.some((i) => i.action === action && i.outcome === 'ok'), action).toBe(true);
    expect(items.filter((i) => i.resource === 'apim-certificate' && i.action === 'delete').length).toBeGreaterThan(3);
    for (const r of ['contacts', 'access-policies', 'apim-certificate'] as const) {
      expect(items.find((i) => i.resource === r && i.action === 'verify')?.outcome, r).toBe('ok');
    }
    expectRestored(before, after, items);
    // restore events come before run-done, and the exit code is the run's own
    expect(events.findIndex((e) => e.type === 'restore' && e.phase === 'restore')).toBeLessThan(events.findIndex((e) => e.type === 'run-done'));
  });

  it('puts existing state back (contacts re-PUT, changed identities replaced) and never writes an API Management certificate of the user', { timeout: 120_000 }, async () => {
    emu = await startEmulator();
    const host = emu.url;
    // State a user might have: contacts, one more access policy, and API Management certificates with the ids the
    // spec examples use (under the service profile the example replay writes fresh ids of its own instead).
    const contacts = [{ email: 'ops@contoso.com', name: 'Ops', phone: '0123' }, { email: 'sec@contoso.com' }];
    expect((await send(host, 'PUT', '/certificates/contacts?api-version=7.4', { body: { contacts } })).status).toBe(200);
    const identities = [
      { tenantId: TENANT, objectId: '22222222-2222-4222-8222-222222222222', applicationId: '33333333-3333-4333-8333-333333333333', permissions: { secrets: ['get'] } },
      // the identity of the spec's updateAccessPoliciesAdd example: the run's example replay adds permissions to it
      { tenantId: TENANT, objectId: '00000000-0000-0000-0000-000000000000', permissions: { certificates: ['list'], storage: ['get'] } },
    ];
    expect((await send(host, 'PUT', `${VAULT_PATH}/accessPolicies/add?api-version=2019-09-01`, { body: { properties: { accessPolicies: identities } } })).status).toBeLessThan(300);
    const pfx = makePkcs12({ subject: 'CN=users-own.contoso.com', validityDays: 90, password: 'pw' });
    expect((await send(host, 'PUT', `${APIM_PATH}/certificates/tempcert?api-version=2024-05-01`, { body: { properties: { data: pfx.data, password: pfx.password } } })).status).toBe(201);
    const kv = { secretIdentifier: 'https://users-vault.vault.azure.net/secrets/gateway', identityClientId: '44444444-4444-4444-8444-444444444444' };
    expect((await send(host, 'PUT', `${APIM_PATH}/certificates/templateCertkv?api-version=2024-05-01`, { body: { properties: { keyVault: kv } } })).status).toBe(201);

    const etags = () => [...(emu?.state.apimServices.values() ?? [])].flatMap((svc) => ['tempcert', 'templatecertkv'].map((id) => svc.certificates.get(id)?.etag));
    const etagsBefore = etags();
    const before = view(emu);
    const { result, events } = await run(emu);
    const after = view(emu);
    const items = restoreItems(events, 'restore');

    expect(result.exitCode).toBe(0);
    expect(items.filter((i) => i.outcome === 'failed'), explain(items)).toEqual([]);
    expect(items.some((i) => i.resource === 'contacts' && i.action === 'put' && i.outcome === 'ok')).toBe(true);
    expect(items.some((i) => i.resource === 'access-policies' && i.action === 'replace' && i.outcome === 'ok')).toBe(true);
    expectRestored(before, after, items);
    expect(after.contacts).toEqual(contacts);
    // Untouched, ETags included: nothing to restore, and an upload could not be restored anyway (no PKCS#12 comes back).
    expect(after.apim.templateCertkv).toEqual(before.apim.templateCertkv);
    expect(after.apim.tempcert).toEqual(before.apim.tempcert);
    expect(etagsBefore.every((t) => t !== undefined)).toBe(true);
    expect(etags()).toEqual(etagsBefore);
    expect(items.filter((i) => /tempcert|templateCertkv/.test(i.subject))).toEqual([]);
  });

  it('restores what a failing run wrote while shrinking too (steps that never become case-done events)', { timeout: 120_000 }, async () => {
    // apim-always-201: the stateful property fails and fast-check shrinks it, creating more certificates as it goes
    emu = await startEmulator({ fault: 'apim-always-201' });
    const before = view(emu);
    const { result, events } = await run(emu, { seed: 7, runs: 20 });
    const items = restoreItems(events, 'restore');
    expect(result.exitCode).toBe(1);
    expect(items.filter((i) => i.outcome === 'failed'), explain(items)).toEqual([]);
    expectRestored(before, view(emu), items);
    expect(items.find((i) => i.resource === 'apim-certificate' && i.action === 'verify')?.outcome).toBe('ok');
  });

  it('with restore off, the run leaves its changes and says so', { timeout: 120_000 }, async () => {
    emu = await startEmulator();
    const before = view(emu);
    const { result, events } = await run(emu, { restore: false });
    expect(result.exitCode).toBe(0);
    expect(restoreItems(events, 'snapshot')).toEqual([expect.objectContaining({ resource: 'target', outcome: 'warning', detail: expect.stringMatching(/restore is off/) })]);
    expect(restoreItems(events, 'restore')).toEqual([]);
    expect(view(emu).contacts).not.toEqual(before.contacts);
  });
});
