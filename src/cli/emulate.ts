/**
 * `azconform emulate`: serve the reference emulator of the four operations on one port (data plane at the root,
 * ARM under /subscriptions/…), optionally with named faults, until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { FAULTS, UnknownFaultError, startEmulator, type Emulator } from '../emulator/index.js';
import { EXIT, UsageError } from './exit-codes.js';

const HELP = `azconform emulate — a faithful, stateful emulator of the four operations

Usage: azconform emulate [options]

  --port N          port to listen on (default 8443; 0 picks a free one)
  --host HOST       address to bind (default 127.0.0.1)
  --fault NAME      serve with a named fault (repeatable; each touches one request class)
  --empty           start without the fixture certificate, as lowkey-vault and other emulators start
                    (azconform run --provision imports one of its own)
  --deny-purge      answer Purge Deleted Certificate with 403, as for a caller without certificates/purge
  --list-faults     print the fault catalog (name, tier, operation, description) and exit
  -h, --help        this text

Seeded with the default fixtures, so \`azconform run --target http://127.0.0.1:8443\` needs no other flag:
certificate updateCert01/c3d31d7b36c942ad83ef36fc0785a4fc, vault sample-vault (sample-group), API Management
service apimService1 (rg1), subscription and tenant 00000000-0000-0000-0000-000000000000.
Any bearer token is accepted; requests without one get the service's 401 (and Key Vault's challenge).
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
        empty: { type: 'boolean' },
        'deny-purge': { type: 'boolean' },
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
    emulator = await startEmulator({ port: port(values.port), host: values.host ?? '127.0.0.1', ...(values.fault ? { fault: values.fault } : {}), empty: values.empty === true, denyPurge: values['deny-purge'] === true });
  } catch (err) {
    if (err instanceof UnknownFaultError) throw new UsageError(err.message);
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') throw new UsageError(`cannot listen on ${values.host ?? '127.0.0.1'}:${values.port ?? 8443} (${e.code})`);
    throw err;
  }
  // Handlers first, then the line: whoever waits for the line may signal at once.
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void emulator.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  for (const f of emulator.faults) console.log(`fault: ${f.name} (${f.tier}, ${f.operation}): ${f.description}`);
  console.log(`azconform emulator listening on ${emulator.url}`);
  await stopped;
  console.log('azconform emulator stopped');
  return EXIT.ok;
}
