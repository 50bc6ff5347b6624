import type { Clock, Logger } from '../../core/index.js';
import type { Json } from '../asl/json.js';
import { parseDefinition } from '../asl/parse.js';
import type { Machine } from '../asl/types.js';
import { Engine, type Activation, type Command, type ExecutionInfo, type StepResult } from '../engine/index.js';
import { definitionHash, type ExecutionDoc, type StatesStore } from '../store.js';
import { commitStep, type Delivery, type Effects, type Live } from './commit.js';
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
}

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
  seed: string;
  /** Runs before the first step is committed, in its transaction (e.g. the name check). */
  guard?: () => void;
}

/**
 * Drives executions: each activation is applied by the engine, persisted with its
 * events and command effects in one transaction, then the commands are performed
 * (timers armed, tasks dispatched). On start every RUNNING execution is rebuilt by
 * replaying its stored activations, its timers re-armed with their stored deadlines
 * and its open tasks re-attached.
 */
export class Runtime {
  readonly pollers = new ActivityPollers();
  private readonly live = new Map<string, Live>();
  private readonly machines = new Map<string, Machine>();
  private readonly timers: Timers;
  private readonly waiters = new Map<string, (() => void)[]>();
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
    const engine = new Engine(this.machineOf(p.definition), this.deps.budget);
    const doc: ExecutionDoc = { input: JSON.stringify(p.input), roleArn: p.roleArn, definitionHash: definitionHash(p.definition), versionArn: p.versionArn, seed: p.seed };
    const info: ExecutionInfo = { executionArn: p.arn, name: p.name, stateMachineArn: p.versionArn ?? p.machineArn, stateMachineName: p.machineName, roleArn: p.roleArn, startTime: at };
    const live = this.newLive({ arn: p.arn, machineArn: p.machineArn, durable: p.durable, doc, info, engine });
    const act: Activation = { type: 'start', at, input: p.input, seed: p.seed };
    const result = await engine.apply(live.state, act);
    if (p.durable) {
      const { store } = this.deps;
      commitStep(store, live, act, result, undefined, () => {
        p.guard?.();
        store.putDefinition(p.definition);
        store.insertExecution({ arn: p.arn, machineArn: p.machineArn, name: p.name, status: 'RUNNING', startMs: at, doc });
      });
    } else p.guard?.();
    this.live.set(p.arn, live);
    this.perform(live, result.commands);
    return live;
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

  private async process(live: Live & { engine: Engine }, d: Delivery, effects?: Effects): Promise<boolean> {
    if (live.state.status !== 'RUNNING') return false;
    const act = { ...d, at: this.now() } as Activation;
    const result = await live.engine.apply(live.state, act);
    if (result.events.length === 0 && result.commands.length === 0) return false;
    if (live.durable) this.commitOrReload(live, act, result, effects);
    this.perform(live, result.commands);
    return true;
  }

  private commitOrReload(live: Live, act: Activation, result: StepResult, effects?: Effects): void {
    try {
      commitStep(this.deps.store, live, act, result, effects);
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
          if (!this.stopping) this.timers.arm(live.arn, c.key, c.dueMs, () => void this.deliver(live.arn, { type: 'timer', key: c.key }));
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
          if (!this.stopping) setImmediate(() => void this.deliver(live.arn, { type: 'continue' }));
          break;
        case 'complete':
          this.completed(live);
          break;
      }
    }
  }

  private completed(live: Live): void {
    this.live.delete(live.arn);
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
    for (const t of store.timers(arn)) this.timers.arm(arn, t.key, t.dueMs, () => void this.deliver(arn, { type: 'timer', key: t.key }));
    if (live.state.ready.length > 0) setImmediate(() => void this.deliver(arn, { type: 'continue' }));
  }

  /** Stops arming timers and dispatching tasks, releases pollers, waits for steps in flight. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.pollers.stop();
    this.timers.clear();
    this.deps.dispatcher.stop();
    await Promise.all([...this.live.values()].map((l) => l.chain));
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
