import { diffFacts } from './changes.js';
import { operationFacts, type Json } from './facts.js';
import { DiffInputError } from './load.js';
import type { DiffResult } from './render.js';

export { DiffInputError, loadFile, loadVersion, versionsOf } from './load.js';
export type { DiffResult } from './render.js';

/** The diff of one operation between two documents. */
export function diffOperation(operation: string, from: { label: string; doc: Json }, to: { label: string; doc: Json }): DiffResult {
  const a = operationFacts(from.doc, operation);
  const b = operationFacts(to.doc, operation);
  if (!a) throw new DiffInputError(`${from.label} has no operation ${operation}`);
  if (!b) throw new DiffInputError(`${to.label} has no operation ${operation}`);
  const changes = diffFacts(a, b);
  return {
    operation,
    from: from.label,
    to: to.label,
    changes,
    breaking: { clients: changes.filter((c) => c.clients === 'breaking').length, services: changes.filter((c) => c.services === 'breaking').length },
  };
}
