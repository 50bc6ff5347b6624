import type { RunTaskRequest } from '@aws-sdk/client-ecs';
import { parseArn } from '../../core/index.js';
import { camelKeys, runTaskRequests } from './ecs.js';
import type { Delivery } from './model.js';

/** Runs ECS tasks for ECS targets; the composition root connects `ecs.tasks.run`. */
export interface EcsTaskTarget {
  runTask(request: RunTaskRequest): Promise<{ taskArns: string[]; failures: unknown[] }>;
}

/** Starts Step Functions executions for state machine targets; resolves with the execution ARN. */
export interface StartExecutionTarget {
  startExecution(stateMachineArn: string, input: string, name?: string): Promise<string>;
}

/** Where deliveries go. Missing parts make their deliveries fail (and, after retries, dead-letter). */
export interface TargetPorts {
  readonly ecs?: EcsTaskTarget | undefined;
  readonly stepFunctions?: StartExecutionTarget | undefined;
  /** Puts an event (the delivery's input) on another bus of this account. */
  readonly bus?: ((busArn: string, input: string) => void) | undefined;
}

export type InvokeResult = { ok: true; detail: string } | { ok: false; code: string; message: string };

export type TargetKind = 'ecs' | 'states' | 'bus' | 'sdk-ecs-runTask' | 'sdk-sfn-startExecution' | 'unsupported';

/** Which kind of target an ARN names. */
export function targetKind(arn: string): TargetKind {
  if (arn === 'arn:aws:scheduler:::aws-sdk:ecs:runTask') return 'sdk-ecs-runTask';
  if (arn === 'arn:aws:scheduler:::aws-sdk:sfn:startExecution') return 'sdk-sfn-startExecution';
  const parts = parseArn(arn);
  if (parts?.service === 'ecs' && parts.resource.startsWith('cluster/')) return 'ecs';
  if (parts?.service === 'states' && parts.resource.startsWith('stateMachine:')) return 'states';
  if (parts?.service === 'events' && parts.resource.startsWith('event-bus/')) return 'bus';
  return 'unsupported';
}

/** One attempt at one delivery. Never throws: a failure is a result with the error's code. */
export async function invokeTarget(d: Delivery, ports: TargetPorts): Promise<InvokeResult> {
  try {
    return await attempt(d, ports);
  } catch (err) {
    return failure(err);
  }
}

async function attempt(d: Delivery, ports: TargetPorts): Promise<InvokeResult> {
  const arn = d.target.arn;
  switch (targetKind(arn)) {
    case 'ecs': {
      if (!d.target.ecs) return fail('ValidationException', `Target ${d.targetId} of ${d.sourceArn} names an ECS cluster but has no EcsParameters.`);
      return runTasks(ports, runTaskRequests(arn, d.target.ecs, d.input, d.id, d.target.startedBy));
    }
    case 'sdk-ecs-runTask': {
      const req = { ...(camelKeys(JSON.parse(d.input)) as RunTaskRequest), clientToken: d.id };
      return runTasks(ports, [req]);
    }
    case 'states':
      return startExecution(ports, arn, d.input, d.id);
    case 'sdk-sfn-startExecution': {
      const req = JSON.parse(d.input) as { StateMachineArn?: string; Input?: string; Name?: string };
      return startExecution(ports, req.StateMachineArn ?? '', req.Input ?? '{}', req.Name ?? d.id);
    }
    case 'bus':
      if (!ports.bus) return fail('InternalException', 'event bus targets are not connected');
      ports.bus(arn, d.input);
      return { ok: true, detail: `put on ${arn}` };
    case 'unsupported':
      return fail('UnsupportedTarget', `skiff cannot deliver to ${arn}: targets may be ECS clusters, Step Functions state machines or event buses.`);
  }
}

async function runTasks(ports: TargetPorts, requests: RunTaskRequest[]): Promise<InvokeResult> {
  if (!ports.ecs) return fail('InternalException', 'ECS targets are not connected in this skiff');
  const arns: string[] = [];
  for (const req of requests) {
    const out = await ports.ecs.runTask(req);
    if (out.failures.length > 0) return fail('EcsRunTaskFailure', `RunTask reported failures: ${JSON.stringify(out.failures)}`);
    arns.push(...out.taskArns);
  }
  return { ok: true, detail: `started ${arns.join(', ')}` };
}

async function startExecution(ports: TargetPorts, arn: string, input: string, name: string): Promise<InvokeResult> {
  if (!ports.stepFunctions) return fail('InternalException', 'Step Functions targets are not connected in this skiff');
  const executionArn = await ports.stepFunctions.startExecution(arn, input, name.slice(0, 80));
  return { ok: true, detail: `started ${executionArn}` };
}

function fail(code: string, message: string): InvokeResult {
  return { ok: false, code, message };
}

/** An error from a target as (code, message): AWS errors keep their code. */
function failure(err: unknown): InvokeResult {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return fail(typeof code === 'string' ? code : err.name || 'Error', err.message);
  }
  return fail('Error', String(err));
}
