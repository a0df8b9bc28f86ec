import path from 'node:path';
import type { Profile } from '../checks/types.js';
import type { TargetDescription } from '../events/types.js';
import type { Operation } from '../model/registry.js';
import { canConnect } from './free-port.js';
import { startPrism, type PrismInstance } from './prism.js';

export interface TargetOptions {
  /** One base URL for everything (data-plane paths at its root, ARM paths under /subscriptions/…). */
  readonly target?: string;
  readonly vaultUrl?: string;
  readonly armUrl?: string;
  readonly timeoutMs: number;
  /** Project root, to find specs/ for the embedded Prism. */
  readonly root: string;
}

export interface ResolvedTarget {
  readonly description: TargetDescription;
  readonly defaultProfile: Profile;
  readonly baseUrl: (op: Operation) => string;
  close(): Promise<void>;
}

/** A problem reaching the target: exit code 2, with the message. */
export class TargetError extends Error {}

/**
 * The embedded default is a real Prism mock per spec file of the selected operations; with --target /
 * --vault-url / --arm-url the requests go to those URLs. Either way the target is checked to be reachable
 * (a TCP connection) before the run starts.
 */
export async function resolveTarget(ops: readonly Operation[], opts: TargetOptions): Promise<ResolvedTarget> {
  const given = opts.target ?? opts.vaultUrl ?? opts.armUrl;
  if (given) {
    const vaultUrl = opts.vaultUrl ?? opts.target;
    const armUrl = opts.armUrl ?? opts.target;
    for (const op of ops) {
      const url = op.plane === 'data' ? vaultUrl : armUrl;
      if (!url) throw new TargetError(`${op.id} is a ${op.plane === 'data' ? 'Key Vault data-plane' : 'ARM'} operation: give --target or ${op.plane === 'data' ? '--vault-url' : '--arm-url'}`);
      const ok = await canConnect(url, Math.min(opts.timeoutMs, 5_000));
      if (ok !== true) throw new TargetError(`target unreachable: ${ok}`);
    }
    const label = opts.target ?? [vaultUrl && `vault ${vaultUrl}`, armUrl && `ARM ${armUrl}`].filter(Boolean).join(', ');
    return {
      description: { kind: 'url', label, vaultUrl: vaultUrl ?? '-', armUrl: armUrl ?? '-' },
      defaultProfile: 'service',
      baseUrl: (op) => (op.plane === 'data' ? (vaultUrl as string) : (armUrl as string)),
      close: async () => undefined,
    };
  }

  const files = [...new Set(ops.map((o) => o.spec.file))];
  const started = await Promise.allSettled(files.map((f) => startPrism(path.join(opts.root, f))));
  const instances = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  const close = async (): Promise<void> => {
    await Promise.all(instances.map((p) => p.stop()));
  };
  if (failure) {
    await close();
    throw new TargetError(`the embedded Prism mock did not start: ${(failure.reason as Error).message}`);
  }
  const byFile = new Map<string, PrismInstance>(instances.map((p, i) => [files[i] as string, p]));
  const urlOf = (op: Operation): string => (byFile.get(op.spec.file) as PrismInstance).url;
  return {
    description: {
      kind: 'prism',
      label: `embedded Prism mock (${instances.length} process${instances.length === 1 ? '' : 'es'})`,
      vaultUrl: ops.filter((o) => o.plane === 'data').map(urlOf).filter((u, i, a) => a.indexOf(u) === i).join(', ') || '-',
      armUrl: ops.filter((o) => o.plane === 'arm').map(urlOf).filter((u, i, a) => a.indexOf(u) === i).join(', ') || '-',
    },
    defaultProfile: 'mock',
    baseUrl: urlOf,
    close,
  };
}
