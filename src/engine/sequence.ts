import fc from 'fast-check';
import type { CheckOutcome } from '../checks/run.js';
import type { Exchange } from '../http/exchange.js';
import type { SequenceDef, Step, StepInput } from '../properties/types.js';

/** Sends one step (as a case) and judges it; the engine owns cases, checks, tallies and events. */
export type SendStep = (input: StepInput) => Promise<{ ex: Exchange; outcomes: CheckOutcome[] }>;

/** A step whose answer failed a check: thrown so fast-check records the sequence as a counterexample. */
export class StepFailed extends Error {
  constructor(readonly ex: Exchange, readonly outcomes: CheckOutcome[]) {
    super(`step ${ex.case.label ?? ex.case.id} failed ${outcomes.filter((o) => o.status === 'failed').map((o) => o.check).join(', ')}`);
  }
}

/** What one run of a sequence did: its exchanges in order (the failing one last when it failed). */
export interface Trail {
  readonly exchanges: Exchange[];
}

/** fast-check's command interface over the data-only Step: check = applies, run = send, judge, advance. */
class StepCommand<M extends object> implements fc.AsyncCommand<M, Trail> {
  constructor(
    private readonly step: Step<M>,
    private readonly send: SendStep,
  ) {}
  check(m: Readonly<M>): boolean {
    return this.step.applies(m as M);
  }
  async run(m: M, trail: Trail): Promise<void> {
    await runStep(this.step, m, trail, this.send);
  }
  toString(): string {
    return this.step.label;
  }
}

async function runStep<M extends object>(step: Step<M>, m: M, trail: Trail, send: SendStep): Promise<void> {
  const { ex, outcomes } = await send(step.input(m));
  trail.exchanges.push(ex);
  if (outcomes.some((o) => o.status === 'failed')) throw new StepFailed(ex, outcomes);
  step.next(m, ex);
}

/**
 * The property of a model-based sequence: each run starts a fresh model, sends the prologue (which reads the
 * target's current state into the model), then the generated steps; a failing step fails the run, and fast-check
 * shrinks the sequence to the shortest one that still fails. `onRun` sees every run's trail (for reports).
 */
export function sequenceProperty<M extends object>(
  def: SequenceDef<M>,
  send: SendStep,
  onRun: (trail: Trail, failure: StepFailed | undefined) => void,
): fc.IAsyncPropertyWithHooks<[Iterable<fc.AsyncCommand<M, Trail>>]> {
  const commands = fc.commands(
    def.steps.map((arb) => arb.map((step) => new StepCommand(step, send))),
    { maxCommands: def.maxSteps },
  );
  return fc.asyncProperty(commands, async (cmds) => {
    const model = def.init();
    const trail: Trail = { exchanges: [] };
    try {
      for (const step of def.prologue) await runStep(step, model, trail, send);
      await fc.asyncModelRun(() => ({ model, real: trail }), cmds);
    } catch (err) {
      if (!(err instanceof StepFailed)) throw err;
      onRun(trail, err);
      return false;
    }
    onRun(trail, undefined);
    return true;
  });
}
