/** An access policy's identity: the service keeps one entry per (tenantId, objectId, applicationId), compared case-insensitively. */
export const identityKey = (e: { readonly tenantId: unknown; readonly objectId: unknown; readonly applicationId?: unknown }): string =>
  [e.tenantId, e.objectId, e.applicationId ?? ''].map((x) => String(x)).join('|').toLowerCase();
