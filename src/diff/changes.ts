/**
 * What changed between two versions of one operation, each change classified twice: for clients (code written for
 * version A, talking to a service of version B) and for services and emulators (a service written for A, held to
 * B's contract). The classification is a table (CLASSIFY), not branching code: a new optional request member breaks
 * an emulator that refuses or ignores unknown members, never a client.
 */
import { BOUNDS, type Fact, type Side } from './facts.js';

export type ChangeKind =
  | 'member-added' | 'member-removed' | 'required-added' | 'required-removed' | 'type-changed'
  | 'enum-value-added' | 'enum-value-removed' | 'enum-opened' | 'enum-closed'
  | 'bound-tightened' | 'bound-loosened' | 'pattern-changed' | 'format-changed'
  | 'readonly-added' | 'readonly-removed' | 'status-added' | 'status-removed' | 'rule-added' | 'rule-removed';

export type Verdict = 'breaking' | 'compatible';

export interface Change {
  readonly side: Side;
  readonly location: string;
  readonly kind: ChangeKind;
  readonly detail: string;
  readonly clients: Verdict;
  readonly services: Verdict;
  /** The enum values added or removed (enum changes only). */
  readonly values?: readonly string[];
}

type Sides = 'in' | 'out' | 'status' | 'rule';
const B = 'breaking' as const;
const C = 'compatible' as const;

/**
 * [clients, services] per kind and direction of data. `in`: what clients send (request members, parameters);
 * `out`: what services answer (response members, headers). A member added to a request is optional unless
 * required-added says otherwise (each change is its own row). For services, anything B demands that an A service
 * cannot know (a new value to accept, a new member to apply, a rule relaxed or added) is breaking.
 */
const CLASSIFY: { readonly [k in ChangeKind]: { readonly [s in Sides]?: readonly [Verdict, Verdict] } } = {
  'member-added': { in: [C, B], out: [C, C] },
  'member-removed': { in: [B, C], out: [B, C] },
  'required-added': { in: [B, B], out: [C, B] },
  'required-removed': { in: [C, B], out: [B, C] },
  'type-changed': { in: [B, B], out: [B, B] },
  'enum-value-added': { in: [C, B], out: [B, C] },
  'enum-value-removed': { in: [B, B], out: [C, B] },
  'enum-opened': { in: [C, B], out: [B, C] },
  'enum-closed': { in: [B, B], out: [C, B] },
  'bound-loosened': { in: [C, B], out: [B, C] },
  'bound-tightened': { in: [B, B], out: [C, B] },
  'pattern-changed': { in: [B, B], out: [B, B] },
  'format-changed': { in: [B, B], out: [B, B] },
  'readonly-added': { in: [B, B], out: [C, C] },
  'readonly-removed': { in: [C, B], out: [C, C] },
  'status-added': { status: [B, C] },
  'status-removed': { status: [C, B] },
  'rule-added': { rule: [B, B] },
  'rule-removed': { rule: [C, B] },
};

const direction = (f: Fact): Sides => (f.side === 'request' || f.side === 'parameter' ? 'in' : f.side === 'response' || f.side === 'header' ? 'out' : f.side);

function change(f: Fact, kind: ChangeKind, detail: string): Change {
  const [listed, services] = CLASSIFY[kind][direction(f)] ?? [B, B];
  // Clients must already tolerate values outside an open (modelAsString) enum in answers.
  const clients = kind === 'enum-value-added' && f.openEnum === true && direction(f) === 'out' ? C : listed;
  return { side: f.side, location: f.location, kind, detail, clients, services };
}

const key = (f: Fact): string => `${f.side} ${f.location}`;

/**
 * A member under a member that was itself added or removed is part of that change, not one of its own; so are the
 * body and headers of a status added or removed.
 */
function underOneOf(f: Fact, roots: readonly Fact[]): boolean {
  return roots.some(
    (r) =>
      r !== f &&
      (r.side === f.side
        ? f.location.startsWith(r.location.endsWith('/') ? r.location : `${r.location}/`)
        : r.side === 'status' && (f.side === 'response' || f.side === 'header') && f.location.startsWith(`${r.location} `)),
  );
}

