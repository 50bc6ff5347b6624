import type { Activation, Command, ExecState, StepResult } from '../engine/index.js';
import type { ExecutionDoc, StatesStore, TaskRow } from '../store.js';
import type { ActivityPollers } from './pollers.js';

type NoTime<A> = A extends Activation ? Omit<A, 'at'> : never;
/** An activation as callers hand it in; the runtime stamps its time when it applies it. */
export type Delivery = NoTime<Activation>;

/** What task dispatching needs from the runtime. */
export interface Deliverer {
  deliver(arn: string, d: Delivery, effects?: Effects): Promise<boolean>;
  readonly pollers: ActivityPollers;
}

/** One execution the runtime is driving. */
export interface Live {
  readonly arn: string;
  readonly machineArn: string;
  readonly durable: boolean;
  readonly state: ExecState;
  readonly doc: ExecutionDoc;
  /** Activations persisted so far. */
  seq: number;
  /** Serializes the activations of this execution. */
  chain: Promise<unknown>;
  /** Resolves when the execution ends. */
  readonly done: Promise<void>;
  finish(): void;
}

/** Extra writes that go with an activation, in the same transaction (e.g. a task's reference). */
export type Effects = (store: StatesStore) => void;

function taskRow(live: Live, c: Extract<Command, { kind: 'scheduleTask' }>, at: number): TaskRow {
  return {
    id: `${live.arn}#${c.key}`,
    executionArn: live.arn,
    key: c.key,
    token: c.token,
    service: c.service,
    activityArn: c.service === 'activity' ? c.resource : undefined,
    status: 'SCHEDULED',
    createdMs: at,
    doc: {
      resource: c.resource, action: c.action, pattern: c.pattern, state: c.state, input: JSON.stringify(c.input),
      timeoutSeconds: c.timeoutSeconds, heartbeatSeconds: c.heartbeatSeconds,
    },
  };
}

function applyCommand(store: StatesStore, live: Live, c: Command, at: number): void {
  switch (c.kind) {
    case 'startTimer':
      return store.putTimer(live.arn, c.key, c.dueMs);
    case 'cancelTimer':
      return store.deleteTimer(live.arn, c.key);
    case 'scheduleTask':
      return store.insertTask(taskRow(live, c, at));
    case 'cancelTask': {
      const timedOut = c.reason === 'States.Timeout' || c.reason === 'States.HeartbeatTimeout';
      return store.setTaskStatus(live.arn, c.key, timedOut ? 'TIMED_OUT' : 'CANCELLED');
    }
    case 'complete':
      live.doc.output = c.output;
      live.doc.error = c.error;
      live.doc.cause = c.cause;
      return store.finishExecution(live.arn, c.status, at, live.doc);
    case 'continue':
      return;
  }
}

/** One applied activation: what the engine produced, with the writes that go with it. */
export interface StepRecord {
  act: Activation;
  result: StepResult;
  effects?: Effects | undefined;
}

/** Whether a step asks for nothing but to be continued: nothing outside the process depends on it yet. */
export function isPure(result: StepResult): boolean {
  return result.commands.every((c) => c.kind === 'continue');
}

/**
 * Persists consecutive steps of one execution in one transaction: each activation, the
 * events it produced, and what its commands change (timers, tasks, the execution's end).
 * Nothing the steps ask for is performed before this returns, so a crash never loses an
 * acknowledged effect, and replaying the stored activations rebuilds the same state.
 */
export function commitSteps(store: StatesStore, live: Live, steps: readonly StepRecord[], extra?: () => void): void {
  store.transaction(() => {
    extra?.();
    steps.forEach(({ act, result, effects }, i) => {
      store.appendActivation(live.arn, live.seq + 1 + i, act);
      store.appendEvents(live.arn, result.events);
      if (act.type === 'timer') store.deleteTimer(live.arn, act.key);
      if (act.type === 'taskSucceeded' || act.type === 'taskFailed') store.setTaskStatus(live.arn, act.key, 'DONE');
      for (const c of result.commands) applyCommand(store, live, c, act.at);
      effects?.(store);
    });
  });
  live.seq += steps.length;
}
