/**
 * One request, start to finish, as an ordered table of stages. Each stage either answers (a Reply) or lets the
 * request through, having learnt something about it. The order is Azure's: who you are, what you call (and at which
 * api-version), whether the URL is valid, whether the resource exists, whether the body is valid, whether the
 * precondition holds, whether the body keeps the service's rules — and only then the write.
 */
import { SEED_VERSIONS, type Operation } from '../model/registry.js';
import type { RuleContext } from '../rules/types.js';
import { anyToken, type TokenCheck } from './auth.js';
import { BAD_API_VERSION, INVALID, NO_ROUTE, PLANE_SERVICE, UNREADABLE_BODY, error, latest } from './errors.js';
import { compareApiVersions } from '../model/api-version.js';
import { behaviourFor, CLEAN } from './behaviour.js';
import { HANDLERS } from './handlers/index.js';
import { serveHousekeeping } from './housekeeping.js';
import type { Handler, HandlerEnv } from './handlers/handler.js';
import type { EmulatorRouter, Resolution } from './routing.js';
import type { EmulatorState } from './state.js';
import type { Behaviour, Fault, IncomingRequest, Issue, OperationId, Reply, RequestCtx } from './types.js';
import { bodyIssues, canonicalPathParams, paramIssues, ruleIssues } from './validate.js';

export type { IncomingRequest } from './types.js';

/** The request as the stages fill it in. */
interface Work {
  ctx: RequestCtx;
  readonly bodyText: string;
  behaviour: Behaviour;
  resolution?: Resolution;
  handler?: Handler<unknown>;
  found?: unknown;
  body?: unknown;
}

type Stage = (w: Work, p: Pipeline) => Reply | undefined;

/** The operation a stage after api-version may rely on. */
const op = (w: Work): Operation => w.ctx.operation as Operation;
const env = (w: Work, p: Pipeline): HandlerEnv => ({ state: p.state, behaviour: w.behaviour, ctx: w.ctx as HandlerEnv['ctx'] });
const refuse = (w: Work, issues: readonly Issue[]): Reply | undefined => {
  const left = issues.filter((i) => !w.behaviour.tolerate(i));
  return left.length > 0 ? INVALID[w.handler?.service ?? PLANE_SERVICE[w.ctx.plane]](left) : undefined;
};

