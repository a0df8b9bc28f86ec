import type { PropertyContext, PropertyDef, SequenceDef } from '../types.js';
import { accessPolicySequence } from './access-policy.js';
import { apimSequence } from './apim.js';
import { certificateSequence } from './certificate.js';
import { erase } from './step.js';

/** The model of each operation's resource, where the four operations let a sequence be observed. */
const SEQUENCES: { readonly [operationId: string]: (ctx: PropertyContext) => SequenceDef<object> | undefined } = {
  UpdateCertificate: (ctx) => {
    const d = certificateSequence(ctx);
    return d && erase(d);
  },
  Certificate_CreateOrUpdate: (ctx) => {
    const d = apimSequence(ctx);
    return d && erase(d);
  },
  Vaults_UpdateAccessPolicy: (ctx) => {
    const d = accessPolicySequence(ctx);
    return d && erase(d);
  },
};

/**
 * Model-based sequences (fc.commands) of the operation's resource. None for contacts: a PUT replaces the whole
 * list and answers it, so one write already shows everything a sequence could.
 */
export const stateful: PropertyDef = { name: 'stateful', sequence: (ctx) => SEQUENCES[ctx.operation.id]?.(ctx) };
