/** `azconform emulate` as a user runs it: listen line, requests, --list-faults, usage errors, clean stop. */
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FAULTS } from '../../src/emulator/index.js';
import { send, v } from './client.js';
import { finish, listening, start } from './spawn.js';

describe('azconform emulate', () => {
  it('prints the listening line, serves both planes, and stops cleanly on SIGTERM', { timeout: 60_000 }, async () => {
    const child = start(['emulate', '--port', '0', '--fault', 'contacts-echo-reordered'], 'node');
    const done = finish(child);
    const url = await listening(child);
    const contacts = [{ email: 'a@x' }, { email: 'b@x' }];
    const r = await send(url, 'PUT', `/certificates/contacts${v('7.4')}`, { body: { contacts } });
    expect(r.body.contacts).toEqual([...contacts].reverse()); // the fault is in force
    const arm = await send(url, 'PUT', `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/sample-group/providers/Microsoft.KeyVault/vaults/sample-vault/accessPolicies/add${v('2019-09-01')}`, { token: false, body: {} });
    expect(arm.status).toBe(401);
    child.kill('SIGTERM');
    const end = await done;
    expect(end.code, end.stderr).toBe(0);
    expect(end.stdout).toMatch(/fault: contacts-echo-reordered/);
    expect(end.stdout).toMatch(/azconform emulator stopped/);
  });

  it('stops on SIGINT too', { timeout: 60_000 }, async () => {
    const child = start(['emulate', '--port', '0'], 'node');
    const done = finish(child);
    let out = '';
    while (!/listening on/.test(out)) out += String(await once(child.stdout as NodeJS.ReadableStream, 'data'));
    child.kill('SIGINT');
    expect((await done).code).toBe(0);
  });

  it('--list-faults prints every fault with its tier and description', { timeout: 60_000 }, async () => {
    const r = await finish(start(['emulate', '--list-faults']));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^name\s+tier\s+operation\s+description/);
    for (const f of FAULTS) expect(r.stdout).toMatch(new RegExp(`^${f.name}\\s+${f.tier}\\s+${f.operation}\\s+`, 'm'));
  });

  it('exits 2 with a message for an unknown fault or a bad port', { timeout: 60_000 }, async () => {
    const bad = await finish(start(['emulate', '--port', '0', '--fault', 'no-such-fault']));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown fault "no-such-fault"/);
    const port = await finish(start(['emulate', '--port', 'eighty']));
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/--port/);
    const help = await finish(start(['emulate', '--help']));
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--list-faults/);
  });
});
