import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CHECKS } from '../checks/registry.js';
import type { ReportHandler, Violation } from '../events/types.js';
import { signatureKey, signatureOf } from '../gate/signature.js';
import { loadOperations, type Operation } from '../model/registry.js';
import { packageRoot } from '../model/root.js';
import { TallyReport } from './collect.js';
import { gateView } from './gate-view.js';
import { SpecLines } from './spec-lines.js';

/** The kit's root: specs/ ships next to src/, so a finding can point at the spec line it broke. */
const ROOT = packageRoot();
const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** `negative.rejected/keyvault.updateCertificate.trigger-one-kind`: the check, and the Azure rule when there is one. */
export const sarifRuleId = (v: Pick<Violation, 'check' | 'rule'>): string => (v.rule ? `${v.check}/${v.rule}` : v.check);

interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription?: { readonly text: string };
  readonly help: { readonly text: string; readonly markdown: string };
  readonly properties: { readonly check: string; readonly rule?: string; readonly tags: readonly string[] };
}

function ruleMeta(v: Violation, op: Operation | undefined): SarifRule {
  const check = CHECKS.find((c) => c.id === v.check);
  const rule = v.rule ? op?.model.rules.find((r) => r.id === v.rule) : undefined;
  const title = check?.title ?? v.check;
  const says = rule ? `${rule.says}` : undefined;
  const help = rule
    ? { text: `${rule.says}\nSource: ${rule.source}\nCheck ${v.check}: ${title} (${check?.cites ?? ''})`, markdown: `**${rule.id}** — ${rule.says}\n\n*Source:* ${rule.source}\n\n*Check* \`${v.check}\`: ${title} (${check?.cites ?? ''})` }
    : { text: `${title}\nSource: ${check?.cites ?? 'the operation spec'}`, markdown: `\`${v.check}\` — ${title}\n\n*Source:* ${check?.cites ?? 'the operation spec'}` };
  return {
    id: sarifRuleId(v),
    name: (v.rule ?? v.check).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c?: string) => (c ? c.toUpperCase() : '')),
    shortDescription: { text: says ? `${title}: ${rule?.id}` : title },
    ...(says ? { fullDescription: { text: says } } : {}),
    help,
    properties: { check: v.check, ...(v.rule ? { rule: v.rule } : {}), tags: ['azconform', 'api-conformance', ...(v.rule ? ['azure-rule'] : [])] },
  };
}

/**
 * reports/azconform.sarif (SARIF 2.1.0) for GitHub code scanning and Azure DevOps: one result per distinct
 * violation (by signature, with a count), placed on the spec line of the schema node or rule it broke, with the
 * operation and api-version as a logical location and a fingerprint that survives seeds and message wording.
 */
export class SarifReport extends TallyReport implements ReportHandler {
  constructor(
    dir: string,
    private readonly root: string = ROOT,
  ) {
    super(dir);
  }

  async close(): Promise<void> {
    const t = this.tally;
    const g = gateView(t);
    const ops = new Map(loadOperations().map((o) => [`${o.id}@${o.apiVersion}`, o]));
    const specs = new Map<string, SpecLines>();
    const groups = new Map<string, Violation[]>();
    for (const v of t.violations) {
      const key = signatureKey(signatureOf(v));
      const list = groups.get(key);
      if (list) list.push(v);
      else groups.set(key, [v]);
    }
    const rules = new Map<string, { index: number; meta: SarifRule }>();
    const results = [...groups.entries()].map(([key, vs]) => {
      const v = vs[0] as Violation;
      const op = ops.get(`${v.operation}@${v.apiVersion}`);
      const id = sarifRuleId(v);
      if (!rules.has(id)) rules.set(id, { index: rules.size, meta: ruleMeta(v, op) });
      const sig = signatureOf(v);
      let spec: SpecLines | undefined;
      if (op) {
        spec = specs.get(op.spec.file);
        if (!spec) specs.set(op.spec.file, (spec = new SpecLines(path.join(this.root, op.spec.file))));
      }
      const where = op && spec ? spec.locate(v, op.model) : undefined;
      const known = g.isKnown(v);
      const uri = op ? path.relative(process.cwd(), path.join(this.root, op.spec.file)).split(path.sep).join('/') : undefined;
      return {
        ruleId: id,
        ruleIndex: rules.get(id)?.index ?? 0,
        level: known ? 'note' : 'error',
        message: { text: `${v.operation}@${v.apiVersion}: ${v.message}${vs.length > 1 ? ` (${vs.length} times)` : ''}` },
        locations: [
          {
            ...(uri && where ? { physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region: { startLine: where.line } } } : {}),
            logicalLocations: [{ name: v.operation, fullyQualifiedName: `${v.operation}@${v.apiVersion}`, kind: 'function' }],
            ...(where ? { message: { text: `spec node ${where.pointer}` } } : {}),
          },
        ],
        partialFingerprints: { 'azconformSignature/v1': createHash('sha256').update(key).digest('hex').slice(0, 32) },
        ...(known ? { suppressions: [{ kind: 'external', status: 'accepted', justification: 'accepted by the azconform baseline' }] } : {}),
        properties: {
          count: vs.length,
          operation: v.operation,
          apiVersion: v.apiVersion,
          check: v.check,
          ...(v.rule ? { rule: v.rule } : {}),
          where: sig.where,
          seed: v.seed,
          caseId: v.caseId,
          ...(v.path ? { path: v.path } : {}),
          curl: v.curl,
        },
      };
    });
    const doc = {
      $schema: SCHEMA,
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'azconform', version: VERSION, rules: [...rules.values()].map((r) => r.meta) } },
          originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToUri(process.cwd())}/` } },
          invocations: [{ executionSuccessful: t.errors.length === 0, ...(t.errors.length > 0 ? { toolExecutionNotifications: t.errors.map((e) => ({ level: 'error', message: { text: e } })) } : {}) }],
          results,
          properties: { seed: t.seed ?? null, profile: t.profile ?? null, target: t.target?.label ?? null },
        },
      ],
    };
    await mkdir(this.dir, { recursive: true });
    await writeFile(path.join(this.dir, 'azconform.sarif'), `${JSON.stringify(doc, null, 2)}\n`);
  }
}

const pathToUri = (p: string): string => `file://${p.split(path.sep).join('/').replace(/^([^/])/, '/$1')}`;
