import type { Clock, Logger } from '../../core/index.js';
import type { Json } from '../asl/json.js';
import { parseDefinition } from '../asl/parse.js';
import type { Machine } from '../asl/types.js';
import { Engine, type Activation, type Command, type ExecutionInfo } from '../engine/index.js';
import { definitionHash, type ExecutionDoc, type ExecutionRow, type StatesStore } from '../store.js';
import { commitSteps, isPure, type Delivery, type Effects, type Live, type StepRecord } from './commit.js';
import type { ChildExecution } from './contract.js';
import type { TaskDispatcher } from './dispatch.js';
import { ActivityPollers } from './pollers.js';
import { Timers } from './timers.js';

export interface RuntimeDeps {
  store: StatesStore;
  clock: Clock;
  logger: Logger;
  dispatcher: TaskDispatcher;
  /** State transitions per step before the step yields (see Engine). */
  budget?: number;
  /** Most steps of pure transitions committed in one transaction (default GROUP_STEPS). */
  groupSteps?: number;
  /** The longest an EXPRESS execution runs before it times out (default EXPRESS_MAX_SECONDS). */
  expressMaxSeconds?: number;
}

/** AWS's limit on an EXPRESS execution's duration: five minutes. */
export const EXPRESS_MAX_SECONDS = 300;

/**
 * Steps that only ask to be continued (Pass, Choice, Succeed… up to the transition budget)
 * run ahead of the disk, up to this many, and are committed with the step that follows
 * them: about 4,000 transitions (~20 ms of engine time) at most between commits, which
 * is also the most a StartExecution answer waits for a long run of pure states.
 */
export const GROUP_STEPS = 8;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface StartParams {
  arn: string;
  machineArn: string;
  machineName: string;
  name: string;
  input: Json;
  roleArn: string;
  definition: string;
  versionArn?: string | undefined;
  durable: boolean;
  /**
   * Not durable, but run at least once (an asynchronous EXPRESS execution): recorded from
   * its start until it ends, and started again from the beginning after a restart.
   */
  atLeastOnce?: boolean;
  seed: string;
  /** Runs before the first step is committed, in its transaction (e.g. the name check). */
  guard?: () => void;
}

/**
 * Drives executions: each activation is applied by the engine, persisted with its
 * events and command effects in one transaction (with the pure steps that follow it),
 * then the commands are performed (timers armed, tasks dispatched). On start every RUNNING execution is rebuilt by
 * replaying its stored activations, its timers re-armed with their stored deadlines
 * and its open tasks re-attached.
 */
export class Runtime {
  readonly pollers = new ActivityPollers();
  private readonly live = new Map<string, Live>();
  private readonly machines = new Map<string, Machine>();
  private readonly timers: Timers;
  private readonly waiters = new Map<string, (() => void)[]>();
  /** Asynchronous EXPRESS executions live now that have a row to remove when they end. */
  private readonly pending = new Set<string>();
  /** Starts still running their first steps (not yet committed, not yet in `live`). */
  private readonly starting = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(private readonly deps: RuntimeDeps) {
    this.timers = new Timers(deps.clock);
    deps.dispatcher.bind(this);
  }

  get store(): StatesStore {
    return this.deps.store;
  }

  now(): number {
    return this.deps.clock.now().getTime();
  }

  /** An EXPRESS execution times out at AWS's limit, or sooner with its own TimeoutSeconds. */
  private expressLimited(machine: Machine): Machine {
    const limit = this.deps.expressMaxSeconds ?? EXPRESS_MAX_SECONDS;
    return { ...machine, timeoutSeconds: Math.min(machine.timeoutSeconds ?? limit, limit) };
  }

  machineOf(definition: string): Machine {
    const hash = definitionHash(definition);
    let m = this.machines.get(hash);
    if (!m) {
      const parsed = parseDefinition(definition);
      if (!parsed.machine) throw new Error(`stored definition ${hash} no longer parses`);
      m = parsed.machine;
      this.machines.set(hash, m);
    }
    return m;
  }

  private newLive(p: { arn: string; machineArn: string; durable: boolean; doc: ExecutionDoc; info: ExecutionInfo; engine: Engine }): Live & { engine: Engine } {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    return {
      arn: p.arn, machineArn: p.machineArn, durable: p.durable, doc: p.doc, state: p.engine.newState(p.info), seq: 0,
      chain: Promise.resolve(), done, finish, engine: p.engine,
    };
  }

