import type { Clock, Logger } from '../../core/index.js';
import { CONTAINER_LABEL, INSTANCE_LABEL, SANDBOX_CONTAINER_NAME, TASK_LABEL, type ContainerDriver } from '../../runtime/index.js';
import type { Store, StoredTask, StoredTaskDefinition } from '../../store/index.js';
import { taskIdOf } from '../../store/index.js';
import { TaskExecutor } from './executor.js';
import type { TaskLogSink } from './log-pump.js';
import { applyObservation, markWaiting, taskHealth } from './observe.js';
import { planTask } from './plan.js';
import { SandboxPool } from './sandbox-pool.js';

export interface TaskRunnerDeps {
  /** This skiff's instance id (one per data directory); see INSTANCE_LABEL. */
  instanceId: string;
  store: Store;
  driver: ContainerDriver;
  clock: Clock;
  logger: Logger;
  logs?: TaskLogSink | undefined;
  containerEnv?: ((task: StoredTask, taskId: string, container: string) => Record<string, string>) | undefined;
  /** Where 169.254.170.2:80 leads inside each task (the agent), once it listens. */
  endpointForward?: (() => { host: string; port: number } | undefined) | undefined;
  /** How many started sandboxes to keep per set of port mappings (default 0). */
  sandboxPool?: number | undefined;
  /** How often every unfinished task is re-checked even without a driver event. */
  resyncMs?: number | undefined;
}

/** Steps one reconcile pass may take before yielding to other tasks. */
const MAX_STEPS_PER_PASS = 32;

/**
 * The level-triggered task reconciler. Each pass re-reads the task from the store,
 * folds in what the driver observes, asks the planner for the next step and carries it
 * out, until the planner says wait. Passes for one task never overlap; a wake during a
 * pass schedules one more. After a restart every unfinished task is picked up again:
 * running containers are adopted (their runtime ids are in the store), exits that
 * happened meanwhile are recorded, stops in progress complete.
 */
