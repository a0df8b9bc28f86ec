/**
 * Knobs of Vaults_UpdateAccessPolicy (body VaultAccessPolicyParameters): the permission lists and the number
 * of policies per request. Permission names come from the schema's enums, so each api-version probes its own
 * lists ('all' and the rotation permissions exist only in later versions).
 */
import type { Tagged } from '../../cases/tagged.js';
import { LATER_PERMISSIONS } from '../../rules/request-rules.js';
import type { Path } from '../pointer.js';
import { normalize, propertySchema, type Schemas } from '../schema.js';
import {
  PLACEHOLDER_TENANT,
  findPath,
  minimal,
  nodeAt,
  placeAt,
  ref,
  rule,
  schemaBreak,
  schemaCount,
  stableUuids,
  tagged,
  type KnobFixtures,
} from './common.js';

export const ACCESS_POLICY_BODY = 'VaultAccessPolicyParameters';
export const PERMISSION_KNOWN = 'keyvault.updateAccessPolicy.permission-known';
export const POLICY_COUNT = 'keyvault.updateAccessPolicy.policy-count';
export const SAME_TENANT = 'keyvault.updateAccessPolicy.same-tenant';
export const UNIQUE_IDENTITY = 'keyvault.updateAccessPolicy.unique-identity';
/** A tenant that is no vault's tenant in the fixtures (a foreign directory). */
const FOREIGN_TENANT = 'f0f0f0f0-0000-4000-8000-0000000f0f0f';
/** Rule keyvault.updateAccessPolicy.policy-count: "accessPolicies holds 0 to 16 entries per request". */
export const MAX_POLICIES = 16;

/** Names that are no permission of any list in any api-version, or not of this one ('all' before 2021-10-01). */
const UNKNOWN_CANDIDATES = ['frobnicate', 'all'];

interface PermissionList {
  readonly name: string;
  readonly values: readonly string[];
  readonly uniqueItems: boolean;
}

/** The permission lists (keys, secrets, certificates, storage, …) and their names, from the Permissions schema. */
export function permissionLists(schemas: Schemas): PermissionList[] {
  if (!schemas.Permissions) return [];
  const perms = normalize(ref('Permissions'), schemas);
  return Object.keys(perms.properties).flatMap((name) => {
    const raw = propertySchema(perms, name);
    const list = raw ? normalize(raw, schemas) : undefined;
    const items = list?.items[0] ? normalize(list.items.length === 1 ? list.items[0] : { allOf: list.items }, schemas) : undefined;
    const values = (items?.enum ?? []).filter((v): v is string => typeof v === 'string');
    return values.length > 0 ? [{ name, values, uniqueItems: list?.uniqueItems ?? false }] : [];
  });
}

interface Layout {
  /** Path to the accessPolicies array. */
  readonly policies: Path;
  /** Path from an entry to its Permissions object. */
  readonly permissions: Path;
}

function layout(schemas: Schemas): Layout | undefined {
  const entry = findPath(schemas, ACCESS_POLICY_BODY, 'AccessPolicyEntry');
  const permissions = findPath(schemas, 'AccessPolicyEntry', 'Permissions');
  if (!entry || !permissions || entry[entry.length - 1] !== 0) return undefined;
  return { policies: entry.slice(0, -1), permissions };
}

/** One access policy entry of the vault's tenant, with a distinct object id per index. */
function entry(schemas: Schemas, fixtures: KnobFixtures, index: number, permissions: unknown, objectIds: readonly string[], lay: Layout): unknown {
  const base = minimal(schemas, 'AccessPolicyEntry');
  const withIds = { ...(base as object), tenantId: fixtures.tenantId ?? PLACEHOLDER_TENANT, objectId: objectIds[index] };
  return placeAt(ref('AccessPolicyEntry'), schemas, withIds, lay.permissions, permissions);
}

