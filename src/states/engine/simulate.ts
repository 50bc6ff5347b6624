import type { Json } from '../asl/json.js';
import type { Machine } from '../asl/types.js';
import { Engine } from './index.js';
import type { ExecState } from './state.js';
import type { Activation, ExecutionInfo, ExecutionStatus, HistoryEvent, ScheduleTask } from './types.js';

/** How a simulated task ends: an output, a failure, or never (its timeout decides). */
export type TaskOutcome = { output: Json } | { error?: string | undefined; cause?: string | undefined } | 'never';

export interface SimulateOptions {
  input: Json;
  seed?: string;
  startMs?: number;
  info?: Partial<ExecutionInfo>;
  /** Answers each scheduled task; called in the order tasks were scheduled. */
  respond?: (task: ScheduleTask) => TaskOutcome;
  budget?: number;
  /** Gives up after this many activations (a machine that loops forever). */
  maxActivations?: number;
}

export interface SimulateResult {
  status: ExecutionStatus;
  output?: Json | undefined;
  error?: string | undefined;
  cause?: string | undefined;
  events: HistoryEvent[];
  activations: Activation[];
  state: ExecState;
  /** Virtual time the run took, in ms (waits and retries advance it instantly). */
  elapsedMs: number;
}

/**
 * Runs an execution to its end in memory on virtual time: timers fire at once in
 * deadline order and tasks are answered by `respond`. The corpus tests, the replay
 * tests and the benchmark's baseline use it; no clock, no I/O.
 */
export async function simulate(machine: Machine, opts: SimulateOptions): Promise<SimulateResult> {
  const engine = new Engine(machine, opts.budget);
  const start = opts.startMs ?? Date.UTC(2026, 0, 1);
  const info: ExecutionInfo = {
    executionArn: 'arn:aws:states:us-east-1:000000000000:execution:sim:run', name: 'run',
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:sim', stateMachineName: 'sim', roleArn: 'arn:aws:iam::000000000000:role/sim',
    startTime: start, ...opts.info,
  };
  const st = engine.newState(info);
  const activations: Activation[] = [];
  const events: HistoryEvent[] = [];
  const timers = new Map<string, number>();
  const tasks = new Map<string, ScheduleTask>();
  const silent = new Set<string>();
  let now = start;
  let more = false;
  const apply = async (act: Activation): Promise<void> => {
    activations.push(act);
    const r = await engine.apply(st, act);
    events.push(...r.events);
    for (const c of r.commands) {
      if (c.kind === 'scheduleTask') tasks.set(c.key, c);
      else if (c.kind === 'cancelTask') tasks.delete(c.key);
      else if (c.kind === 'startTimer') timers.set(c.key, c.dueMs);
      else if (c.kind === 'cancelTimer') timers.delete(c.key);
      else if (c.kind === 'continue') more = true;
    }
  };
  await apply({ type: 'start', at: now, input: opts.input, seed: opts.seed ?? 'seed' });
  const limit = opts.maxActivations ?? 100_000;
  while (st.status === 'RUNNING' && activations.length < limit) {
    const next = nextActivation(now, more, tasks, silent, timers, opts.respond);
    if (!next) break;
    if (next.type === 'continue') more = false;
    now = next.at;
    await apply(next);
  }
  return {
    status: st.status,
    output: st.output === undefined ? undefined : (JSON.parse(st.output) as Json),
    error: st.error,
    cause: st.cause,
    events,
    activations,
    state: st,
    elapsedMs: now - start,
  };
}

function nextActivation(
  now: number,
  more: boolean,
  tasks: Map<string, ScheduleTask>,
  silent: Set<string>,
  timers: Map<string, number>,
  respond: SimulateOptions['respond'],
): Activation | undefined {
  if (more) return { type: 'continue', at: now };
  for (const [key, task] of tasks) {
    if (silent.has(key)) continue;
    const outcome = respond ? respond(task) : { error: 'States.TaskFailed', cause: `no task responder for ${task.resource}` };
    if (outcome === 'never') {
      silent.add(key);
      continue;
    }
    tasks.delete(key);
    if ('output' in outcome) return { type: 'taskSucceeded', at: now, key, output: outcome.output };
    return { type: 'taskFailed', at: now, key, error: outcome.error, cause: outcome.cause };
  }
  let first: [string, number] | undefined;
  for (const t of timers) if (!first || t[1] < first[1]) first = t;
  if (!first) return undefined;
  timers.delete(first[0]);
  return { type: 'timer', at: Math.max(now, first[1]), key: first[0] };
}
