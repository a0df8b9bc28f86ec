import type { OperationRef } from '../events/types.js';
import { loadOperations } from '../model/registry.js';
import { documentedStatuses } from './statuses.js';

let index: Map<string, string[]> | undefined;

/** The statuses an operation's spec documents (from generated/, read once). */
export function documentedFor(op: OperationRef): string[] {
  index ??= new Map(loadOperations().map((o) => [`${o.id}@${o.apiVersion}`, documentedStatuses(o.model.responses)]));
  return index.get(`${op.id}@${op.apiVersion}`) ?? [];
}
