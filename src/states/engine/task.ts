import { StatesErrors } from '../asl/errors.js';
import type { Json } from '../asl/json.js';
import { seededRandom } from '../asl/random.js';
import type { TaskState } from '../asl/types.js';
import { jsonText, type StepContext } from './context.js';
import { effectiveInput, evalAmount, evalTemplate, stateOutput } from './io.js';
import type { Frame, Pending } from './state.js';
import type { TaskPattern } from './types.js';

/** What a Task's Resource ARN asks for. */
export interface ResourceKind {
  activity: boolean;
  service: string;
  action: string;
  pattern: TaskPattern;
}

const SUFFIXES: [string, TaskPattern][] = [['.sync:2', 'sync2'], ['.sync', 'sync'], ['.waitForTaskToken', 'callback']];

/** `arn:aws:states:…:activity:x`, `arn:aws:states:::ecs:runTask.sync`, `arn:aws:lambda:…` */
export function resourceKind(resource: string): ResourceKind {
  if (/^arn:[^:]+:states:[^:]*:[^:]*:activity:/.test(resource)) return { activity: true, service: 'activity', action: '', pattern: 'callback' };
  const m = /^arn:[^:]+:states:::(.+)$/.exec(resource);
  if (!m?.[1]) return { activity: false, service: resource.split(':')[2] ?? '', action: 'invoke', pattern: 'request' };
  let rest = m[1];
  let pattern: TaskPattern = 'request';
  for (const [suffix, p] of SUFFIXES) {
    if (rest.endsWith(suffix)) {
      pattern = p;
      rest = rest.slice(0, -suffix.length);
      break;
    }
  }
  const cut = rest.lastIndexOf(':');
  return { activity: false, service: cut < 0 ? rest : rest.slice(0, cut), action: cut < 0 ? '' : rest.slice(cut + 1), pattern };
}

/** An opaque, unguessable task token: the execution's secret seed makes its nonce. */
export function taskToken(seed: string, executionArn: string, key: string): string {
  const rng = seededRandom(`${seed}/token/${key}`);
  const nonce = Array.from({ length: 4 }, () => Math.floor(rng.next() * 0x100000000).toString(16).padStart(8, '0')).join('');
  return Buffer.from(JSON.stringify({ e: executionArn, k: key, n: nonce })).toString('base64url');
}

function suffix(kind: ResourceKind): string {
  return { request: '', sync: '.sync', sync2: '.sync:2', callback: kind.activity ? '' : '.waitForTaskToken' }[kind.pattern];
}

export async function runTask(ctx: StepContext, f: Frame, node: TaskState): Promise<void> {
  const kind = resourceKind(node.resource);
  const key = `task:${f.id}:${f.entered}:${f.retryCount}`;
  const token = kind.pattern === 'callback' ? taskToken(ctx.st.seed, ctx.st.info.executionArn, key) : undefined;
  const effective = effectiveInput(ctx, f, node);
  const input = node.parameters ? await evalTemplate(ctx, f, node, node.parameters, effective, { token }) : effective;
  const timeout = node.timeout ? await evalAmount(ctx, f, node, node.timeout, effective, 'TimeoutSeconds') : undefined;
  const heartbeat = node.heartbeat ? await evalAmount(ctx, f, node, node.heartbeat, effective, 'HeartbeatSeconds') : undefined;
  const text = jsonText(input);
  if (kind.activity) {
    ctx.emit(f, 'ActivityScheduled', 'activityScheduledEventDetails', {
      resource: node.resource, input: text, inputDetails: { truncated: false }, timeoutInSeconds: timeout, heartbeatInSeconds: heartbeat,
    });
  } else {
    ctx.emit(f, 'TaskScheduled', 'taskScheduledEventDetails', {
      resourceType: kind.service, resource: `${kind.action}${suffix(kind)}`, region: regionOf(ctx), parameters: text,
      timeoutInSeconds: timeout, heartbeatInSeconds: heartbeat,
    });
  }
  f.pending = { kind: 'task', key, activity: kind.activity, service: kind.service, resource: node.resource, pattern: kind.pattern, heartbeatSeconds: heartbeat, token };
  ctx.park(f, key);
  ctx.command({
    kind: 'scheduleTask', key, state: node.name, resource: node.resource, service: kind.service, action: kind.action, pattern: kind.pattern,
    input, token, timeoutSeconds: timeout, heartbeatSeconds: heartbeat,
  });
  if (timeout !== undefined) ctx.startTimer(f, `${key}:timeout`, ctx.at + timeout * 1000);
  // an activity's heartbeat clock starts when a worker takes the task (ActivityStarted)
  if (heartbeat !== undefined && !kind.activity) ctx.startTimer(f, `${key}:heartbeat`, ctx.at + heartbeat * 1000);
}

