import type { SequenceDef, Step, StepInput } from '../types.js';

/** A sequence over a concrete model, stored where the engine expects any model (the engine never reads it). */
export const erase = <M extends object>(def: SequenceDef<M>): SequenceDef<object> => def as unknown as SequenceDef<object>;

/** A step every sequence case shares: kind `sequence`, expected to succeed unless the step says otherwise. */
export function step<M>(label: string, parts: { applies?: (m: M) => boolean; input: (m: M) => Omit<StepInput, 'kind' | 'expect' | 'label'> & Partial<Pick<StepInput, 'expect'>>; next: Step<M>['next'] }): Step<M> {
  return {
    label,
    applies: parts.applies ?? (() => true),
    input: (m) => ({ kind: 'sequence', expect: 'accept', label, ...parts.input(m) }),
    next: parts.next,
  };
}

export { isSuccess } from '../../http/status.js';