const STAGES: readonly (readonly [string, Stage])[] = [
  [
    'route',
    (w, p) => {
      const r = p.router.resolve(w.ctx.method, w.ctx.url);
      w.resolution = r;
      if (r.kind === 'operation') {
        w.behaviour = p.behaviour(r.operationId);
        w.handler = HANDLERS[r.operationId];
        w.ctx = { ...w.ctx, operationId: r.operationId, pathParams: r.pathParams, ...(r.operation ? { operation: r.operation } : {}) };
      }
      return undefined;
    },
  ],
  ['auth', (w, p) => (w.behaviour.skips('auth') ? undefined : p.tokens(w.ctx.plane, w.ctx.headers.authorization))],
  ['no-route', (w) => (w.resolution?.kind === 'no-route' ? NO_ROUTE[w.ctx.plane](w.ctx.method, w.ctx.url.pathname, w.resolution.allowed) : undefined)],
  [
    'api-version',
    (w) => {
      const r = w.resolution;
      if (r?.kind !== 'operation' || w.ctx.operation) return undefined;
      const versions = [...r.versions.keys()];
      if (w.behaviour.skips('api-version')) {
        // Served as if the operation's seed api-version had been sent.
        w.ctx = { ...w.ctx, operation: (r.versions.get(SEED_VERSIONS[r.operationId] ?? '') ?? r.versions.values().next().value) as Operation };
        return undefined;
      }
      const given = w.ctx.url.searchParams.get('api-version') || undefined;
      // The future-api-version fault serves a version later than all it knows as its newest (forward compatibility).
      const newest = latest(versions);
      if (given !== undefined && w.behaviour.quirk('future-api-version') && /^\d/.test(given) && compareApiVersions(given, newest) > 0) {
        w.ctx = { ...w.ctx, operation: r.versions.get(newest) as Operation };
        return undefined;
      }
      return BAD_API_VERSION[w.ctx.plane](given, versions);
    },
  ],
  [
    'params',
    (w) => {
      w.ctx = { ...w.ctx, pathParams: canonicalPathParams(op(w), w.ctx.pathParams) };
      return refuse(w, paramIssues(op(w), { path: w.ctx.pathParams, query: Object.fromEntries(w.ctx.url.searchParams), header: w.ctx.headers }));
    },
  ],
  [
    'locate',
    (w, p) => {
      const located = w.handler?.locate(env(w, p));
      if (!located) return error(500, 'InternalServerError', `no handler for ${w.ctx.operationId}`);
      if ('reply' in located) return located.reply;
      w.found = located.found;
      return undefined;
    },
  ],
  [
    'body',
    (w, p) => {
      const service = w.handler?.service ?? PLANE_SERVICE[w.ctx.plane];
      if (w.bodyText.trim() !== '') {
        try {
          w.body = JSON.parse(w.bodyText) as unknown;
        } catch (err) {
          return UNREADABLE_BODY[service](`the body is not JSON (${(err as Error).message})`);
        }
      }
      if (w.body === undefined && op(w).model.requestBody?.required) {
        if (!w.behaviour.skips('body-required')) return UNREADABLE_BODY[service]('the request body is required');
        w.body = {};
      }
      if (w.handler?.normalise) w.body = w.handler.normalise(w.body, env(w, p));
      w.ctx = { ...w.ctx, body: w.body };
      return refuse(w, [...bodyIssues(op(w), w.body), ...(w.handler?.issues?.(w.body, env(w, p)) ?? [])]);
    },
  ],
  ['precondition', (w, p) => w.handler?.precondition?.(w.found, env(w, p))],
  [
    'rules',
    (w, p) => {
      const rc: RuleContext = { operation: op(w), fixtures: p.state.fixtures, ...(w.handler?.ruleFacts?.(w.found) ?? {}) };
      return refuse(w, ruleIssues(w.body, w.ctx.pathParams, rc));
    },
  ],
  ['fault', (w) => w.behaviour.before(w.ctx)],
  ['apply', (w, p) => w.handler?.apply(w.found, w.body, env(w, p))],
];

export class Pipeline {
  private readonly behaviours = new Map<OperationId, Behaviour>();

  constructor(
    readonly router: EmulatorRouter,
    readonly state: EmulatorState,
    private readonly faults: readonly Fault[],
    /** Who may call (src/emulator/auth.ts): any bearer token, or one for the request's plane. */
    readonly tokens: TokenCheck = anyToken,
  ) {}

  behaviour(id: OperationId): Behaviour {
    let b = this.behaviours.get(id);
    if (!b) {
      b = behaviourFor(this.faults, id);
      this.behaviours.set(id, b);
    }
    return b;
  }

  handle(req: IncomingRequest): Reply {
    // Reads and deletes that snapshot and restore need (src/emulator/housekeeping.ts), before the four operations.
    const housekeeping = serveHousekeeping(req, this.state, this.tokens);
    if (housekeeping) return housekeeping;
    const plane = /^\/subscriptions(\/|$)/i.test(req.url.pathname) ? 'arm' : 'data';
    const w: Work = {
      ctx: { method: req.method.toUpperCase(), url: req.url, headers: req.headers, plane, vaultUrl: `http://${req.headers.host ?? '127.0.0.1'}`, pathParams: {} },
      bodyText: req.bodyText,
      behaviour: CLEAN,
    };
    for (const [, stage] of STAGES) {
      const reply = stage(w, this);
      if (reply) return w.behaviour.after(reply, w.ctx);
    }
    return w.behaviour.after(error(500, 'InternalServerError', 'the request was not answered'), w.ctx);
  }
}
