import type { RunTaskRequest, Task } from '@aws-sdk/client-ecs';
import { isObject, type Json } from '../asl/json.js';
import { TASK_FAILED, type TaskCall, type TaskIntegration, type TaskReporter } from '../runtime/contract.js';
import { camelKeys, pascalKeys, serviceError, sleep } from './case.js';

/**
 * What Step Functions needs from ECS, in the ECS API's own (camelCase) shapes; this
 * module converts from and to the capitalized shapes ASL uses. The composition root
 * implements it over the ECS provider.
 */
export interface EcsIntegration {
  /**
   * Runs a task. Must be idempotent on `idempotencyKey` (32 hex characters; ECS's
   * `clientToken` fits): a second call with the same key returns the first call's task,
   * never a new one. That is how a restart re-attaches without starting twice.
   */
  runTask(input: RunTaskRequest, idempotencyKey: string): Promise<{ taskArn: string; task: Task }>;
  /** The task now, or undefined if unknown. `essentialContainers` names the essential ones (all, if absent). */
  describeTask(taskArn: string): Promise<{ task: Task; essentialContainers?: string[] | undefined } | undefined>;
  /** Stops a task a state started (StopExecution, a timeout, a failed sibling branch). */
  stopTask(taskArn: string, reason: string): Promise<void>;
}

/** How often `.sync` looks at a running task. */
export const ECS_POLL_MS = 1000;

/** A stopped task failed when it never started or an essential container exited non-zero. */
export function taskFailed(task: Task, essential?: readonly string[]): boolean {
  if (task.stopCode === 'TaskFailedToStart') return true;
  return (task.containers ?? []).some((c) => (essential ? essential.includes(c.name ?? '') : true) && c.exitCode !== undefined && c.exitCode !== null && c.exitCode !== 0);
}

/**
 * `arn:aws:states:::ecs:runTask` (answers with RunTask's response), `.sync` (waits until
 * the task is STOPPED; output the described task, or States.TaskFailed with the task
 * JSON as the cause when an essential container exited non-zero) and
 * `.waitForTaskToken` (the container calls SendTaskSuccess with `$$.Task.Token`).
 */
export class EcsTasks implements TaskIntegration {
  constructor(
    private readonly ecs: EcsIntegration,
    private readonly pollMs = ECS_POLL_MS,
  ) {}

  async start(call: TaskCall, report: TaskReporter): Promise<void> {
    if (call.action !== 'runTask') return report.failed(TASK_FAILED, `skiff supports ecs:runTask only, not ecs:${call.action}`);
    if (!isObject(call.input)) return report.failed(TASK_FAILED, 'The parameters of ecs:runTask must be an object');
    let taskArn: string;
    let task: Task;
    try {
      ({ taskArn, task } = await this.ecs.runTask(camelKeys(call.input) as RunTaskRequest, call.idempotencyKey));
    } catch (err) {
      const e = serviceError('ECS', err);
      return report.failed(e.error, e.cause);
    }
    await this.attached(call, report, taskArn, task);
  }

  private async attached(call: TaskCall, report: TaskReporter, taskArn: string, task: Task): Promise<void> {
    const response = { Tasks: [pascalKeys(task)], Failures: [] } as Json;
    if (call.pattern === 'request') {
      await report.started(taskArn);
      return report.succeeded(response);
    }
    const waiting = await report.started(taskArn, response);
    if (!waiting) return this.ecs.stopTask(taskArn, 'The Step Functions state no longer waits for this task');
    if (call.pattern === 'sync' || call.pattern === 'sync2') await this.watch(call, report, taskArn);
  }

  /** Polls until the task is STOPPED (or the state stops waiting). */
  private async watch(call: TaskCall, report: TaskReporter, taskArn: string): Promise<void> {
    while (!call.signal.aborted) {
      const d = await this.ecs.describeTask(taskArn);
      if (!d) return report.failed(TASK_FAILED, `The ECS task ${taskArn} no longer exists`);
      if (d.task.lastStatus === 'STOPPED') {
        const json = pascalKeys(d.task);
        if (taskFailed(d.task, d.essentialContainers)) return report.failed(TASK_FAILED, JSON.stringify(json));
        return report.succeeded(json);
      }
      await sleep(this.pollMs, call.signal);
    }
  }

  async resume(call: TaskCall, ref: string | undefined, report: TaskReporter): Promise<void> {
    if (ref === undefined) return this.start(call, report);
    if (call.pattern === 'sync' || call.pattern === 'sync2') return this.watch(call, report, ref);
    if (call.pattern === 'request') {
      const d = await this.ecs.describeTask(ref);
      return report.succeeded({ Tasks: d ? [pascalKeys(d.task)] : [], Failures: [] });
    }
  }

  async cancel(call: TaskCall, ref: string | undefined, reason: string): Promise<void> {
    if (ref !== undefined && call.pattern !== 'request') await this.ecs.stopTask(ref, `Stopped by Step Functions: ${reason}`);
  }
}
