import type { Violation, ViolationSignature } from '../events/types.js';

/** Array indices differ from seed to seed; the signature keeps the shape of the path, not the position. */
const shape = (pointer: string): string => pointer.replace(/\/\d+(?=\/|$)/g, '/*');

/**
 * What makes two violations the same finding, across runs and seeds: the operation, api-version, check, rule
 * and where it points — the instance path of the finding, else the constraint the case broke, else the case's
 * shape (its kind and property). Seeds, messages and values are left out on purpose.
 */
export type Signable = Pick<Violation, 'operation' | 'apiVersion' | 'check' | 'rule' | 'kind' | 'property' | 'instancePath' | 'direction' | 'breaks'>;

export function signatureOf(v: Signable): ViolationSignature {
  const where =
    v.instancePath !== undefined
      ? `${v.direction ?? 'response'}:${shape(v.instancePath)}`
      : v.breaks
        ? `breaks:${v.breaks.kind}:${v.breaks.id}@${shape(v.breaks.path)}`
        : `case:${v.kind}/${v.property}`;
  return { operation: v.operation, apiVersion: v.apiVersion, check: v.check, ...(v.rule ? { rule: v.rule } : {}), where };
}

/** One string per signature, for maps and fingerprints. */
export function signatureKey(s: ViolationSignature): string {
  return [s.operation, s.apiVersion, s.check, s.rule ?? '', s.where].join('\u001f');
}

export const violationKey = (v: Violation): string => signatureKey(signatureOf(v));
