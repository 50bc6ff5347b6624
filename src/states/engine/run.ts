import { StatesErrors, StatesFailure } from '../asl/errors.js';
import type { IntrinsicScope } from '../asl/intrinsics.js';
import type { Json, JsonObject } from '../asl/json.js';
import type { ExprScope } from '../asl/jsonata.js';
import { seededRandom, type Random } from '../asl/random.js';
import type { Machine, MapState, ParallelState, StateNode, TaskState, WaitState } from '../asl/types.js';
import { inState, stateEvent, type ContextExtra, type StatesVars, type StepContext } from './context.js';
import { childFailed, childSucceeded, runMap, runParallel } from './fan.js';
import { moveTo, recover } from './recovery.js';
import { finishWait, runChoice, runFail, runPass, runSucceed, runWait } from './simple.js';
import type { ExecState, Frame } from './state.js';
import { pendingTask, runTask, taskFailed, taskHeartbeat, taskStarted, taskSucceeded, taskTimedOut } from './task.js';
import type { Activation, Command, ExecutionStatus, HistoryEvent } from './types.js';

/** The largest state input or output AWS accepts: 256 KiB. */
export const PAYLOAD_LIMIT = 256 * 1024;
const EXEC_TIMEOUT = 'exec:timeout';
/** Failures whose cause AWS prefixes with the state and its Entered event. */
const IN_STATE = new Set<string>([StatesErrors.Runtime, StatesErrors.ResultPathMatchFailure, StatesErrors.QueryEvaluationError]);

/**
 * One activation applied to one execution: the step mutates the state, records events
 * and collects commands. It runs ready frames until none is left or the transition
 * budget is spent (then it asks to be continued), so one busy execution cannot starve
 * the others and a cyclic machine never spins inside one step.
 */
export class Step implements StepContext {
  readonly events: HistoryEvent[] = [];
  readonly commands: Command[] = [];
  private transitions = 0;

  constructor(
    readonly st: ExecState,
    readonly machine: Machine,
    readonly at: number,
    private readonly budget: number,
  ) {}

  async apply(act: Activation): Promise<void> {
    if (this.st.status !== 'RUNNING') return;
    try {
      await this.dispatch(act);
      await this.drive();
    } catch (err) {
      if (this.st.status !== 'RUNNING') throw err;
      this.endExecution('FAILED', { error: StatesErrors.Runtime, cause: `Internal error in the skiff engine: ${(err as Error).message}` });
    }
  }

  private async dispatch(act: Activation): Promise<void> {
    switch (act.type) {
      case 'start':
        return this.start(act.input, act.seed);
      case 'timer':
        return this.onTimer(act.key);
      case 'stop':
        return this.endExecution('ABORTED', { error: act.error, cause: act.cause });
      case 'continue':
        return;
      default:
        return this.onTask(act);
    }
  }

  private start(input: Json, seed: string): void {
    const { st } = this;
    st.seed = seed;
    st.input = input;
    const version = /:stateMachine:[^:]+:\d+$/.test(st.info.stateMachineArn) ? st.info.stateMachineArn : undefined;
    this.emit(undefined, 'ExecutionStarted', 'executionStartedEventDetails', {
      input: JSON.stringify(input), inputDetails: { truncated: false }, roleArn: st.info.roleArn, stateMachineVersionArn: version,
    });
    const root: Frame = {
      id: String(st.nextFrame++), graph: '', state: this.machine.root.startAt, input, entered: 0, enteredAt: this.at,
      last: st.lastId, attempts: [], retryCount: 0, vars: {},
    };
    st.frames.set(root.id, root);
    if (this.machine.timeoutSeconds) this.startTimer(root, EXEC_TIMEOUT, this.at + this.machine.timeoutSeconds * 1000);
    this.ready(root);
  }

  private async drive(): Promise<void> {
    const { st } = this;
    while (st.ready.length > 0 && st.status === 'RUNNING') {
      if (++this.transitions > this.budget) {
        this.command({ kind: 'continue' });
        return;
      }
      const f = st.frames.get(st.ready.shift() as string);
      if (f) await this.enter(f);
    }
  }

  private async enter(f: Frame): Promise<void> {
    const node = this.node(f);
    f.entered = this.emit(f, stateEvent(node, 'Entered'), 'stateEnteredEventDetails', {
      name: node.name, input: JSON.stringify(f.input), inputDetails: { truncated: false },
    });
    f.enteredAt = this.at;
    f.attempts = [];
    f.retryCount = 0;
    f.rng = undefined;
    await this.runState(f, node);
  }