  /** Starts an execution; resolves once its first step is durable (or run, for EXPRESS). */
  async startExecution(p: StartParams): Promise<Live> {
    const at = this.now();
    const machine = this.machineOf(p.definition);
    const engine = new Engine(p.durable ? machine : this.expressLimited(machine), this.deps.budget);
    const doc: ExecutionDoc = { input: JSON.stringify(p.input), roleArn: p.roleArn, definitionHash: definitionHash(p.definition), versionArn: p.versionArn, seed: p.seed };
    const info: ExecutionInfo = { executionArn: p.arn, name: p.name, stateMachineArn: p.versionArn ?? p.machineArn, stateMachineName: p.machineName, roleArn: p.roleArn, startTime: at };
    const live = this.newLive({ arn: p.arn, machineArn: p.machineArn, durable: p.durable, doc, info, engine });
    const act: Activation = { type: 'start', at, input: p.input, seed: p.seed };
    const first: StepRecord = { act, result: await engine.apply(live.state, act) };
    if (!p.durable) {
      p.guard?.();
      if (p.atLeastOnce) {
        // recorded before anything is performed: a restart runs it again
        this.deps.store.transaction(() => {
          this.deps.store.putDefinition(p.definition);
          this.deps.store.putExpressPending({ arn: p.arn, machineArn: p.machineArn, name: p.name, startMs: at, doc });
        });
        this.pending.add(p.arn);
      }
      this.live.set(p.arn, live);
      this.perform(live, first.result.commands);
      return live;
    }
    const { store } = this.deps;
    // invisible to deliveries until committed: nothing was performed that could answer to it
    const committed = this.burst(live, first).then((steps) => {
      commitSteps(store, live, steps, () => {
        p.guard?.();
        store.putDefinition(p.definition);
        store.insertExecution({ arn: p.arn, machineArn: p.machineArn, name: p.name, status: 'RUNNING', startMs: at, doc });
      });
      this.live.set(p.arn, live);
      this.perform(live, lastOf(steps).result.commands);
    });
    this.starting.add(committed);
    await committed.finally(() => this.starting.delete(committed));
    return live;
  }

  /**
   * Runs the steps that follow a pure one (each after a turn of the event loop, so other
   * executions interleave) until a step asks for more than to be continued or the group
   * is full. The caller commits them together and performs the last step's commands.
   */
  private async burst(live: Live & { engine: Engine }, first: StepRecord): Promise<StepRecord[]> {
    const steps = [first];
    const limit = this.deps.groupSteps ?? GROUP_STEPS;
    while (steps.length < limit && !this.stopping && isPure(lastOf(steps).result)) {
      await nextTurn();
      const act: Activation = { type: 'continue', at: this.now() };
      steps.push({ act, result: await live.engine.apply(live.state, act) });
    }
    return steps;
  }

  /**
   * Queues an activation for an execution. Resolves true when the engine acted on it
   * (and it is persisted), false when it was stale (the execution had moved on).
   */
  deliver(arn: string, d: Delivery, effects?: Effects): Promise<boolean> {
    const live = this.live.get(arn) as (Live & { engine: Engine }) | undefined;
    if (!live) return Promise.resolve(false);
    const run = live.chain.then(() => this.process(live, d, effects));
    live.chain = run.catch(() => undefined);
    return run;
  }

  /** A delivery nobody waits for (a timer, a continuation): a failed commit is logged where it fails. */
  private kick(arn: string, d: Delivery): void {
    this.deliver(arn, d).catch(() => undefined);
  }

  private async process(live: Live & { engine: Engine }, d: Delivery, effects?: Effects): Promise<boolean> {
    if (live.state.status !== 'RUNNING') return false;
    const act = { ...d, at: this.now() } as Activation;
    const result = await live.engine.apply(live.state, act);
    if (result.events.length === 0 && result.commands.length === 0) return false;
    if (!live.durable) {
      this.perform(live, result.commands);
      return true;
    }
    const steps = await this.burst(live, { act, result, effects });
    this.commitOrReload(live, steps);
    this.perform(live, lastOf(steps).result.commands);
    return true;
  }

  private commitOrReload(live: Live, steps: StepRecord[]): void {
    try {
      commitSteps(this.deps.store, live, steps);
    } catch (err) {
      // the in-memory state is ahead of the database: forget it and rebuild from what is stored
      this.deps.logger.error('states: could not persist a step; reloading the execution', { execution: live.arn, err });
      this.live.delete(live.arn);
      void this.resume(live.arn).catch((e: unknown) => this.deps.logger.error('states: reload failed', { execution: live.arn, err: e }));
      throw err;
    }
  }

  private perform(live: Live, commands: readonly Command[]): void {
    for (const c of commands) {
      switch (c.kind) {
        case 'startTimer':
          if (!this.stopping) this.timers.arm(live.arn, c.key, c.dueMs, () => this.kick(live.arn, { type: 'timer', key: c.key }));
          break;
        case 'cancelTimer':
          this.timers.disarm(live.arn, c.key);
          break;
        case 'scheduleTask':
          if (!this.stopping) this.deps.dispatcher.schedule(live, c);
          break;
        case 'cancelTask':
          this.deps.dispatcher.cancel(live, c.key, c.reason);
          break;
        case 'continue':
          if (!this.stopping) setImmediate(() => this.kick(live.arn, { type: 'continue' }));
          break;
        case 'complete':
          this.completed(live);
          break;
      }
    }
  }