export class TaskRunner {
  private readonly loops = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private readonly active = new Set<string>();
  private readonly byRuntimeId = new Map<string, string>();
  private readonly executor: TaskExecutor;
  private readonly pool: SandboxPool | undefined;
  /** Tasks that were unfinished when this process started. */
  private readonly recovered = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private unwatch: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly deps: TaskRunnerDeps) {
    const size = deps.sandboxPool ?? 0;
    this.pool =
      size > 0
        ? new SandboxPool({ driver: deps.driver, instanceId: deps.instanceId, logger: deps.logger, size, endpointForward: deps.endpointForward ?? (() => undefined) })
        : undefined;
    this.executor = new TaskExecutor({
      instanceId: deps.instanceId,
      driver: deps.driver,
      clock: deps.clock,
      logger: deps.logger,
      logs: deps.logs,
      containerEnv: deps.containerEnv ?? (() => ({})),
      endpointForward: deps.endpointForward ?? (() => undefined),
      pool: this.pool,
      mayHaveStrays: (taskId) => this.recovered.has(taskId),
      save: (task) => this.save(task),
      track: (runtimeId, taskId) => this.byRuntimeId.set(runtimeId, taskId),
    });
  }

  /** Picks up every unfinished task, removes leftovers of finished ones, starts watching. */
  async start(): Promise<void> {
    for (const task of this.deps.store.tasks.unfinished()) {
      const taskId = taskIdOf(task.taskArn);
      this.active.add(taskId);
      this.recovered.add(taskId);
      if (task.runtime.sandboxId) this.byRuntimeId.set(task.runtime.sandboxId, taskId);
      for (const c of task.containers ?? []) if (c.runtimeId) this.byRuntimeId.set(c.runtimeId, taskId);
    }
    await this.removeLeftovers();
    this.pool?.start();
    this.unwatch = this.deps.driver.watch((id) => {
      const taskId = this.byRuntimeId.get(id);
      if (taskId) this.wake(taskId);
    });
    this.timer = setInterval(() => {
      for (const id of this.active) this.wake(id);
    }, this.deps.resyncMs ?? 1000);
    for (const id of this.active) {
      this.adopt(id);
      this.wake(id);
    }
  }

  /** Asks for a reconcile pass of this task soon. */
  wake(taskId: string): void {
    if (this.stopped) return;
    this.active.add(taskId);
    if (this.loops.has(taskId)) {
      this.dirty.add(taskId);
      return;
    }
    const loop = this.loop(taskId).finally(() => this.loops.delete(taskId));
    this.loops.set(taskId, loop);
  }

  /** Stops reconciling (containers keep running: the next start adopts them). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unwatch?.();
    await Promise.all(this.loops.values());
    await this.pool?.stop();
  }

  private async loop(taskId: string): Promise<void> {
    do {
      this.dirty.delete(taskId);
      try {
        await this.reconcile(taskId);
      } catch (err) {
        this.deps.logger.error('tasks: reconcile failed; will retry', { taskId, err });
      }
    } while (this.dirty.has(taskId) && !this.stopped);
  }

  private async reconcile(taskId: string): Promise<void> {
    for (let i = 0; i < MAX_STEPS_PER_PASS && !this.stopped; i++) {
      const task = this.deps.store.tasks.get(taskId);
      const td = task && this.taskDefinitionOf(task);
      if (!task || !td || task.lastStatus === 'STOPPED') {
        this.active.delete(taskId);
        return;
      }
      if (await this.observe(task, td)) this.save(task);
      const step = planTask(task, td, this.deps.clock.now());
      if (step.kind === 'wait') return;
      await this.executor.execute(task, td, taskId, step);
    }
    this.dirty.add(taskId);
  }

  /** Inspects every started container and records changes; true when something changed. */
  private async observe(task: StoredTask, td: StoredTaskDefinition): Promise<boolean> {
    let changed = markWaiting(task, this.deps.clock.now());
    for (const c of task.containers ?? []) {
      if (!c.runtimeId || c.lastStatus === 'STOPPED') continue;
      if (applyObservation(c, await this.deps.driver.inspect(c.runtimeId))) changed = true;
    }
    const defs = td.containerDefinitions ?? [];
    const essential = new Set(defs.filter((d) => d.essential !== false).map((d) => d.name ?? ''));
    const checked = new Set(defs.filter((d) => d.healthCheck).map((d) => d.name ?? ''));
    const health = taskHealth(task, essential, checked);
    if (health !== task.healthStatus) {
      task.healthStatus = health;
      changed = true;
    }
    return changed;
  }

  /** Re-attaches log pumps to the running containers of a task found after a restart. */
  private adopt(taskId: string): void {
    const task = this.deps.store.tasks.get(taskId);
    const td = task && this.taskDefinitionOf(task);
    if (!task || !td) return;
    for (const c of task.containers ?? []) {
      if (!c.runtimeId) continue;
      this.executor.follow(c.runtimeId, td.containerDefinitions?.find((d) => d.name === c.name), taskId);
    }
  }

  /**
   * Removes this instance's containers whose task is finished or unknown; never touches
   * containers of other skiff instances or ones skiff did not create.
   */
  private async removeLeftovers(): Promise<void> {
    const known = new Set(this.byRuntimeId.keys());
    for (const c of await this.deps.driver.list({ [INSTANCE_LABEL]: this.deps.instanceId })) {
      if (known.has(c.id)) continue;
      const taskId = c.labels[TASK_LABEL];
      const task = taskId ? this.deps.store.tasks.get(taskId) : undefined;
      const adoptable = task && task.lastStatus !== 'STOPPED' && c.labels[CONTAINER_LABEL] !== SANDBOX_CONTAINER_NAME;
      if (!adoptable) await this.deps.driver.remove(c.id);
    }
  }

  /** Writes the runner's view of a task without losing a StopTask that arrived meanwhile. */
  private save(task: StoredTask): void {
    const repo = this.deps.store.tasks;
    this.deps.store.db.transaction(() => {
      const fresh = repo.get(taskIdOf(task.taskArn));
      if (fresh?.desiredStatus === 'STOPPED' && task.desiredStatus !== 'STOPPED') {
        task.desiredStatus = 'STOPPED';
        task.stopCode = fresh.stopCode;
        task.stoppedReason = fresh.stoppedReason;
      }
      task.version = Math.max(task.version, fresh?.version ?? 0) + 1;
      repo.put(task);
    })();
  }

  private taskDefinitionOf(task: StoredTask): StoredTaskDefinition | undefined {
    const ref = task.taskDefinitionArn.slice(task.taskDefinitionArn.lastIndexOf('/') + 1);
    const [family, revision] = ref.split(':');
    return family && revision ? this.deps.store.taskDefinitions.get(family, Number(revision)) : undefined;
  }
}
