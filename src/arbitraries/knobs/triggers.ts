/**
 * Knobs of UpdateCertificate (body CertificateUpdateParameters): the lifetime action trigger. lifetime_percentage
 * is bounded by the schema; days_before_expiry by rule days-before-expiry-range (1 .. validity_months × 27, the
 * validity sent in the same policy); a trigger names exactly one kind (rule trigger-one-kind).
 */
import type { Tagged } from '../../cases/tagged.js';
import type { Path } from '../pointer.js';
import type { Schemas } from '../schema.js';
import { findPath, full, minimal, nodeAt, placeAt, ref, rule, schemaBreak, tagged, type KnobFixtures } from './common.js';

export const CERTIFICATE_UPDATE_BODY = 'CertificateUpdateParameters';
export const DAYS_RANGE = 'keyvault.updateCertificate.days-before-expiry-range';
export const ONE_KIND = 'keyvault.updateCertificate.trigger-one-kind';
export const RSA_KEY_SIZE = 'keyvault.updateCertificate.rsa-key-size';
/** Rule rsa-key-size (either): the sizes Key Vault's description gives as an example for RSA keys. */
export const RSA_KEY_SIZES = [2048, 3072, 4096] as const;
/** Rule days-before-expiry-range: at most validity_months × 27 days. */
export const DAYS_PER_MONTH = 27;
/** Key Vault's default certificate validity, used when the fixtures name none. */
export const DEFAULT_VALIDITY_MONTHS = 12;

const PERCENTAGE = 'lifetime_percentage';
const DAYS = 'days_before_expiry';
const VALIDITY = 'validity_months';

interface Layout {
  readonly policy: Path;
  /** From the policy to the trigger (…/lifetime_actions/0/trigger). */
  readonly trigger: Path;
  /** From the policy to X509 properties. */
  readonly x509: Path;
}

function layout(schemas: Schemas): Layout | undefined {
  const policy = findPath(schemas, CERTIFICATE_UPDATE_BODY, 'CertificatePolicy');
  const trigger = findPath(schemas, 'CertificatePolicy', 'Trigger');
  const x509 = findPath(schemas, 'CertificatePolicy', 'X509CertificateProperties');
  return policy && trigger && x509 ? { policy, trigger, x509 } : undefined;
}

/** lifetime_percentage 0/1/99/100, days_before_expiry 0/1/V×27/V×27+1, both kinds, neither kind. */
export function triggerKnobs(schemas: Schemas, fixtures: KnobFixtures = {}): Tagged<unknown>[] {
  const lay = schemas[CERTIFICATE_UPDATE_BODY] && schemas.Trigger ? layout(schemas) : undefined;
  if (!lay) return [];
  const root = ref(CERTIFICATE_UPDATE_BODY);
  const months = fixtures.validityMonths ?? DEFAULT_VALIDITY_MONTHS;
  const triggerPath: Path = [...lay.policy, ...lay.trigger];
  const actionPath: Path = [...triggerPath.slice(0, -1), 'action'];
  const hasAction = nodeAt(root, schemas, actionPath) !== undefined && schemas.Action !== undefined;

  /** A policy with one lifetime action around this trigger, and validity_months set in the same policy. */
  const make = (trigger: Record<string, number>): unknown => {
    let body = minimal(schemas, CERTIFICATE_UPDATE_BODY);
    body = placeAt(root, schemas, body, triggerPath, trigger);
    if (hasAction) body = placeAt(root, schemas, body, actionPath, full(schemas, 'Action'));
    return placeAt(root, schemas, body, [...lay.policy, ...lay.x509, VALIDITY], months);
  };
  const at = (field: string): Path => [...triggerPath, field];
  const out: Tagged<unknown>[] = [];

  const pct = nodeAt(root, schemas, at(PERCENTAGE));
  if (pct?.minimum !== undefined) {
    const lo = pct.minimum;
    out.push(tagged(make({ [PERCENTAGE]: lo - 1 }), 'reject', `${PERCENTAGE}=${lo - 1}`, schemaBreak('minimum', at(PERCENTAGE), `${lo - 1} (minimum ${lo})`)));
    out.push(tagged(make({ [PERCENTAGE]: lo }), 'accept', `${PERCENTAGE}=${lo}`, schemaBreak('minimum', at(PERCENTAGE), `${lo} (minimum ${lo})`)));
  }
  if (pct?.maximum !== undefined) {
    const hi = pct.maximum;
    out.push(tagged(make({ [PERCENTAGE]: hi }), 'accept', `${PERCENTAGE}=${hi}`, schemaBreak('maximum', at(PERCENTAGE), `${hi} (maximum ${hi})`)));
    out.push(tagged(make({ [PERCENTAGE]: hi + 1 }), 'reject', `${PERCENTAGE}=${hi + 1}`, schemaBreak('maximum', at(PERCENTAGE), `${hi + 1} (maximum ${hi})`)));
  }

  const most = months * DAYS_PER_MONTH;
  const days: readonly [number, 'accept' | 'reject'][] = [
    [0, 'reject'],
    [1, 'accept'],
    [most, 'accept'],
    [most + 1, 'reject'],
  ];
  for (const [d, expect] of days) {
    const detail = `${d} days with ${VALIDITY}=${months} (1 to ${most} allowed)`;
    out.push(tagged(make({ [DAYS]: d }), expect, `${DAYS}=${d} (${VALIDITY}=${months})`, rule(DAYS_RANGE, at(DAYS), detail)));
  }

  const mid = Math.min(Math.max(80, pct?.minimum ?? 1), pct?.maximum ?? 99);
  const both = { [PERCENTAGE]: mid, [DAYS]: Math.min(30, most) };
  // Either answer (rule trigger-one-kind): no source says a service refuses them.
  out.push(tagged(make(both), 'either', 'trigger with both kinds', rule(ONE_KIND, triggerPath, `${PERCENTAGE} and ${DAYS} together`)));
  out.push(tagged(make({}), 'either', 'trigger with neither kind', rule(ONE_KIND, triggerPath, `neither ${PERCENTAGE} nor ${DAYS}`)));
  return out;
}

/**
 * key_props of an RSA policy: each size the description names (accept), and 1024 and 8192 (either, rule
 * rsa-key-size: the sizes are an example, not a rule, and UpdateCertificate may not read the policy).
 */
export function keySizeKnobs(schemas: Schemas): Tagged<unknown>[] {
  const policy = schemas[CERTIFICATE_UPDATE_BODY] ? findPath(schemas, CERTIFICATE_UPDATE_BODY, 'CertificatePolicy') : undefined;
  const keyProps = findPath(schemas, 'CertificatePolicy', 'KeyProperties');
  if (!policy || !keyProps) return [];
  const root = ref(CERTIFICATE_UPDATE_BODY);
  const where: Path = [...policy, ...keyProps, 'key_size'];
  const make = (size: number): unknown => placeAt(root, schemas, minimal(schemas, CERTIFICATE_UPDATE_BODY), [...policy, ...keyProps], { kty: 'RSA', key_size: size });
  return [
    ...RSA_KEY_SIZES.map((n) => tagged(make(n), 'accept', `RSA key_size=${n}`, rule(RSA_KEY_SIZE, where, `${n} is a documented RSA size`))),
    ...[1024, 8192].map((n) => tagged(make(n), 'either', `RSA key_size=${n}`, rule(RSA_KEY_SIZE, where, `${n} is not one of the example sizes ${RSA_KEY_SIZES.join(', ')}`))),
  ];
}
