import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { REALISTIC } from '../realistic.js';
import type { PropertyContext, SequenceDef, Step } from '../types.js';
import { isSuccess, step } from './step.js';
import { bareEtag as bare } from '../../http/etag.js';

/** One API Management certificate, new for each run: whether it exists and every ETag it has had. */
interface ApimModel {
  readonly id: string;
  exists: boolean;
  etags: string[];
  /** The body of the last successful write, as JSON. */
  lastBody?: string;
}

const IF_MATCH_RULE = 'apimanagement.certificateCreateOrUpdate.if-match';
const current = (m: ApimModel): string | undefined => m.etags[m.etags.length - 1];
/** An ETag no certificate has had: as stale as an old one ("does not match the current ETag"), there after one write. */
const NEVER_ISSUED = '"azconform-never-issued"';
/** ETags the certificate had before its current one, and one it never had: each must be refused with 412. */
const stale = (m: ApimModel): string[] => (m.exists ? [...m.etags.filter((t) => bare(t) !== bare(current(m) ?? '')), NEVER_ISSUED] : []);

const remember = (m: ApimModel, status: number | undefined, etag: string | undefined): void => {
  if (!isSuccess(status)) return;
  m.exists = true;
  if (etag !== undefined) m.etags.push(etag);
};

type Kind = 'none' | 'current' | 'star' | 'stale';

const write = (kind: Kind, body: unknown, pick: number): Step<ApimModel> =>
  step<ApimModel>(kind === 'none' ? 'PUT' : `PUT with If-Match ${kind === 'star' ? '*' : kind === 'current' ? 'current ETag' : 'stale ETag'}`, {
    applies: (m) => (kind === 'none' ? true : kind === 'stale' ? stale(m).length > 0 : m.exists && current(m) !== undefined),
    input: (m) => {
      const candidates = stale(m);
      const ifMatch = kind === 'star' ? '*' : kind === 'current' ? current(m) : kind === 'stale' ? candidates[pick % Math.max(1, candidates.length)] : undefined;
      return {
        value: { pathParams: { certificateId: m.id }, body, ...(ifMatch !== undefined ? { headers: { 'if-match': ifMatch } } : {}) },
        state: { kind: 'apim', existed: m.exists, etags: [...m.etags], ifMatch: kind, sameBody: m.lastBody === JSON.stringify(body) },
        // response.state demands exactly 412 for it; a plain 4xx check beside it would only say the same twice.
        ...(kind === 'stale' ? { expect: 'either' as const, breaks: { kind: 'rule' as const, id: IF_MATCH_RULE, path: '/headers/if-match', detail: `stale ETag ${ifMatch ?? ''}` } } : {}),
        // An update without If-Match: the spec calls it "required when updating an entity", today's service takes
        // the write. Either answer; a success is still a 200 with a new ETag (response.state).
        ...(kind === 'none' && m.exists ? { expect: 'either' as const } : {}),
      };
    },
    next: (m, ex) => {
      if (isSuccess(ex.response?.status)) m.lastBody = JSON.stringify(body);
      remember(m, ex.response?.status, ex.response?.headers.etag);
    },
  });

/**
 * create → update → stale If-Match → `*`, in any order the model allows: 201 for the first write and 200 after,
 * a new ETag on every write, a stale If-Match refused with 412, `*` and the current ETag accepted.
 */
export function apimSequence(ctx: PropertyContext): SequenceDef<ApimModel> | undefined {
  const realistic = REALISTIC[ctx.operation.id]?.(ctx);
  if (!realistic) return undefined;
  const body = realistic.map((r) => r.body);
  return {
    // A fresh id per run: the first write must create it (201), whatever earlier runs left behind.
    init: () => ({ id: `azconform-seq-${randomBytes(6).toString('hex')}`, exists: false, etags: [] }),
    prologue: [],
    steps: (['none', 'none', 'current', 'star', 'stale'] as const).map((kind) => fc.tuple(body, fc.nat()).map(([b, pick]) => write(kind, b, pick))),
    maxSteps: 6,
  };
}
