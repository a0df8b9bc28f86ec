/**
 * Rules carry the api-versions they apply to: a rule applies to an operation at a version when that version's
 * document carries it (an `x-azconform-rules` entry reachable from the operation, as the generator collects them in
 * `model.rules`). An overlay that removes a rule (7.0 has no recoverableDays, so no recoverable-days rule) thereby
 * takes it out of every check, the emulator's refusals and the generated cases at that version.
 */
import type { OperationModel } from '../model/spec-model.js';

const CARRIED = new WeakMap<OperationModel, ReadonlySet<string>>();

/** Whether the operation's document, at its api-version, carries the rule. */
export function carries(model: OperationModel, ruleId: string): boolean {
  let ids = CARRIED.get(model);
  if (!ids) CARRIED.set(model, (ids = new Set(model.rules.map((r) => r.id))));
  return ids.has(ruleId);
}
