import { fixedTokens } from '../auth/tokens.js';
import { EventBus } from '../events/bus.js';
import type { ReportHandler, RunEvent, Violation } from '../events/types.js';
import { Engine } from '../engine/run.js';
import { HttpClient, poolConnections } from '../http/client.js';
import { loadOperations, SEED_VERSIONS } from '../model/registry.js';
import { makePkcs12 } from '../pki/pkcs12.js';
import { DEFAULT_FIXTURES } from '../targets/fixtures.js';
import { resolveTarget, type ResolvedTarget } from '../targets/resolve.js';
import type { SuiteDef } from './define.js';

/** How a failing property reads in vitest: everything needed to reproduce it. */
function explain(vs: readonly Violation[]): string {
  return vs
    .map((v) => `${v.check}${v.rule ? ` [${v.rule}]` : ''}: ${v.message}\n  case ${v.caseId} · seed ${v.seed}${v.path ? ` · path ${v.path}` : ''}${v.shrunk ? ' (shrunk)' : ''}\n  request: ${JSON.stringify(v.request.body ?? null)}\n  ${v.curl}`)
    .join('\n\n');
}

/**
 * Under vitest, a suite file becomes a describe block: a real Prism mock for the operation's spec, and one test
 * per property. Outside vitest (the CLI imports the same files) this does nothing.
 */
export async function registerWithVitest(suite: SuiteDef): Promise<void> {
  if (!process.env.VITEST) return;
  const { describe, it, beforeAll, afterAll, expect } = await import('vitest');
  const apiVersion = process.env.AZCONFORM_API_VERSION ?? SEED_VERSIONS[suite.operation];
  const op = loadOperations().find((o) => o.id === suite.operation && o.apiVersion === apiVersion);
  if (!op) throw new Error(`no generated operation ${suite.operation}@${String(apiVersion)}`);
  const seed = Number(process.env.AZCONFORM_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const runs = Number(process.env.AZCONFORM_RUNS ?? 25);

  describe(`${op.id}@${op.apiVersion} against the embedded Prism mock (seed ${seed})`, () => {
    let target: ResolvedTarget | undefined;
    let client: HttpClient | undefined;
    let collected: Violation[] = [];
    const collector: ReportHandler = { handle: (e: RunEvent) => void (e.type === 'violation' && collected.push(e.violation)) };
    let engine: Engine | undefined;

    beforeAll(async () => {
      target = await resolveTarget([op], { timeoutMs: 5_000, root: process.cwd() });
      client = new HttpClient({ timeoutMs: 5_000, connections: poolConnections(4) });
      const certificates = op.id === 'Certificate_CreateOrUpdate' ? [makePkcs12({ subject: 'CN=suite.azconform.test', validityDays: 90, password: 'pw' })] : [];
      engine = new Engine({ baseUrl: target.baseUrl, profile: 'mock', seed, runs, concurrency: 4, token: fixedTokens('azconform-placeholder-token'), fixtures: DEFAULT_FIXTURES, certificates, client, bus: new EventBus([collector]) });
    });
    afterAll(async () => {
      await client?.close();
      await target?.close();
    });

    for (const property of suite.properties) {
      it(property.name, async () => {
        collected = [];
        const result = await engine?.runOperation(op, [property]);
        expect(result?.cases ?? 0, 'the property sent no case').toBeGreaterThan(0);
        expect(collected, explain(collected)).toEqual([]);
      });
    }
  });
}
