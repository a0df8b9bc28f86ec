/**
 * Every check, in one place, by id. A new check is a new file plus one line here; the engine and the reports
 * find checks only through this table.
 */
import { apiVersionRequired } from './api-version-required.js';
import { authRequired } from './auth-required.js';
import { errorEnvelope } from './error-envelope.js';
import { negativeRejected } from './negative-rejected.js';
import { notFound } from './not-found.js';
import { operationServed } from './operation-served.js';
import { positiveAccepted } from './positive-accepted.js';
import { requestSchema } from './request-schema.js';
import { responseContentType } from './response-content-type.js';
import { responseHeaders } from './response-headers.js';
import { responseAgrees, responseRules } from './response-rules.js';
import { responseSchema } from './response-schema.js';
import { responseState } from './response-state.js';
import { serverError } from './server-error.js';
import { statusDocumented } from './status-documented.js';
import { transport } from './transport.js';
import type { Check } from './types.js';

export const CHECKS: readonly Check[] = [
  transport,
  statusDocumented,
  responseSchema,
  responseContentType,
  responseHeaders,
  responseRules,
  responseAgrees,
  responseState,
  errorEnvelope,
  serverError,
  positiveAccepted,
  negativeRejected,
  authRequired,
  apiVersionRequired,
  notFound,
  requestSchema,
  operationServed,
];

export const CHECKS_BY_ID: ReadonlyMap<string, Check> = new Map(CHECKS.map((c) => [c.id, c]));
