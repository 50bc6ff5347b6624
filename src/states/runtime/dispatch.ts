import { createHash } from 'node:crypto';
import type { Logger } from '../../core/index.js';
import type { Json } from '../asl/json.js';
import type { ScheduleTask, TaskPattern } from '../engine/index.js';
import type { StatesStore, TaskRow } from '../store.js';
import type { Deliverer, Live } from './commit.js';
import { TASK_FAILED, type TaskCall, type TaskIntegration, type TaskReporter } from './contract.js';

interface Open {
  call: TaskCall;
  ref?: string | undefined;
  abort: AbortController;
}

const SUPPORTED = 'activities, ecs:runTask (.sync, .waitForTaskToken), states:startExecution (.sync, .sync:2, .waitForTaskToken), events:putEvents (.waitForTaskToken)';

/**
 * Hands scheduled tasks to whoever performs them: activities wait for a worker's
 * GetActivityTask; every other resource goes to the integration of its service. A
 * resource no integration serves fails its state with States.TaskFailed.
 */
export class TaskDispatcher {
  private target?: Deliverer;
  private readonly open = new Map<string, Open>();
  private stopped = false;

  constructor(private readonly deps: { store: StatesStore; logger: Logger; integrations: Record<string, TaskIntegration | undefined> }) {}

  bind(target: Deliverer): void {
    this.target = target;
  }

  private get deliverer(): Deliverer {
    if (!this.target) throw new Error('TaskDispatcher used before bind()');
    return this.target;
  }

  schedule(live: Live, c: ScheduleTask): void {
    if (c.service === 'activity') return this.queueActivity(live, c);
    const abort = new AbortController();
    const call: TaskCall = {
      executionArn: live.arn, key: c.key, state: c.state, resource: c.resource, service: c.service, action: c.action, pattern: c.pattern,
      input: c.input, token: c.token, idempotencyKey: idempotencyKey(live.arn, c.key), durable: live.durable, signal: abort.signal,
    };
    this.open.set(`${live.arn}#${c.key}`, { call, abort });
    this.run(call, (i, r) => i.start(call, r));
  }

  /** An activity task waits for a worker; one for an activity that does not exist fails its state. */
  private queueActivity(live: Live, c: ScheduleTask): void {
    if (this.deps.store.getActivity(c.resource)) return this.deliverer.pollers.notify(c.resource);
    void this.deliverer.deliver(live.arn, { type: 'taskFailed', key: c.key, error: 'States.Runtime', cause: `Activity Does Not Exist: '${c.resource}'` });
  }

  private run(call: TaskCall, fn: (i: TaskIntegration, r: TaskReporter) => Promise<void>): void {
    const report = this.reporter(call);
    const integration = this.deps.integrations[call.service];
    if (!integration) {
      void report.failed(TASK_FAILED, `skiff cannot run the resource ${call.resource}: no integration serves '${call.service}'. Supported: ${SUPPORTED}.`);
      return;
    }
    fn(integration, report).catch((err: unknown) => {
      if (call.signal.aborted) return;
      this.deps.logger.warn('states: a task integration failed', { resource: call.resource, err });
      void report.failed(TASK_FAILED, (err as Error).message);
    });
  }

  private reporter(call: TaskCall): TaskReporter {
    const id = `${call.executionArn}#${call.key}`;
    const done = (): void => {
      this.open.delete(id);
    };
    return {
      started: async (ref, submitted) => {
        const o = this.open.get(id);
        if (o && ref) o.ref = ref;
        const effects = call.durable && ref ? (s: StatesStore) => s.setTaskRef(call.executionArn, call.key, ref) : undefined;
        return this.deliverer.deliver(call.executionArn, { type: 'taskStarted', key: call.key, submitted }, effects);
      },
      succeeded: async (output) => {
        done();
        await this.deliverer.deliver(call.executionArn, { type: 'taskSucceeded', key: call.key, output });
      },
      failed: async (error, cause) => {
        done();
        await this.deliverer.deliver(call.executionArn, { type: 'taskFailed', key: call.key, error, cause });
      },
    };
  }

  /** The state stopped waiting: abort the call and undo what it started. */
  cancel(live: Live, key: string, reason: string): void {
    const id = `${live.arn}#${key}`;
    const o = this.open.get(id);
    this.open.delete(id);
    if (!o) return;
    o.abort.abort();
    const integration = this.deps.integrations[o.call.service];
    const ref = o.ref ?? (live.durable ? this.deps.store.taskByKey(live.arn, key)?.ref : undefined);
    integration?.cancel(o.call, ref, reason).catch((err: unknown) => this.deps.logger.warn('states: could not cancel a task', { resource: o.call.resource, err }));
  }

  /** After a restart: integrations re-attach to the calls their tasks had open. */
  resumeOpenTasks(): void {
    for (const row of this.deps.store.openTasks()) {
      if (row.service === 'activity') continue;
      const abort = new AbortController();
      const call = callOf(row, abort.signal);
      this.open.set(row.id, { call, ref: row.ref, abort });
      this.run(call, (i, r) => i.resume(call, row.ref, r));
    }
  }

  stop(): void {
    this.stopped = true;
    for (const o of this.open.values()) o.abort.abort();
    this.open.clear();
  }

  get isStopped(): boolean {
    return this.stopped;
  }
}

function callOf(row: TaskRow, signal: AbortSignal): TaskCall {
  return {
    executionArn: row.executionArn, key: row.key, state: row.doc.state, resource: row.doc.resource, service: row.service, action: row.doc.action,
    pattern: row.doc.pattern as TaskPattern, input: JSON.parse(row.doc.input) as Json, token: row.token,
    idempotencyKey: idempotencyKey(row.executionArn, row.key), durable: true, signal,
  };
}

/** 32 hex characters, stable for an execution's task: fits ECS's 64-character clientToken. */
export function idempotencyKey(executionArn: string, key: string): string {
  return createHash('sha256').update(`${executionArn}#${key}`).digest('hex').slice(0, 32);
}