function compareFact(a: Fact, b: Fact): Change[] {
  const out: Change[] = [];
  if (a.side === 'rule') return out;
  if ((a.required ?? false) !== (b.required ?? false)) out.push(change(b, b.required ? 'required-added' : 'required-removed', b.required ? 'now required' : 'no longer required'));
  if (a.type !== b.type && a.type !== undefined && b.type !== undefined) out.push(change(b, 'type-changed', `type ${a.type} → ${b.type}`));
  if (a.enum && b.enum) {
    const added = b.enum.filter((v) => !a.enum?.includes(v));
    const removed = a.enum.filter((v) => !b.enum?.includes(v));
    if (added.length > 0) out.push({ ...change(b, 'enum-value-added', `enum ${b.openEnum ? '(open) ' : ''}+ ${added.join(', ')}`), values: added });
    if (removed.length > 0) out.push({ ...change(b, 'enum-value-removed', `enum ${b.openEnum ? '(open) ' : ''}− ${removed.join(', ')}`), values: removed });
    if (a.openEnum !== b.openEnum) out.push(change(b, b.openEnum ? 'enum-opened' : 'enum-closed', b.openEnum ? 'enum now open (modelAsString)' : 'enum now closed'));
  } else if (a.enum && !b.enum) out.push(change(b, 'enum-opened', `enum ${a.enum.join('|')} removed`));
  else if (!a.enum && b.enum) out.push(change(b, 'enum-closed', `enum ${b.enum.join('|')} added`));
  for (const [kw, looser] of Object.entries(BOUNDS)) {
    const x = a.bounds[kw];
    const y = b.bounds[kw];
    if (x === y) continue;
    const loosened = y === undefined || (x !== undefined && (looser === 'up' ? y > x : y < x));
    out.push(change(b, loosened ? 'bound-loosened' : 'bound-tightened', `${kw} ${x ?? '—'} → ${y ?? '—'}`));
  }
  if (a.pattern !== b.pattern) out.push(change(b, 'pattern-changed', `pattern ${a.pattern ?? '—'} → ${b.pattern ?? '—'}`));
  if (a.format !== b.format) out.push(change(b, 'format-changed', `format ${a.format ?? '—'} → ${b.format ?? '—'}`));
  if ((a.readOnly ?? false) !== (b.readOnly ?? false)) out.push(change(b, b.readOnly ? 'readonly-added' : 'readonly-removed', b.readOnly ? 'now readOnly' : 'no longer readOnly'));
  return out;
}

/** Every change from A's facts to B's, in B's document order (removed ones where A had them). */
export function diffFacts(a: readonly Fact[], b: readonly Fact[]): Change[] {
  const byA = new Map(a.map((f) => [key(f), f]));
  const byB = new Map(b.map((f) => [key(f), f]));
  const added = b.filter((f) => !byA.has(key(f)));
  const removed = a.filter((f) => !byB.has(key(f)));
  const out: Change[] = [];
  const addKind = (f: Fact): ChangeKind => (f.side === 'status' ? 'status-added' : f.side === 'rule' ? 'rule-added' : 'member-added');
  const removeKind = (f: Fact): ChangeKind => (f.side === 'status' ? 'status-removed' : f.side === 'rule' ? 'rule-removed' : 'member-removed');
  // An error status added or removed where the other version declares `default` was already covered by it.
  const hasDefault = (facts: ReadonlyMap<string, Fact>): boolean => facts.has('status default');
  const covered = (f: Fact, other: ReadonlyMap<string, Fact>): boolean => f.side === 'status' && /^[45]/.test(f.location) && hasDefault(other);
  const coveredChange = (f: Fact, kind: ChangeKind): Change => ({ side: f.side, location: f.location, kind, detail: 'an error status the other version covers with default', clients: C, services: C });
  for (const f of b) {
    const old = byA.get(key(f));
    if (!old && covered(f, byA)) {
      out.push(coveredChange(f, 'status-added'));
      continue;
    }
    if (old) out.push(...compareFact(old, f));
    else if (!underOneOf(f, added)) {
      out.push(change(f, addKind(f), f.side === 'rule' ? (f.says ?? '') : f.required ? 'added (required)' : 'added'));
      if (f.required && f.side !== 'status' && f.side !== 'rule') out.push(change(f, 'required-added', 'a new required member'));
    }
  }
  for (const f of removed) {
    if (underOneOf(f, removed)) continue;
    out.push(covered(f, byB) ? coveredChange(f, 'status-removed') : change(f, removeKind(f), f.side === 'rule' ? (f.says ?? '') : 'removed'));
  }
  return out;
}
