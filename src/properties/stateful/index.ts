import type { PropertyContext, PropertyDef, SequenceDef } from '../types.js';
import { accessPolicySequence } from './access-policy.js';
import { apimSequence } from './apim.js';
import { certificateSequence } from './certificate.js';
import { erase } from './step.js';

/** A typed sequence factory, stored where the engine expects any model. */
const erased =
  <M extends object>(make: (ctx: PropertyContext) => SequenceDef<M> | undefined) =>
  (ctx: PropertyContext): SequenceDef<object> | undefined => {
    const d = make(ctx);
    return d && erase(d);
  };

/** The model of each operation's resource, where the four operations let a sequence be observed. */
const SEQUENCES: { readonly [operationId: string]: (ctx: PropertyContext) => SequenceDef<object> | undefined } = {
  UpdateCertificate: erased(certificateSequence),
  Certificate_CreateOrUpdate: erased(apimSequence),
  Vaults_UpdateAccessPolicy: erased(accessPolicySequence),
};

/**
 * Model-based sequences (fc.commands) of the operation's resource. None for contacts: a PUT replaces the whole
 * list and answers it, so one write already shows everything a sequence could.
 */
export const stateful: PropertyDef = { name: 'stateful', sequence: (ctx) => SEQUENCES[ctx.operation.id]?.(ctx) };