function objectIdsFor(fixtures: KnobFixtures, n: number): string[] {
  const given = fixtures.objectIds ?? [];
  return [...given.slice(0, n), ...stableUuids(Math.max(n - given.length, 0), 1).filter((u) => !given.includes(u))];
}

/** A body holding these entries. */
function body(schemas: Schemas, lay: Layout, entries: readonly unknown[]): unknown {
  return placeAt(ref(ACCESS_POLICY_BODY), schemas, minimal(schemas, ACCESS_POLICY_BODY), lay.policies, entries);
}

/** Some permission every version documents: `get` where the list has it. */
function defaultPermissions(lists: readonly PermissionList[]): Record<string, string[]> {
  const [first] = lists;
  if (!first) return {};
  return { [first.name]: [first.values.includes('get') ? 'get' : (first.values[0] ?? 'get')] };
}

const capitalised = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Per permission list: empty (accept), every documented name (accept), a duplicate (either), case variants
 * (either: Azure compares case-insensitively, the strict enum does not) and unknown names (reject by rule).
 */
export function permissionKnobs(schemas: Schemas, fixtures: KnobFixtures = {}): Tagged<unknown>[] {
  const lay = schemas[ACCESS_POLICY_BODY] ? layout(schemas) : undefined;
  if (!lay) return [];
  const lists = permissionLists(schemas);
  const ids = objectIdsFor(fixtures, 1);
  const version = fixtures.apiVersion ? ` (api-version ${fixtures.apiVersion})` : '';
  const allNames = new Set(lists.flatMap((l) => l.values));
  const out: Tagged<unknown>[] = [];
  for (const list of lists) {
    const where: Path = [...lay.policies, 0, ...lay.permissions, list.name];
    const make = (names: readonly string[]): unknown => body(schemas, lay, [entry(schemas, fixtures, 0, { [list.name]: names }, ids, lay)]);
    const label = (what: string): string => `permissions.${list.name}: ${what}`;
    out.push(tagged(make([]), 'accept', label('empty'), rule(PERMISSION_KNOWN, where, 'an empty list names nothing unknown')));
    out.push(tagged(make(list.values), 'accept', label(`every value${version}`), rule(PERMISSION_KNOWN, where, `all ${list.values.length} documented names`)));
    const [first = 'get', second = first] = list.values;
    out.push(
      tagged(
        make([first, first]),
        'either',
        label(`duplicate ${first}`),
        list.uniqueItems ? schemaBreak('uniqueItems', where, 'the schema forbids duplicates; Azure may collapse them') : undefined,
      ),
    );
    const variants = [capitalised(first), second.toUpperCase()].filter((v) => !list.values.includes(v));
    if (variants.length > 0) {
      out.push(
        tagged(
          make(variants),
          'either',
          label(`case variants ${variants.join(', ')}`),
          schemaBreak('enum', where, 'the strict enum is case-sensitive; rule permission-known compares case-insensitively'),
        ),
      );
    }
    // Unknown: nonsense, a name of a later api-version, and a name that belongs to another list.
    const unknown = [...UNKNOWN_CANDIDATES, ...[...allNames].filter((n) => !list.values.some((v) => v.toLowerCase() === n.toLowerCase()))];
    const picks = [...new Set(unknown)].filter((n) => !list.values.some((v) => v.toLowerCase() === n.toLowerCase())).slice(0, 3);
    // A name a later api-version documents: either answer (rule permission-known, LATER_PERMISSIONS).
    const later = new Set((LATER_PERMISSIONS[list.name] ?? []).map((n) => n.toLowerCase()));
    for (const name of picks) {
      out.push(
        later.has(name.toLowerCase())
          ? tagged(make([first, name]), 'either', label(`later name ${name}${version}`), schemaBreak('enum', where, `${name} is documented for ${list.name} only by a later api-version (an open enum)`))
          : tagged(make([first, name]), 'reject', label(`unknown name ${name}${version}`), rule(PERMISSION_KNOWN, where, `${name} is a ${list.name} permission of no api-version`)),
      );
    }
  }
  return out;
}

