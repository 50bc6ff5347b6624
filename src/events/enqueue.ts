import type { Target } from '@aws-sdk/client-eventbridge';
import { launchFromEventBridge } from './delivery/ecs.js';
import { targetKind } from './delivery/invoke.js';
import { DEFAULT_RETRY, type DeadLetter, type Delivery, type RetrySettings } from './delivery/model.js';
import type { EventsContext } from './context.js';
import { eventTime } from './names.js';
import { matchesPattern } from './pattern/match.js';
import { InputError, renderInput } from './transform/input.js';
import { JsonPathError } from './transform/json-path.js';
import type { StoredRule } from './store/repository.js';

/** An event as EventBridge delivers it. */
export interface Envelope extends Record<string, unknown> {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

export function retryOf(policy: { MaximumRetryAttempts?: number | undefined; MaximumEventAgeInSeconds?: number | undefined } | undefined): RetrySettings {
  return {
    maximumRetryAttempts: policy?.MaximumRetryAttempts ?? DEFAULT_RETRY.maximumRetryAttempts,
    maximumEventAgeSeconds: policy?.MaximumEventAgeInSeconds ?? DEFAULT_RETRY.maximumEventAgeSeconds,
  };
}

/**
 * Queues the deliveries of one event to one rule's targets. Call inside the transaction
 * that accepts the event. A target whose input cannot be rendered is dead-lettered at
 * once (no retry can fix it). Returns how many deliveries were queued.
 */
export function enqueueForRule(ctx: EventsContext, rule: StoredRule, event: Envelope, eventMs: number): number {
  const now = ctx.clock.now().getTime();
  let queued = 0;
  for (const target of ctx.repo.targets(rule.Arn)) {
    const base = deliveryOf(ctx, rule, target, event.id, eventMs, now);
    try {
      const input = renderInput(target, event, { ruleArn: rule.Arn, ruleName: rule.Name, ingestionTime: eventTime(new Date(now)) });
      ctx.queue.enqueue({ ...base, input });
      queued += 1;
    } catch (err) {
      if (!(err instanceof InputError || err instanceof JsonPathError)) throw err;
      const dead: DeadLetter = { ...base, input: JSON.stringify(event), deadAt: now, errorCode: 'InputTransformationFailed', errorMessage: err.message, exhaustedRetryCondition: 'NotRetryable' };
      ctx.queue.deadLetter(dead);
    }
  }
  return queued;
}

function deliveryOf(ctx: EventsContext, rule: StoredRule, target: Target, eventId: string, eventMs: number, now: number): Omit<Delivery, 'input'> {
  const arn = target.Arn ?? '';
  return {
    id: ctx.ids.uuid(),
    origin: 'rule',
    sourceArn: rule.Arn,
    targetId: target.Id ?? '',
    target: {
      arn,
      roleArn: target.RoleArn,
      ecs: targetKind(arn) === 'ecs' && target.EcsParameters ? launchFromEventBridge(target.EcsParameters) : undefined,
      startedBy: `events-rule/${rule.Name}`.slice(0, 128),
    },
    eventId,
    eventTime: eventMs,
    retry: retryOf(target.RetryPolicy),
    deadLetterArn: target.DeadLetterConfig?.Arn,
    attempts: 0,
    nextAttemptAt: now,
  };
}

/** Queues an event's deliveries for every enabled rule on the bus whose pattern it matches. */
export function enqueueMatching(ctx: EventsContext, bus: string, event: Envelope, eventMs: number): number {
  let queued = 0;
  for (const rule of ctx.repo.patternRules(bus)) {
    const pattern = ctx.patterns.get(rule.Arn, rule.EventPattern ?? '');
    if (matchesPattern(pattern, event)) queued += enqueueForRule(ctx, rule, { ...event }, eventMs);
  }
  return queued;
}
