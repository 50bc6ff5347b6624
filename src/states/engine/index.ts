import type { Machine } from '../asl/types.js';
import { Step } from './run.js';
import { newState, type ExecState } from './state.js';
import type { Activation, Command, ExecutionInfo, HistoryEvent, StepResult } from './types.js';

export type { Activation, Command, ExecutionInfo, ExecutionStatus, HistoryEvent, ScheduleTask, StepResult, TaskPattern } from './types.js';
export type { ExecState } from './state.js';
export { resourceKind, taskToken, type ResourceKind } from './task.js';
export { PAYLOAD_LIMIT } from './run.js';

/** State transitions one activation may run before the step asks to be continued. */
export const DEFAULT_BUDGET = 500;

/**
 * The ASL engine: `(execution state, activation) → (events, commands)`, deterministic.
 * Replaying the same activations on a fresh state reproduces the same events, commands
 * and state, which is how the runtime recovers an execution after a restart.
 */
export class Engine {
  constructor(
    readonly machine: Machine,
    private readonly budget = DEFAULT_BUDGET,
  ) {}

  newState(info: ExecutionInfo): ExecState {
    return newState(info);
  }

  async apply(st: ExecState, act: Activation): Promise<StepResult> {
    const step = new Step(st, this.machine, act.at, this.budget);
    await step.apply(act);
    return { events: step.events, commands: step.commands };
  }

  /** Applies every activation in order to a fresh state. */
  async replay(info: ExecutionInfo, activations: readonly Activation[]): Promise<{ state: ExecState; events: HistoryEvent[]; commands: Command[] }> {
    const state = newState(info);
    const events: HistoryEvent[] = [];
    const commands: Command[] = [];
    for (const act of activations) {
      const r = await this.apply(state, act);
      events.push(...r.events);
      commands.push(...r.commands);
    }
    return { state, events, commands };
  }
}
