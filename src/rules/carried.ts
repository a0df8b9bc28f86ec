/**
 * Rules carry the api-versions they apply to: a rule applies to an operation at a version when that version's
 * document carries it (an `x-azconform-rules` entry reachable from the operation, as the generator collects them in
 * `model.rules`). An overlay that removes a rule (7.0 has no recoverableDays, so no recoverable-days rule) thereby
 * takes it out of every check, the emulator's refusals and the generated cases at that version.
 */
import type { OperationModel } from '../model/spec-model.js';

interface Rule {
  readonly id: string;
  readonly operationId: string;
}

const CARRIED = new WeakMap<readonly Rule[], WeakMap<OperationModel, readonly Rule[]>>();

/** The rules of a table that apply to the operation at its api-version: filtered once per table and version. */
export function carriedRules<R extends Rule>(table: readonly R[], model: OperationModel): readonly R[] {
  let byModel = CARRIED.get(table);
  if (!byModel) CARRIED.set(table, (byModel = new WeakMap()));
  let rules = byModel.get(model) as readonly R[] | undefined;
  if (!rules) {
    const ids = new Set(model.rules.map((r) => r.id));
    byModel.set(model, (rules = table.filter((r) => r.operationId === model.id && ids.has(r.id))));
  }
  return rules;
}
