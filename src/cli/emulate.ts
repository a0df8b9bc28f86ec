/**
 * `azconform emulate`: serve the reference emulator of the four operations on one port (data plane at the root,
 * ARM under /subscriptions/…), optionally with named faults, until SIGINT/SIGTERM.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FAULTS, UnknownFaultError, startEmulator, type Emulator } from '../emulator/index.js';
import { EXIT, UsageError } from './exit-codes.js';

const HELP = `azconform emulate — a faithful, stateful emulator of the four operations

Usage: azconform emulate [options]

  --port N          port to listen on (default 8443; 0 picks a free one)
  --host HOST       address to bind (default 127.0.0.1)
  --fault NAME      serve with a named fault (repeatable; each touches one request class)
  --tls             serve HTTPS with a self-signed certificate made at start (for 127.0.0.1, ::1, localhost);
                    its PEM is written to a file named on the listening line: \`azconform run --ca FILE\` trusts it
  --cert-file FILE  where --tls writes the certificate (default: a fresh temp dir, removed on stop)
  --empty           start without the fixture certificate, as lowkey-vault and other emulators start
                    (azconform run --provision imports one of its own)
  --deny-purge      answer Purge Deleted Certificate with 403, as for a caller without certificates/purge
  --check-audience  accept only a JWT for the request's plane (Key Vault: aud https://vault.azure.net; ARM:
                    https://management.azure.com); a token for the other plane gets 401 and the challenge
  --list-faults     print the fault catalog (name, tier, operation, description) and exit
  -h, --help        this text

Seeded with the default fixtures, so \`azconform run --target http://127.0.0.1:8443\` needs no other flag:
certificate updateCert01/c3d31d7b36c942ad83ef36fc0785a4fc, vault sample-vault (sample-group), API Management
service apimService1 (rg1), subscription and tenant 00000000-0000-0000-0000-000000000000.
With --tls: \`azconform run --target https://127.0.0.1:8443 --ca FILE\` (FILE from the listening line).
Any bearer token is accepted (unless --check-audience); requests without one get the service's 401 (and Key Vault's challenge).
Stops on SIGINT / SIGTERM.`;

function faultTable(): string {
  const rows = FAULTS.map((f) => [f.name, f.tier, f.operation, f.description]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length), ['name', 'tier', 'operation'][i]?.length ?? 0));
  const line = (r: readonly string[]): string => r.map((c, i) => (i < 3 ? c.padEnd(widths[i] ?? 0) : c)).join('  ');
  return [line(['name', 'tier', 'operation', 'description']), ...rows.map(line), '', `${FAULTS.length} faults`].join('\n');
}

function port(raw: string | undefined): number {
  if (raw === undefined) return 8443;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port must be an integer 0–65535, got ${JSON.stringify(raw)}`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        fault: { type: 'string', multiple: true },
        'list-faults': { type: 'boolean' },
        tls: { type: 'boolean' },
        'cert-file': { type: 'string' },
        empty: { type: 'boolean' },
        'deny-purge': { type: 'boolean' },
        'check-audience': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${HELP}`);
  }
  if (values.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  if (values['list-faults']) {
    console.log(faultTable());
    return EXIT.ok;
  }

  let emulator: Emulator;
  try {
    if (values['cert-file'] && !values.tls) throw new UsageError('--cert-file needs --tls');
    emulator = await startEmulator({ port: port(values.port), host: values.host ?? '127.0.0.1', ...(values.fault ? { fault: values.fault } : {}), empty: values.empty === true, denyPurge: values['deny-purge'] === true, ...(values['check-audience'] ? { checkAudience: true } : {}), ...(values.tls ? { tls: true } : {}) });
  } catch (err) {
    if (err instanceof UnknownFaultError || err instanceof UsageError) throw err instanceof UsageError ? err : new UsageError(err.message);
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') throw new UsageError(`cannot listen on ${values.host ?? '127.0.0.1'}:${values.port ?? 8443} (${e.code})`);
    throw err;
  }
  // The certificate is on disk before the line that names it: whoever reads the line may use the file at once.
  let certFile: string | undefined;
  let tempDir: string | undefined;
  if (emulator.certificate) {
    try {
      if (values['cert-file']) certFile = path.resolve(values['cert-file']);
      else certFile = path.join((tempDir = await mkdtemp(path.join(os.tmpdir(), 'azconform-emulator-tls-'))), 'ca.pem');
      await writeFile(certFile, emulator.certificate);
    } catch (err) {
      await emulator.close();
      throw new UsageError(`cannot write the certificate to ${certFile ?? 'a temp dir'} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  // Handlers first, then the line: whoever waits for the line may signal at once.
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void emulator
        .close()
        .then(() => (tempDir ? rm(tempDir, { recursive: true, force: true }) : undefined))
        .then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  for (const f of emulator.faults) console.log(`fault: ${f.name} (${f.tier}, ${f.operation}): ${f.description}`);
  console.log(`azconform emulator listening on ${emulator.url}${certFile ? ` (CA certificate: ${certFile})` : ''}`);
  await stopped;
  console.log('azconform emulator stopped');
  return EXIT.ok;
}
