import type { Json } from '../asl/json.js';
import type { TaskPattern } from '../engine/index.js';

/**
 * How the runtime and the task integrations (ECS, nested executions, the event bus)
 * talk. An integration performs a Task state's call and reports back through
 * `TaskReporter`; the runtime turns each report into an activation.
 */
export interface TaskCall {
  readonly executionArn: string;
  readonly key: string;
  readonly state: string;
  readonly resource: string;
  readonly service: string;
  readonly action: string;
  readonly pattern: TaskPattern;
  readonly input: Json;
  readonly token?: string | undefined;
  /** A stable key for this call (the same after a restart), for the integration's idempotency. */
  readonly idempotencyKey: string;
  /** Whether the execution is durable (STANDARD); EXPRESS calls keep no references. */
  readonly durable: boolean;
  /** Aborted when the state stops waiting for the call or the runtime stops. */
  readonly signal: AbortSignal;
}

export interface TaskReporter {
  /**
   * The call was accepted: `ref` identifies what it started (an ECS task ARN, an
   * execution ARN) and is recorded so a restart re-attaches to it; `submitted` is the
   * call's response (TaskSubmitted). Resolves false when the execution no longer waits
   * for this task (it was stopped meanwhile): the integration should undo the call.
   */
  started(ref?: string, submitted?: Json): Promise<boolean>;
  succeeded(output: Json): Promise<void>;
  failed(error: string, cause: string): Promise<void>;
}

export interface TaskIntegration {
  /** Performs the call (first time). */
  start(call: TaskCall, report: TaskReporter): Promise<void>;
  /** After a restart: re-attaches to what `ref` names, or performs the call again idempotently. */
  resume(call: TaskCall, ref: string | undefined, report: TaskReporter): Promise<void>;
  /** The state no longer waits (stop, timeout, a sibling branch failed): undo what `ref` names. */
  cancel(call: TaskCall, ref: string | undefined, reason: string): Promise<void>;
}

/** What the nested-execution integration needs from the runtime. */
export interface ExecutionHost {
  startChild(machineArn: string, name: string | undefined, input: Json, parent: TaskCall): Promise<{ executionArn: string; startDate: Date }>;
  describe(executionArn: string): ChildExecution | undefined;
  /** Resolves when the execution is no longer running. */
  waitFor(executionArn: string): Promise<void>;
  stop(executionArn: string, cause: string): Promise<void>;
}

export interface ChildExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  startDate: Date;
  stopDate?: Date | undefined;
  input: string;
  output?: string | undefined;
  error?: string | undefined;
  cause?: string | undefined;
}

/** The failure a Task reports when its integration cannot run it. */
export const TASK_FAILED = 'States.TaskFailed';
