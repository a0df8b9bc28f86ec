import type { Profile } from '../checks/types.js';
import type { TargetDescription } from '../events/types.js';
import type { Operation } from '../model/registry.js';
import type { TlsTrust } from '../http/tls.js';
import { canConnect } from './free-port.js';
import { startEmbeddedPrism, type EmbeddedPrism } from './embedded.js';

export interface TargetOptions {
  /** One base URL for everything (data-plane paths at its root, ARM paths under /subscriptions/…). */
  readonly target?: string;
  readonly vaultUrl?: string;
  readonly armUrl?: string;
  readonly timeoutMs: number;
  /** How an https target's certificate is trusted (--ca, --insecure). */
  readonly tls?: TlsTrust;
  /** Project root, to find specs/ for the embedded Prism. */
  readonly root: string;
  /**
   * The embedded Prism serves the spec files from as few processes as possible, each from one merged document
   * (default true; see src/targets/merge.ts); false starts one Prism per spec file.
   */
  readonly mergeSpecs?: boolean;
}

/**
 * Prism's log level for the embedded mock (see PrismOptions.verboseLevel): nobody reads its per-request lines, and
 * at `warn` each negative case cost Prism a violation line (the default run: 0.3 s less wall time at `fatal`).
 */
const PRISM_VERBOSE_LEVEL = 'fatal';

export interface ResolvedTarget {
  readonly description: TargetDescription;
  readonly defaultProfile: Profile;
  readonly baseUrl: (op: Operation) => string;
  close(): Promise<void>;
}

/** A problem reaching the target: exit code 2, with the message. */
export class TargetError extends Error {}

/**
 * The embedded default is a real Prism mock serving the spec files of the selected operations (as few
 * processes as merging the files allows, src/targets/embedded.ts); with --target /
 * --vault-url / --arm-url the requests go to those URLs. Either way the target is checked to be reachable
 * (a TCP connection) before the run starts.
 */
export async function resolveTarget(ops: readonly Operation[], opts: TargetOptions): Promise<ResolvedTarget> {
  const given = opts.target ?? opts.vaultUrl ?? opts.armUrl;
  if (given) {
    const vaultUrl = opts.vaultUrl ?? opts.target;
    const armUrl = opts.armUrl ?? opts.target;
    const urls = new Set<string>();
    for (const op of ops) {
      const url = op.plane === 'data' ? vaultUrl : armUrl;
      if (!url) throw new TargetError(`${op.id} is a ${op.plane === 'data' ? 'Key Vault data-plane' : 'ARM'} operation: give --target or ${op.plane === 'data' ? '--vault-url' : '--arm-url'}`);
      urls.add(url);
    }
    const problems = (await Promise.all([...urls].map((u) => canConnect(u, Math.min(opts.timeoutMs, 5_000), opts.tls)))).filter((r): r is string => r !== true);
    // An untrusted certificate is the user's to fix, whatever else answers. One plane refused while another
    // answers is a target that serves a subset: its operations are reported as not served (operation.served).
    // Anything but a refusal (a TLS problem, a host that does not answer) stops the run at once.
    const tlsProblem = problems.find((p) => p.startsWith('TLS: '));
    if (tlsProblem) throw new TargetError(tlsProblem);
    const other = problems.find((p) => !p.endsWith('ECONNREFUSED'));
    if (other) throw new TargetError(`target unreachable: ${other}`);
    if (problems.length === urls.size && problems[0] !== undefined) throw new TargetError(`target unreachable: ${problems[0]}`);
    const label = opts.target ?? [vaultUrl && `vault ${vaultUrl}`, armUrl && `ARM ${armUrl}`].filter(Boolean).join(', ');
    return {
      description: { kind: 'url', label, vaultUrl: vaultUrl ?? '-', armUrl: armUrl ?? '-' },
      defaultProfile: 'service',
      baseUrl: (op) => (op.plane === 'data' ? (vaultUrl as string) : (armUrl as string)),
      close: async () => undefined,
    };
  }

  return startEmbeddedTarget(ops, opts);
}

/** The embedded Prism mock(s) serving `ops` as a target (resolveTarget without a URL). */
export async function startEmbeddedTarget(ops: readonly Operation[], opts: Pick<TargetOptions, 'root' | 'mergeSpecs'>): Promise<ResolvedTarget> {
  let prism: EmbeddedPrism;
  try {
    prism = await startEmbeddedPrism(ops, { root: opts.root, merge: opts.mergeSpecs ?? true, prism: { verboseLevel: PRISM_VERBOSE_LEVEL } });
  } catch (err) {
    throw new TargetError(`the embedded Prism mock did not start: ${(err as Error).message}`);
  }
  const urlOf = (op: Operation): string => prism.urlOf(op);
  const n = prism.processes;
  const files = `${prism.files} spec file${prism.files === 1 ? '' : 's'}`;
  const how = prism.fallback ? `${files}, not merged: ${prism.fallback}` : n < prism.files ? `${files} merged` : files;
  return {
    description: {
      kind: 'prism',
      label: `embedded Prism mock (${n} process${n === 1 ? '' : 'es'}, ${how})`,
      vaultUrl: ops.filter((o) => o.plane === 'data').map(urlOf).filter((u, i, a) => a.indexOf(u) === i).join(', ') || '-',
      armUrl: ops.filter((o) => o.plane === 'arm').map(urlOf).filter((u, i, a) => a.indexOf(u) === i).join(', ') || '-',
    },
    defaultProfile: 'mock',
    baseUrl: urlOf,
    close: () => prism.close(),
  };
}
