/**
 * Knobs of SetCertificateContacts (body Contacts): how many contacts, and contacts with long or non-ASCII
 * names and e-mail addresses. Field names come from the Contact schema (email vs email_address differ by
 * version in Azure's history).
 */
import type { Tagged } from '../../cases/tagged.js';
import type { Path } from '../pointer.js';
import { normalize, propertySchema, type Node, type Schemas } from '../schema.js';
import { codePoints } from '../strings.js';
import { findPath, minimal, nodeAt, placeAt, ref, schemaBreak, schemaCount, tagged } from './common.js';

export const CONTACTS_BODY = 'Contacts';
/** "Many": more than anyone types by hand, few enough to read in a report. */
export const MANY_CONTACTS = 10;
/** Long: past common 64/128/255 column limits, within what Key Vault documents no limit for. */
const LONG = 300;

interface Person {
  readonly name: string;
  readonly email: string;
  readonly phone: string;
}

const PEOPLE: readonly Person[] = [
  { name: 'Jane Doe', email: 'jane.doe@contoso.com', phone: '+1 425 555 0100' },
  { name: 'John Smith', email: 'john.smith@contoso.com', phone: '+1 425 555 0101' },
  { name: 'Ana Silva', email: 'ana.silva@fabrikam.com', phone: '+351 21 555 0102' },
];

const NON_ASCII: readonly Person[] = [
  { name: 'Zoë Ångström-Øster', email: 'zoë.ångström@exämple.com', phone: '+46 8 555 010 03' },
  { name: '山田 太郎', email: '山田@例え.jp', phone: '+81 3-5555-0104' },
  { name: 'Łukasz Żółć 😀', email: 'łukasz@żółć.pl', phone: '+48 22 555 01 05' },
  { name: 'Анна Петрова', email: 'анна@пример.рф', phone: '+7 495 555-01-06' },
];

interface Fields {
  readonly email?: string;
  readonly name?: string;
  readonly phone?: string;
  readonly nodes: { readonly [field: string]: Node };
}

function fields(schemas: Schemas): Fields {
  const contact = normalize(ref('Contact'), schemas);
  const names = Object.keys(contact.properties);
  const nodes: { [field: string]: Node } = {};
  for (const n of names) {
    const raw = propertySchema(contact, n);
    if (raw) nodes[n] = normalize(raw, schemas);
  }
  const find = (re: RegExp): string | undefined => names.find((n) => re.test(n) && !nodes[n]?.readOnly);
  const out: { email?: string; name?: string; phone?: string; nodes: typeof nodes } = { nodes };
  const email = find(/mail/i);
  const name = find(/^name$/i) ?? find(/name/i);
  const phone = find(/phone/i);
  if (email) out.email = email;
  if (name) out.name = name;
  if (phone) out.phone = phone;
  return out;
}

/** Clip to the field's maxLength (none in Azure's specs) so "long" stays valid where the schema bounds it. */
function clip(node: Node | undefined, s: string): string {
  return node?.maxLength !== undefined && codePoints(s) > node.maxLength ? [...s].slice(0, node.maxLength).join('') : s;
}

/** 0, 1 and many contacts; long names and e-mails; non-ASCII names and e-mails. */
export function contactKnobs(schemas: Schemas): Tagged<unknown>[] {
  const item = schemas[CONTACTS_BODY] && schemas.Contact ? findPath(schemas, CONTACTS_BODY, 'Contact') : undefined;
  if (!item || item[item.length - 1] !== 0) return [];
  const list: Path = item.slice(0, -1);
  const root = ref(CONTACTS_BODY);
  const f = fields(schemas);
  const listNode = nodeAt(root, schemas, list);

  const contact = (p: Person): unknown => {
    const c: Record<string, unknown> = { ...(minimal(schemas, 'Contact') as object) };
    if (f.name) c[f.name] = clip(f.nodes[f.name], p.name);
    if (f.email) c[f.email] = clip(f.nodes[f.email], p.email);
    if (f.phone) c[f.phone] = clip(f.nodes[f.phone], p.phone);
    return c;
  };
  const make = (people: readonly Person[]): unknown => placeAt(root, schemas, minimal(schemas, CONTACTS_BODY), list, people.map(contact));
  // What the spec allows but does not show a service taking (no contact, a 300-character name, an
  // internationalised address) is either answer; a refusal the schema demands stays a refusal.
  const count = (people: readonly Person[], label: string, unshown = false): Tagged<unknown> => {
    const bySchema = schemaCount(listNode, people.length, list);
    return tagged(make(people), bySchema ? 'reject' : unshown ? 'either' : 'accept', label, bySchema);
  };

  const many = Array.from({ length: Math.min(MANY_CONTACTS, listNode?.maxItems ?? MANY_CONTACTS) }, (_, i): Person => {
    const p = PEOPLE[i % PEOPLE.length] as Person;
    const [user, domain] = p.email.split('@');
    return { name: `${p.name} ${i + 1}`, email: `${user}${i + 1}@${domain}`, phone: p.phone };
  });
  const longName = 'Maximilian Alexander von Hohenzollern-Sigmaringen '.repeat(8).slice(0, LONG).trim();
  const longEmail = `${'first.middle.last'.repeat(4).slice(0, 64)}@${'department.'.repeat(16)}contoso.com`.slice(0, 254);
  const long: Person = { name: longName, email: longEmail, phone: '+1 425 555 0199 ext. 123456789' };

  // Two people who share an address (a team mailbox): the real service took two contacts with the same email
  // (REAL-CLIENTS.md), and the list has no uniqueItems.
  const [first = PEOPLE[0] as Person, second = PEOPLE[1] as Person] = PEOPLE;
  const shared: readonly Person[] = [first, { ...second, email: first.email }];
  const out = [
    count([], 'contacts: none', true),
    count(PEOPLE.slice(0, 1), 'contacts: one'),
    count(many, `contacts: ${many.length}`),
    count(shared, 'contacts: two with the same e-mail'),
    count([long], `contacts: long name (${codePoints(long.name)}) and e-mail (${codePoints(long.email)})`, true),
  ];
  // E-mail fields without a format take any string; with format: email, AJV rejects non-ASCII addresses while
  // an internationalised-mail-aware server may take them.
  const emailFormat = f.email ? f.nodes[f.email]?.format : undefined;
  for (const p of NON_ASCII) {
    const label = `contacts: non-ASCII ${p.name}`;
    if (emailFormat === 'email' && f.email) {
      out.push(tagged(make([p]), 'either', label, schemaBreak('format', [...list, 0, f.email], 'a non-ASCII address fails format email')));
    } else out.push(count([p], label, true));
  }
  return out;
}
