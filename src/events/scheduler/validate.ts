import { isValidZone, parseArn } from '../../core/index.js';
import { targetKind } from '../delivery/invoke.js';
import { invalid } from './errors.js';
import type { SchedulerTarget, StoredSchedule } from './model.js';
import { parseScheduleExpression } from './timing.js';

const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;

/** The body of CreateSchedule and UpdateSchedule, as the SDK sends it. */
export interface ScheduleInput {
  ScheduleExpression?: string;
  ScheduleExpressionTimezone?: string;
  StartDate?: number | string;
  EndDate?: number | string;
  Description?: string;
  State?: string;
  KmsKeyArn?: string;
  Target?: SchedulerTarget;
  FlexibleTimeWindow?: { Mode?: string; MaximumWindowInMinutes?: number };
  ActionAfterCompletion?: string;
  GroupName?: string;
  ClientToken?: string;
}

export function checkName(name: string, what: string): string {
  if (!NAME.test(name)) throw invalid(`${what} '${name}' must be 1 to 64 characters of [0-9a-zA-Z-_.].`);
  return name;
}

/** Checks a schedule's settings; returns them as stored (without names, ARN and dates of record). */
export function checkSchedule(input: ScheduleInput, now: number, minRateMs: number): Omit<StoredSchedule, 'Name' | 'GroupName' | 'Arn' | 'CreationDate' | 'LastModificationDate' | 'RateAnchor'> {
  if (!input.ScheduleExpression) throw invalid('ScheduleExpression is required.');
  if (!input.FlexibleTimeWindow) throw invalid('FlexibleTimeWindow is required.');
  if (!input.Target) throw invalid('Target is required.');
  parseScheduleExpression(input.ScheduleExpression, minRateMs);
  const zone = input.ScheduleExpressionTimezone;
  if (zone !== undefined && !isValidZone(zone)) throw invalid(`Invalid time zone ${zone}: use an IANA name such as America/New_York.`);
  const start = toMs(input.StartDate, 'StartDate');
  const end = toMs(input.EndDate, 'EndDate');
  if (start !== undefined && start < now - 5 * 60_000) throw invalid('The StartDate cannot be earlier than 5 minutes before the current time.');
  if (end !== undefined && end <= now) throw invalid('The EndDate must be in the future.');
  if (start !== undefined && end !== undefined && end <= start) throw invalid('The EndDate must be after the StartDate.');
  const state = input.State ?? 'ENABLED';
  if (state !== 'ENABLED' && state !== 'DISABLED') throw invalid(`State must be ENABLED or DISABLED, got ${state}.`);
  const after = input.ActionAfterCompletion;
  if (after !== undefined && after !== 'NONE' && after !== 'DELETE') throw invalid(`ActionAfterCompletion must be NONE or DELETE, got ${after}.`);
  if ((input.Description ?? '').length > 512) throw invalid('Description can be at most 512 characters.');
  return {
    ScheduleExpression: input.ScheduleExpression,
    ScheduleExpressionTimezone: zone,
    StartDate: start,
    EndDate: end,
    Description: input.Description,
    State: state,
    KmsKeyArn: input.KmsKeyArn,
    Target: checkTarget(input.Target),
    FlexibleTimeWindow: checkWindow(input.FlexibleTimeWindow),
    ActionAfterCompletion: after as 'NONE' | 'DELETE' | undefined,
  };
}

function checkWindow(w: NonNullable<ScheduleInput['FlexibleTimeWindow']>): StoredSchedule['FlexibleTimeWindow'] {
  if (w.Mode === 'OFF') {
    if (w.MaximumWindowInMinutes !== undefined) throw invalid('MaximumWindowInMinutes can only be given when the FlexibleTimeWindow Mode is FLEXIBLE.');
    return { Mode: 'OFF' };
  }
  if (w.Mode !== 'FLEXIBLE') throw invalid(`FlexibleTimeWindow.Mode must be OFF or FLEXIBLE, got ${String(w.Mode)}.`);
  const minutes = w.MaximumWindowInMinutes;
  if (minutes === undefined || minutes < 1 || minutes > 1440) throw invalid('MaximumWindowInMinutes must be from 1 to 1440 when the Mode is FLEXIBLE.');
  return { Mode: 'FLEXIBLE', MaximumWindowInMinutes: minutes };
}

function checkTarget(t: SchedulerTarget): SchedulerTarget {
  if (!t.Arn || !parseArn(t.Arn)) throw invalid(`Target.Arn '${t.Arn ?? ''}' is not an ARN.`);
  if (!t.RoleArn) throw invalid('Target.RoleArn is required.');
  if (t.Input !== undefined && (t.Input.length < 1 || t.Input.length > 8192)) throw invalid('Target.Input must be 1 to 8192 characters.');
  const kind = targetKind(t.Arn);
  if (kind === 'ecs' && !t.EcsParameters?.TaskDefinitionArn) throw invalid('An ECS cluster target needs EcsParameters with a TaskDefinitionArn.');
  if (kind === 'sdk-ecs-runTask' || kind === 'sdk-sfn-startExecution') checkJsonInput(t.Input);
  const count = t.EcsParameters?.TaskCount;
  if (count !== undefined && (count < 1 || count > 10)) throw invalid('EcsParameters.TaskCount must be from 1 to 10.');
  const retry = t.RetryPolicy;
  if (retry?.MaximumRetryAttempts !== undefined && (retry.MaximumRetryAttempts < 0 || retry.MaximumRetryAttempts > 185)) {
    throw invalid('RetryPolicy.MaximumRetryAttempts must be from 0 to 185.');
  }
  if (retry?.MaximumEventAgeInSeconds !== undefined && (retry.MaximumEventAgeInSeconds < 60 || retry.MaximumEventAgeInSeconds > 86_400)) {
    throw invalid('RetryPolicy.MaximumEventAgeInSeconds must be from 60 to 86400.');
  }
  const dlq = t.DeadLetterConfig?.Arn;
  if (dlq !== undefined && parseArn(dlq)?.service !== 'sqs') throw invalid(`DeadLetterConfig.Arn must be an SQS queue ARN, got ${dlq}.`);
  return t;
}

function checkJsonInput(input: string | undefined): void {
  try {
    JSON.parse(input ?? '');
  } catch {
    throw invalid('A universal target (aws-sdk:…) needs Input holding the API request as JSON.');
  }
}

/** restJson sends timestamps as epoch seconds; ISO strings are accepted too. */
function toMs(value: number | string | undefined, member: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value * 1000 : /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (!Number.isFinite(ms)) throw invalid(`${member} is not a valid timestamp.`);
  return ms;
}