  private completed(live: Live): void {
    this.live.delete(live.arn);
    if (this.pending.delete(live.arn)) this.deps.store.deleteExpressPending(live.arn);
    live.finish();
    for (const w of this.waiters.get(live.arn) ?? []) w();
    this.waiters.delete(live.arn);
  }

  /** Resolves when the execution is no longer running (at once if it is not live). */
  waitFor(arn: string): Promise<void> {
    if (!this.live.has(arn)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(arn, [...(this.waiters.get(arn) ?? []), resolve]));
  }

  liveExecution(arn: string): Live | undefined {
    return this.live.get(arn);
  }

  // ---- restart ----

  async start(): Promise<void> {
    for (const row of this.deps.store.runningExecutions()) {
      await this.resume(row.arn).catch((err: unknown) => this.deps.logger.error('states: could not resume an execution', { execution: row.arn, err }));
    }
    this.deps.dispatcher.resumeOpenTasks();
    for (const row of this.deps.store.expressPending()) {
      await this.rerun(row).catch((err: unknown) => this.deps.logger.error('states: could not run an EXPRESS execution again', { execution: row.arn, err }));
    }
  }

  /** An asynchronous EXPRESS execution cut off by a restart runs again from its start. */
  private async rerun(row: Omit<ExecutionRow, 'status' | 'stopMs'>): Promise<void> {
    const definition = this.deps.store.getDefinition(row.doc.definitionHash);
    if (definition === undefined) {
      this.deps.store.deleteExpressPending(row.arn);
      throw new Error(`definition ${row.doc.definitionHash} is gone`);
    }
    await this.startExecution({
      arn: row.arn, machineArn: row.machineArn, machineName: row.machineArn.split(':')[6] ?? '', name: row.name,
      input: JSON.parse(row.doc.input) as Json, roleArn: row.doc.roleArn, definition, versionArn: row.doc.versionArn,
      durable: false, atLeastOnce: true, seed: row.doc.seed,
    });
  }

  /** Rebuilds an execution from its stored activations and re-arms its timers. */
  private async resume(arn: string): Promise<void> {
    const { store } = this.deps;
    const row = store.getExecution(arn);
    const definition = row ? store.getDefinition(row.doc.definitionHash) : undefined;
    if (!row || !definition || row.status !== 'RUNNING') return;
    const engine = new Engine(this.machineOf(definition), this.deps.budget);
    const machineName = row.machineArn.split(':')[6] ?? '';
    const info: ExecutionInfo = {
      executionArn: arn, name: row.name, stateMachineArn: row.doc.versionArn ?? row.machineArn, stateMachineName: machineName, roleArn: row.doc.roleArn, startTime: row.startMs,
    };
    const live = this.newLive({ arn, machineArn: row.machineArn, durable: true, doc: row.doc, info, engine });
    const activations = store.activations(arn);
    for (const act of activations) await engine.apply(live.state, act);
    live.seq = activations.length;
    const lastStored = store.lastEventId(arn);
    if (live.state.lastId !== lastStored) {
      // the engine must replay to exactly the recorded history; say so loudly if it did not
      this.deps.logger.error('states: replay diverged from the stored history', { execution: arn, replayed: live.state.lastId, stored: lastStored });
    }
    this.live.set(arn, live);
    for (const t of store.timers(arn)) this.timers.arm(arn, t.key, t.dueMs, () => this.kick(arn, { type: 'timer', key: t.key }));
    if (live.state.ready.length > 0) setImmediate(() => this.kick(arn, { type: 'continue' }));
  }

  /** Stops arming timers and dispatching tasks, releases pollers, waits for steps in flight. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.pollers.stop();
    this.timers.clear();
    this.deps.dispatcher.stop();
    await Promise.all([...this.starting, ...[...this.live.values()].map((l) => l.chain)].map((p) => p.catch(() => undefined)));
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** What a parent execution (states:startExecution.sync) sees of a child. */
  describe(arn: string): ChildExecution | undefined {
    const row = this.deps.store.getExecution(arn);
    if (!row) return undefined;
    return {
      executionArn: row.arn, stateMachineArn: row.doc.versionArn ?? row.machineArn, name: row.name, status: row.status,
      startDate: new Date(row.startMs), stopDate: row.stopMs === undefined ? undefined : new Date(row.stopMs),
      input: row.doc.input, output: row.doc.output, error: row.doc.error, cause: row.doc.cause,
    };
  }
}

function lastOf(steps: readonly StepRecord[]): StepRecord {
  return steps[steps.length - 1] as StepRecord;
}
