import { S, shapedOperations, type JsonService, type Shape } from '../api/index.js';
import type { Clock } from '../core/index.js';
import type { DeadLetter, Delivery } from './delivery/model.js';
import { constraint, EventsErrors } from './errors.js';
import type { DeliveryQueue } from './store/queue.js';

/**
 * Skiff's own read of the dead-letter list (AWS would put these messages on the SQS
 * queue of the target's DeadLetterConfig): awsJson 1.1, X-Amz-Target prefix
 * `SkiffEvents`. `skiff events dead-letters` is a client of it.
 */
export const SKIFF_EVENTS_TARGET_PREFIX = 'SkiffEvents';

export interface DeadLetterView {
  Id: string;
  EventId: string;
  Origin: 'rule' | 'schedule';
  SourceArn: string;
  TargetId: string;
  TargetArn: string;
  DeadLetterArn?: string | undefined;
  Input: string;
  Attempts: number;
  RetryAttempts: number;
  ErrorCode: string;
  ErrorMessage: string;
  ExhaustedRetryCondition: string;
  EventTime: Date;
  DeadLetteredAt: Date;
}

const shapes = {
  ListDeadLetters: S.struct({ DeadLetterArn: S.string, SourceArn: S.string, MaxResults: S.integer, NextToken: S.string }),
  DeleteDeadLetters: S.struct({ Ids: S.strings }, ['Ids']),
  RedriveDeadLetters: S.struct({ Ids: S.strings }, ['Ids']),
} satisfies Record<string, Shape>;

/** Operations check their input against its shape before the handler sees it. */
const op = shapedOperations(EventsErrors.ValidationException);

export function deadLetterService(queue: DeliveryQueue, clock: Clock, onQueued: () => void): JsonService {
  return {
    protocol: 'awsJson1_1',
    signingName: 'skiff-events',
    targetPrefix: SKIFF_EVENTS_TARGET_PREFIX,
    serverErrorCode: 'InternalException',
    operations: {
      ListDeadLetters: op(shapes.ListDeadLetters, (i: { DeadLetterArn?: string; SourceArn?: string; MaxResults?: number; NextToken?: string }) => {
        const limit = i.MaxResults ?? 100;
        if (limit < 1 || limit > 100) throw constraint('maxResults', limit, 'have value between 1 and 100');
        const after = i.NextToken ? Number(Buffer.from(i.NextToken, 'base64url').toString()) || 0 : 0;
        const { items } = queue.listDeadLetters({ deadLetterArn: i.DeadLetterArn, sourceArn: i.SourceArn, afterSeq: after, limit: limit + 1 });
        const shown = items.slice(0, limit);
        const last = shown[shown.length - 1];
        const next = items.length > limit && last ? Buffer.from(String(last.seq)).toString('base64url') : undefined;
        return { DeadLetters: shown.map(view), NextToken: next };
      }),
      DeleteDeadLetters: op(shapes.DeleteDeadLetters, (i: { Ids: string[] }) => ({
        Deleted: queue.transaction(() => i.Ids.filter((id) => queue.removeDeadLetter(id)).length),
      })),
      RedriveDeadLetters: op(shapes.RedriveDeadLetters, (i: { Ids: string[] }) => {
        const now = clock.now().getTime();
        const redriven = queue.transaction(() => i.Ids.filter((id) => redrive(queue, id, now)).length);
        if (redriven > 0) onQueued();
        return { Redriven: redriven };
      }),
    },
  };
}

/** Puts a dead letter back on the queue as a fresh delivery (attempts and age start over). */
function redrive(queue: DeliveryQueue, id: string, now: number): boolean {
  const dl = queue.getDeadLetter(id);
  if (!dl) return false;
  queue.removeDeadLetter(id);
  const { deadAt: _d, errorCode: _c, errorMessage: _m, exhaustedRetryCondition: _x, ...rest } = dl;
  const delivery: Delivery = { ...rest, attempts: 0, nextAttemptAt: now, eventTime: now, lastError: undefined };
  queue.enqueue(delivery);
  return true;
}

export function view(d: DeadLetter): DeadLetterView {
  return {
    Id: d.id,
    EventId: d.eventId,
    Origin: d.origin,
    SourceArn: d.sourceArn,
    TargetId: d.targetId,
    TargetArn: d.target.arn,
    DeadLetterArn: d.deadLetterArn,
    Input: d.input,
    Attempts: d.attempts,
    RetryAttempts: Math.max(0, d.attempts - 1),
    ErrorCode: d.errorCode,
    ErrorMessage: d.errorMessage,
    ExhaustedRetryCondition: d.exhaustedRetryCondition,
    EventTime: new Date(d.eventTime),
    DeadLetteredAt: new Date(d.deadAt),
  };
}
