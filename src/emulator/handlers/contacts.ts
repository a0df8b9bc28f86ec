/** Key Vault SetCertificateContacts: the vault's contact list, replaced by every PUT and echoed as sent. */
import { json } from '../errors.js';
import type { Contact } from '../state.js';
import type { Obj } from '../types.js';
import { handler } from './handler.js';

const FIELDS = ['email', 'name', 'phone'] as const;

/** A contact as the service models it: its three fields, in the order sent, nothing else. */
const contactOf = (c: unknown): Contact => {
  const o = (c ?? {}) as Obj;
  return Object.fromEntries(FIELDS.filter((k) => typeof o[k] === 'string').map((k) => [k, o[k]])) as Contact;
};

export const contacts = handler<true>({
  service: 'keyvault-certificates',
  locate: () => ({ found: true }),
  apply(_found, body, { state, ctx, behaviour }) {
    const sent = (body as { contacts?: unknown[] }).contacts;
    const previous = state.contacts;
    // The append-contacts fault inserts the sent rows beside the stored ones, as a table-backed store without a delete does.
    state.contacts = behaviour.quirk('append-contacts') && sent ? [...(previous ?? []), ...sent.map(contactOf)] : sent?.map(contactOf);
    // The contacts-by-email fault keeps them in a map keyed by address: a second contact with the same one replaces the first.
    if (behaviour.quirk('contacts-by-email') && state.contacts) state.contacts = [...new Map(state.contacts.map((c) => [c.email?.toLowerCase(), c])).values()];
    const answered = behaviour.quirk('answer-previous-contacts') ? previous : state.contacts;
    return json(200, { id: `${ctx.vaultUrl}/certificates/contacts`, ...(answered ? { contacts: answered } : {}) });
  },
});
