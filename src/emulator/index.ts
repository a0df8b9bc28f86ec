/**
 * The reference emulator of the four operations: one HTTP server for both planes (data-plane paths at its root,
 * ARM under /subscriptions/…), stateful, seeded with DEFAULT_FIXTURES, optionally with named faults.
 *
 *   const emu = await startEmulator({ port: 0, fault: 'contacts-echo-reordered' });
 *   // … azconform run --target emu.url …
 *   await emu.close();
 */
import { loadOperations } from '../model/registry.js';
import { makeTlsCertificate } from '../pki/tls-certificate.js';
import { anyToken, audienceChecked } from './auth.js';
import { DEFAULT_FIXTURES } from '../targets/fixtures.js';
import { FAULTS, faultByName } from './faults.js';
import { Pipeline } from './pipeline.js';
import { EmulatorRouter } from './routing.js';
import { listen } from './server.js';
import { seedState, type EmulatorState } from './state.js';
import type { Fault } from './types.js';

export { FAULTS, faultByName } from './faults.js';
export type { Fault, FaultTier } from './types.js';
export type { EmulatorState } from './state.js';

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** One fault name, or several (each touches its own request class). */
  readonly fault?: string | readonly string[];
  /** Serve HTTPS with a self-signed certificate made at start (Emulator.certificate). */
  readonly tls?: boolean;
  /** Start without the fixture certificate (`emulate --empty`), as other emulators start. */
  readonly empty?: boolean;
  /** Refuse Purge Deleted Certificate with 403, as a vault does for a caller without certificates/purge. */
  readonly denyPurge?: boolean;
  /** Accept only a JWT for the request's plane (aud https://vault.azure.net or https://management.azure.com). */
  readonly checkAudience?: boolean;
}

export interface Emulator {
  /** `http://host:port` (`https://` with tls): the --target for `azconform run`. */
  readonly url: string;
  /** With tls: the certificate it serves (PEM), what a client trusts with `--ca`. */
  readonly certificate?: string;
  readonly port: number;
  readonly faults: readonly Fault[];
  /** The live resources (read them in tests; the HTTP API is the way to change them). */
  readonly state: EmulatorState;
  close(): Promise<void>;
}

export class UnknownFaultError extends Error {}

/** Resolve fault names; unknown names throw UnknownFaultError listing the known ones. */
export function resolveFaults(names: string | readonly string[] | undefined): Fault[] {
  const list = names === undefined ? [] : typeof names === 'string' ? [names] : [...names];
  return list.map((n) => {
    const f = faultByName(n);
    if (!f) throw new UnknownFaultError(`unknown fault "${n}" (azconform emulate --list-faults shows the ${FAULTS.length} known faults)`);
    return f;
  });
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const faults = resolveFaults(opts.fault);
  const operations = loadOperations();
  const state = seedState(operations, DEFAULT_FIXTURES, { empty: opts.empty === true, denyPurge: opts.denyPurge === true });
  const host = opts.host ?? '127.0.0.1';
  const tls = opts.tls ? await makeTlsCertificate(host) : undefined;
  const listening = await listen(new Pipeline(new EmulatorRouter(operations), state, faults, opts.checkAudience ? audienceChecked : anyToken), opts.port ?? 0, host, tls);
  const shown = host.includes(':') ? `[${host}]` : host;
  return { url: `${tls ? 'https' : 'http'}://${shown}:${listening.port}`, port: listening.port, faults, state, ...(tls ? { certificate: tls.cert } : {}), close: listening.close };
}
