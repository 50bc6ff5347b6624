import type { Json } from '../asl/json.js';

/**
 * The engine's vocabulary: activations in (what happened), commands and history events
 * out (what to do, what to record). The engine never performs I/O and never reads a
 * clock: every activation carries its time `at` (epoch ms) and every random draw is
 * seeded from the execution's seed and the event that asked.
 */
export type Activation =
  | { type: 'start'; at: number; input: Json; seed: string }
  /** A timer the engine asked for reached its deadline. */
  | { type: 'timer'; at: number; key: string }
  /** A task was handed to a worker (activity) or accepted by its integration. */
  | { type: 'taskStarted'; at: number; key: string; worker?: string | undefined; submitted?: Json | undefined }
  | { type: 'taskSucceeded'; at: number; key: string; output: Json }
  | { type: 'taskFailed'; at: number; key: string; error?: string | undefined; cause?: string | undefined }
  | { type: 'heartbeat'; at: number; key: string }
  | { type: 'stop'; at: number; error?: string | undefined; cause?: string | undefined }
  /** Carries on work left when a step reached its transition budget. */
  | { type: 'continue'; at: number };

export type ActivationType = Activation['type'];

/** How a Task waits for its integration (the resource ARN's suffix). */
export type TaskPattern = 'request' | 'sync' | 'sync2' | 'callback';

export interface ScheduleTask {
  kind: 'scheduleTask';
  key: string;
  /** The Task state's name. */
  state: string;
  resource: string;
  /** `activity` for activity ARNs, else the service (`ecs`, `states`, `events`, ...). */
  service: string;
  /** The API action, e.g. `runTask`; empty for activities. */
  action: string;
  pattern: TaskPattern;
  input: Json;
  token?: string | undefined;
  timeoutSeconds?: number | undefined;
  heartbeatSeconds?: number | undefined;
}

export type Command =
  | ScheduleTask
  | { kind: 'cancelTask'; key: string; reason: string }
  | { kind: 'startTimer'; key: string; dueMs: number }
  | { kind: 'cancelTimer'; key: string }
  | { kind: 'continue' }
  | { kind: 'complete'; status: Exclude<ExecutionStatus, 'RUNNING'>; output?: string | undefined; error?: string | undefined; cause?: string | undefined };

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** A history event as GetExecutionHistory returns it; `details` goes under `detailsKey`. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  detailsKey?: string | undefined;
  details?: Record<string, unknown> | undefined;
}

/** What one activation produced. */
export interface StepResult {
  events: HistoryEvent[];
  commands: Command[];
}

/** The execution's constants, as the context object (`$$`) shows them. */
export interface ExecutionInfo {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  stateMachineName: string;
  roleArn: string;
  /** Epoch ms. */
  startTime: number;
}