function regionOf(ctx: StepContext): string {
  return ctx.st.info.executionArn.split(':')[3] ?? '';
}

type TaskPending = Extract<Pending, { kind: 'task' }>;

/** The frame's pending task, if `key` is still the one it waits on. */
export function pendingTask(f: Frame, key: string): TaskPending | undefined {
  return f.pending?.kind === 'task' && f.pending.key === key ? f.pending : undefined;
}

function settle(ctx: StepContext, f: Frame, p: TaskPending): void {
  ctx.unpark(p.key);
  ctx.unpark(`${p.key}:timeout`);
  ctx.unpark(`${p.key}:heartbeat`);
  f.pending = undefined;
}

function resourceType(p: TaskPending): { resourceType: string; resource: string } {
  const k = resourceKind(p.resource);
  return { resourceType: k.service, resource: `${k.action}${suffix(k)}` };
}

export function taskStarted(ctx: StepContext, f: Frame, p: TaskPending, worker: string | undefined, submitted: Json | undefined): void {
  if (p.activity) {
    ctx.emit(f, 'ActivityStarted', 'activityStartedEventDetails', { workerName: worker });
    taskHeartbeat(ctx, f, p);
    return;
  }
  ctx.emit(f, 'TaskStarted', 'taskStartedEventDetails', resourceType(p));
  if (submitted !== undefined) {
    ctx.emit(f, 'TaskSubmitted', 'taskSubmittedEventDetails', { ...resourceType(p), output: jsonText(submitted), outputDetails: { truncated: false } });
  }
}

export async function taskSucceeded(ctx: StepContext, f: Frame, node: TaskState, p: TaskPending, output: Json): Promise<void> {
  const text = jsonText(output);
  if (p.activity) ctx.emit(f, 'ActivitySucceeded', 'activitySucceededEventDetails', { output: text, outputDetails: { truncated: false } });
  else ctx.emit(f, 'TaskSucceeded', 'taskSucceededEventDetails', { ...resourceType(p), output: text, outputDetails: { truncated: false } });
  settle(ctx, f, p);
  const effective = effectiveInput(ctx, f, node);
  const out = await stateOutput(ctx, f, node, {
    effective, result: output, selectable: true, resultPath: node.resultPath, resultPathSource: node.resultPathSource, output: node.output, assign: node.assign,
  });
  await ctx.exit(f, node, out);
}

export async function taskFailed(ctx: StepContext, f: Frame, node: TaskState, p: TaskPending, error: string | undefined, cause: string | undefined): Promise<void> {
  if (p.activity) ctx.emit(f, 'ActivityFailed', 'activityFailedEventDetails', { error, cause });
  else ctx.emit(f, 'TaskFailed', 'taskFailedEventDetails', { ...resourceType(p), error, cause });
  settle(ctx, f, p);
  await ctx.recover(f, node, error, cause);
}

/** The task's timeout or heartbeat timer fired: the task is cancelled and the state fails. */
export async function taskTimedOut(ctx: StepContext, f: Frame, node: TaskState, p: TaskPending, heartbeat: boolean): Promise<void> {
  const error = heartbeat ? StatesErrors.HeartbeatTimeout : StatesErrors.Timeout;
  const cause = heartbeat ? 'The task did not send a heartbeat in time.' : 'The task did not finish in time.';
  if (p.activity) ctx.emit(f, 'ActivityTimedOut', 'activityTimedOutEventDetails', { error, cause });
  else ctx.emit(f, 'TaskTimedOut', 'taskTimedOutEventDetails', { ...resourceType(p), error, cause });
  ctx.command({ kind: 'cancelTask', key: p.key, reason: error });
  settle(ctx, f, p);
  await ctx.recover(f, node, error, cause);
}

export function taskHeartbeat(ctx: StepContext, f: Frame, p: TaskPending): void {
  if (p.heartbeatSeconds !== undefined) ctx.startTimer(f, `${p.key}:heartbeat`, ctx.at + p.heartbeatSeconds * 1000);
}
