/** The faults in force for one operation's requests, folded into one Behaviour (CLEAN when there are none). */
import type { Behaviour, Fault, OperationId } from './types.js';

export const CLEAN: Behaviour = {
  tolerate: () => false,
  skips: () => false,
  quirk: () => false,
  before: () => undefined,
  after: (reply) => reply,
};

export function behaviourFor(faults: readonly Fault[], id: OperationId): Behaviour {
  const mine = faults.filter((f) => f.operation === id);
  if (mine.length === 0) return CLEAN;
  return {
    tolerate: (issue) => mine.some((f) => f.tolerate?.(issue) ?? false),
    skips: (stage) => mine.some((f) => f.skip?.includes(stage) ?? false),
    quirk: (q) => mine.some((f) => f.quirk === q),
    before: (ctx) => mine.reduce<ReturnType<Behaviour['before']>>((r, f) => r ?? f.before?.(ctx), undefined),
    after: (reply, ctx) => mine.reduce((r, f) => (f.after ? f.after(r, ctx) : r), reply),
  };
}