  private async runState(f: Frame, node: StateNode): Promise<void> {
    await this.guard(f, node, () => {
      switch (node.type) {
        case 'Pass': return runPass(this, f, node);
        case 'Task': return runTask(this, f, node);
        case 'Choice': return runChoice(this, f, node);
        case 'Wait': return runWait(this, f, node);
        case 'Succeed': return runSucceed(this, f, node);
        case 'Fail': return runFail(this, f, node);
        case 'Parallel': return runParallel(this, f, node);
        case 'Map': return runMap(this, f, node);
      }
    });
  }

  /** Runs `fn`; a StatesFailure is the state's failure (Retry/Catch for the states that have them). */
  private async guard(f: Frame, node: StateNode, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (!(err instanceof StatesFailure)) throw err;
      const cause = IN_STATE.has(err.error) ? inState(f, err.cause) : err.cause;
      if (!this.st.frames.has(f.id)) return;
      await this.recover(f, node, err.error, cause);
    }
  }

  private async onTimer(key: string): Promise<void> {
    const { st } = this;
    st.timers.delete(key);
    if (key === EXEC_TIMEOUT) return this.endExecution('TIMED_OUT', { error: StatesErrors.Timeout, cause: 'The execution ran longer than its TimeoutSeconds.' });
    const f = st.frames.get(st.waits.get(key) ?? '');
    if (!f) return;
    const node = this.node(f);
    if (key.startsWith('wait:') || key.startsWith('retry:')) {
      st.waits.delete(key);
      f.pending = undefined;
      if (key.startsWith('wait:')) return this.guard(f, node, () => finishWait(this, f, node as WaitState));
      return this.runState(f, node);
    }
    const heartbeat = key.endsWith(':heartbeat');
    const p = pendingTask(f, key.slice(0, key.lastIndexOf(':')));
    st.waits.delete(key);
    if (p) await this.guard(f, node, () => taskTimedOut(this, f, node as TaskState, p, heartbeat));
  }

  private async onTask(act: Extract<Activation, { key: string }>): Promise<void> {
    const f = this.st.frames.get(this.st.waits.get(act.key) ?? '');
    const p = f ? pendingTask(f, act.key) : undefined;
    if (!f || !p) return;
    const node = this.node(f) as TaskState;
    switch (act.type) {
      case 'taskStarted':
        return taskStarted(this, f, p, act.worker, act.submitted);
      case 'heartbeat':
        return taskHeartbeat(this, f, p);
      case 'taskSucceeded':
        return this.guard(f, node, () => taskSucceeded(this, f, node, p, act.output));
      case 'taskFailed':
        return this.guard(f, node, () => taskFailed(this, f, node, p, act.error, act.cause));
    }
  }

  // ---- StepContext ----

  emit(f: Frame | undefined, type: string, detailsKey?: string, details?: Record<string, unknown>): number {
    const id = ++this.st.lastId;
    this.events.push({ id, previousEventId: f?.last ?? id - 1, timestamp: this.at, type, detailsKey, details });
    if (f) f.last = id;
    return id;
  }

  command(c: Command): void {
    this.commands.push(c);
  }

  node(f: Frame): StateNode {
    const node = this.machine.graphs.get(f.graph)?.states.get(f.state);
    if (!node) throw new Error(`no state '${f.state}' in block '${f.graph}'`);
    return node;
  }

  /** The state's seeded randomness (one sequence per entered event and retry). */
  rng(f: Frame): Random {
    f.rng ??= seededRandom(`${this.st.seed}/${f.entered}/${f.retryCount}`);
    return f.rng;
  }

  contextObject(f: Frame, extra?: ContextExtra): JsonObject {
    const { info } = this.st;
    const ctx: JsonObject = {
      Execution: {
        Id: info.executionArn, Input: this.st.input, Name: info.name, RoleArn: info.roleArn,
        StartTime: new Date(info.startTime).toISOString(), RedriveCount: 0,
      },
      State: { EnteredTime: new Date(f.enteredAt).toISOString(), Name: f.state, RetryCount: f.retryCount },
      StateMachine: { Id: info.stateMachineArn, Name: info.stateMachineName },
    };
    if (extra?.token !== undefined) ctx['Task'] = { Token: extra.token };
    if (extra?.item) ctx['Map'] = { Item: { Index: extra.item.index, Value: extra.item.value } };
    return ctx;
  }

  pathScope(f: Frame, input: Json, extra?: ContextExtra): IntrinsicScope {
    return new FramePathScope(this, f, input, extra);
  }

  exprScope(f: Frame, vars: StatesVars, extra?: ContextExtra): ExprScope {
    const states: JsonObject = { input: vars.input, context: this.contextObject(f, extra) };
    if (vars.result !== undefined) states['result'] = vars.result;
    if (vars.errorOutput !== undefined) states['errorOutput'] = vars.errorOutput;
    return { states, variables: (n) => f.vars[n], variableNames: () => Object.keys(f.vars), nowMs: this.at, random: () => this.rng(f) };
  }

  async exit(f: Frame, node: StateNode, output: Json): Promise<void> {
    const text = JSON.stringify(output);
    if (text.length > PAYLOAD_LIMIT) {
      throw new StatesFailure(StatesErrors.DataLimitExceeded, `The state/task '${node.name}' returned a result with a size exceeding the maximum number of characters service limit.`);
    }
    this.emit(f, stateEvent(node, 'Exited'), 'stateExitedEventDetails', { name: node.name, output: text, outputDetails: { truncated: false } });
    if (node.next !== undefined) moveTo(this, f, node.next, output);
    else await this.endFrame(f, output, text);
  }

  private async endFrame(f: Frame, output: Json, text: string): Promise<void> {
    this.st.frames.delete(f.id);
    if (!f.parent) return this.endExecution('SUCCEEDED', { output: text }, f);
    const parent = this.st.frames.get(f.parent.frame);
    if (parent?.fan) await childSucceeded(this, parent, this.node(parent) as MapState | ParallelState, f.parent.index, f.id, output);
  }

  async failFrame(f: Frame, error: string | undefined, cause: string | undefined): Promise<void> {
    this.abort(f.id);
    if (!f.parent) return this.endExecution('FAILED', { error, cause }, f);
    const parent = this.st.frames.get(f.parent.frame);
    if (parent?.fan) await childFailed(this, parent, this.node(parent) as MapState | ParallelState, f.parent.index, f.id, error, cause);
  }

  recover(f: Frame, node: StateNode, error: string | undefined, cause: string | undefined): Promise<void> {
    return recover(this, f, node, error, cause);
  }

  private endExecution(status: Exclude<ExecutionStatus, 'RUNNING'>, r: { output?: string; error?: string | undefined; cause?: string | undefined }, f?: Frame): void {
    const { st } = this;
    for (const id of [...st.frames.keys()]) this.abort(id);
    for (const key of [...st.timers]) this.unpark(key);
    st.status = status;
    st.output = r.output;
    st.error = r.error;
    st.cause = r.cause;
    st.ready = [];
    const type = { SUCCEEDED: 'ExecutionSucceeded', FAILED: 'ExecutionFailed', TIMED_OUT: 'ExecutionTimedOut', ABORTED: 'ExecutionAborted' }[status];
    const details = status === 'SUCCEEDED' ? { output: r.output, outputDetails: { truncated: false } } : { error: r.error, cause: r.cause };
    this.emit(f, type, `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`, details);
    this.command({ kind: 'complete', status, output: r.output, error: r.error, cause: r.cause });
  }

  ready(f: Frame): void {
    this.st.ready.push(f.id);
  }

  spawn(parent: Frame, graph: string, index: number, input: Json, item?: { index: number; value: Json }): Frame {
    const startAt = this.machine.graphs.get(graph)?.startAt ?? '';
    const f: Frame = {
      id: String(this.st.nextFrame++), graph, parent: { frame: parent.id, index }, state: startAt, input, entered: 0,
      enteredAt: this.at, last: parent.last, attempts: [], retryCount: 0, vars: { ...parent.vars }, item,
    };
    this.st.frames.set(f.id, f);
    this.ready(f);
    return f;
  }

  abort(frameId: string): void {
    const f = this.st.frames.get(frameId);
    if (!f) return;
    if (f.fan) for (const child of f.fan.running) this.abort(child);
    const p = f.pending;
    if (p?.kind === 'task') {
      this.command({ kind: 'cancelTask', key: p.key, reason: 'aborted' });
      for (const k of [p.key, `${p.key}:timeout`, `${p.key}:heartbeat`]) this.unpark(k);
    } else if (p?.kind === 'wait' || p?.kind === 'retry') this.unpark(p.key);
    this.st.frames.delete(frameId);
    if (this.st.ready.includes(frameId)) this.st.ready = this.st.ready.filter((id) => id !== frameId);
  }

  park(f: Frame, key: string): void {
    this.st.waits.set(key, f.id);
  }

  unpark(key: string): void {
    this.st.waits.delete(key);
    if (this.st.timers.delete(key)) this.command({ kind: 'cancelTimer', key });
  }

  startTimer(f: Frame, key: string, dueMs: number): void {
    this.st.waits.set(key, f.id);
    this.st.timers.add(key);
    this.command({ kind: 'startTimer', key, dueMs });
  }
}

/** A path's or intrinsic's view of a frame; a class so that evaluating a state allocates no closures. */
class FramePathScope implements IntrinsicScope {
  constructor(
    private readonly step: Step,
    private readonly f: Frame,
    readonly input: Json,
    private readonly extra: ContextExtra | undefined,
  ) {}

  context(): Json {
    return this.step.contextObject(this.f, this.extra);
  }

  variable(name: string): Json | undefined {
    return this.f.vars[name];
  }

  random(): Random {
    return this.step.rng(this.f);
  }
}