/** Policies per request: 0, 1 and 16 (accept), 17 (reject by rule policy-count), each entry a distinct identity. */
export function policyCountKnobs(schemas: Schemas, fixtures: KnobFixtures = {}): Tagged<unknown>[] {
  const lay = schemas[ACCESS_POLICY_BODY] ? layout(schemas) : undefined;
  if (!lay) return [];
  const permissions = defaultPermissions(permissionLists(schemas));
  const arrayNode = nodeAt(ref(ACCESS_POLICY_BODY), schemas, lay.policies);
  const ids = objectIdsFor(fixtures, MAX_POLICIES + 1);
  return [0, 1, MAX_POLICIES, MAX_POLICIES + 1].map((n) => {
    const entries = Array.from({ length: n }, (_, i) => entry(schemas, fixtures, i, permissions, ids, lay));
    const value = body(schemas, lay, entries);
    // The schema's own bounds (none in Azure's specs) win over the rule.
    const bySchema = schemaCount(arrayNode, n, lay.policies);
    if (bySchema) return tagged(value, 'reject', `${n} access policies`, bySchema);
    const over = n > MAX_POLICIES;
    return tagged(value, over ? 'reject' : 'accept', `${n} access policies`, rule(POLICY_COUNT, lay.policies, `${n} entries (0 to ${MAX_POLICIES} allowed)`));
  });
}

/**
 * Who an entry names: the vault's tenant only (rule same-tenant), and each (tenantId, objectId, applicationId)
 * once per request (rule unique-identity) — the same objectId with another applicationId is another identity.
 */
export function identityKnobs(schemas: Schemas, fixtures: KnobFixtures = {}): Tagged<unknown>[] {
  const lay = schemas[ACCESS_POLICY_BODY] ? layout(schemas) : undefined;
  if (!lay) return [];
  const permissions = defaultPermissions(permissionLists(schemas));
  const ids = objectIdsFor(fixtures, 2);
  const [appA = '', appB = ''] = stableUuids(2, 5);
  const one = (i: number, extra: Record<string, string> = {}): unknown => ({ ...(entry(schemas, fixtures, i, permissions, ids, lay) as object), ...extra });
  const tenant = fixtures.tenantId ?? PLACEHOLDER_TENANT;
  const foreign = FOREIGN_TENANT === tenant.toLowerCase() ? PLACEHOLDER_TENANT : FOREIGN_TENANT;
  const at = (i: number, field: string): Path => [...lay.policies, i, field];
  return [
    tagged(body(schemas, lay, [one(0, { tenantId: foreign })]), 'reject', 'tenantId of another directory', rule(SAME_TENANT, at(0, 'tenantId'), `${foreign} is not the vault's tenant ${tenant}`)),
    tagged(body(schemas, lay, [one(0), one(1, { tenantId: foreign })]), 'reject', 'second entry of another directory', rule(SAME_TENANT, at(1, 'tenantId'), `${foreign} is not the vault's tenant ${tenant}`)),
    tagged(body(schemas, lay, [one(0), one(0)]), 'reject', 'the same identity twice', rule(UNIQUE_IDENTITY, lay.policies, 'entries 0 and 1 name the same (tenantId, objectId)')),
    tagged(body(schemas, lay, [one(0, { applicationId: appA }), one(0, { applicationId: appA })]), 'reject', 'the same compound identity twice', rule(UNIQUE_IDENTITY, lay.policies, 'entries 0 and 1 name the same (tenantId, objectId, applicationId)')),
    // Distinct compound identities keep the rule, but nothing documents that a service stores both: either answer.
    tagged(body(schemas, lay, [one(0, { applicationId: appA }), one(0, { applicationId: appB })]), 'either', 'one objectId with two applicationIds', rule(UNIQUE_IDENTITY, lay.policies, 'two compound identities: distinct applicationIds')),
  ];
}
