/**
 * A violation's stable signature: what it is, not which run found it. Operation, check, rule and the case's shape
 * (kind, property, label with array indices and numbers of generated values folded), never the api-version, seed,
 * case id or the values fast-check drew, so two runs (before and after an upgrade, or at two api-versions) match.
 */
export interface SignedViolation {
  readonly operation: string;
  readonly apiVersion: string;
  readonly check: string;
  readonly rule?: string;
  readonly kind: string;
  readonly property: string;
  readonly label?: string;
  readonly message: string;
}

/** Array indices (`/2/`) and bare numbers carry the drawn value, not the defect. */
export function caseShape(v: Pick<SignedViolation, 'kind' | 'property' | 'label'>): string {
  const label = (v.label ?? '').replace(/\/\d+(?=\/|\s|$)/g, '/*').replace(/-?\d+(\.\d+)?/g, 'N');
  return `${v.kind}:${v.property}:${label}`;
}

export function signature(v: SignedViolation): string {
  return [v.operation, v.check, v.rule ?? '', caseShape(v)].join(' | ');
}
