import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ecsTarget, harness, taskDefinitionGone, type Harness } from '../test-support.js';
import { backoffDelay, DEFAULT_BACKOFF } from './dispatcher.js';

let h: Harness;
beforeEach(() => {
  h = harness({ backoff: { baseMs: 1_000, capMs: 8_000 } });
  h.call('PutRule', { Name: 'r', EventPattern: '{"source":["app"]}' });
});
afterEach(() => h.close());

const put = (): void => {
  h.call('PutEvents', { Entries: [{ Source: 'app', DetailType: 'x', Detail: '{"key":"k"}' }] });
};

interface DeadLetters {
  DeadLetters: {
    Id: string;
    SourceArn: string;
    TargetArn: string;
    DeadLetterArn?: string;
    Attempts: number;
    RetryAttempts: number;
    ErrorCode: string;
    ErrorMessage: string;
    ExhaustedRetryCondition: string;
    Input: string;
  }[];
  NextToken?: string;
}

/** Moves the clock to each due retry and attempts it, until the queue is empty. */
async function retryUntilEmpty(maxSteps = 50): Promise<number> {
  let attempts = 0;
  for (let i = 0; i < maxSteps; i++) {
    attempts += await h.events.runDueDeliveries();
    const next = h.store.db.prepare<[], { at: number | null }>('SELECT min(next_attempt_at) AS at FROM events_deliveries').get()?.at;
    if (next === null || next === undefined) return attempts;
    h.clock.advance(Math.max(0, next - h.clock.now().getTime()));
  }
  throw new Error('the queue never emptied');
}

describe('retries and dead letters', () => {
  it('retries a failing ECS target with backoff, then dead-letters it with the error', async () => {
    h.call('PutTargets', { Rule: 'r', Targets: [ecsTarget({ RetryPolicy: { MaximumRetryAttempts: 3 }, DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:dlq' } })] });
    h.ecs.failWith = taskDefinitionGone();
    put();
    expect(await h.events.runDueDeliveries()).toBe(1);
    // not retried before its backoff has passed
    expect(await h.events.runDueDeliveries()).toBe(0);
    expect(await retryUntilEmpty()).toBe(3);
    expect(h.ecs.calls).toHaveLength(4);
    // every attempt carried the same client token: a retry never starts the tasks twice
    expect(new Set(h.ecs.calls.map((c) => c.clientToken)).size).toBe(1);
    const dl = h.skiff<DeadLetters>('ListDeadLetters', {});
    expect(dl.DeadLetters).toEqual([
      expect.objectContaining({
        SourceArn: 'arn:aws:events:us-east-1:000000000000:rule/r',
        TargetArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
        DeadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:dlq',
        Attempts: 4,
        RetryAttempts: 3,
        ErrorCode: 'InvalidParameterException',
        ErrorMessage: 'TaskDefinition not found.',
        ExhaustedRetryCondition: 'MaximumRetryAttempts',
      }),
    ]);
    expect(h.skiff<DeadLetters>('ListDeadLetters', { DeadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:other' }).DeadLetters).toEqual([]);
  });

  it('waits longer between each retry, within the cap', async () => {
    h.call('PutTargets', { Rule: 'r', Targets: [ecsTarget({ RetryPolicy: { MaximumRetryAttempts: 5 } })] });
    h.ecs.failWith = taskDefinitionGone();
    put();
    const gaps: number[] = [];
    await h.events.runDueDeliveries();
    for (let i = 0; i < 5; i++) {
      const at = h.store.db.prepare<[], { at: number }>('SELECT next_attempt_at AS at FROM events_deliveries').get()?.at ?? 0;
      gaps.push(at - h.clock.now().getTime());
      h.clock.advance(at - h.clock.now().getTime());
      await h.events.runDueDeliveries();
    }
    gaps.forEach((g, i) => {
      const full = Math.min(8_000, 1_000 * 2 ** i);
      expect(g).toBeGreaterThanOrEqual(full / 2);
      expect(g).toBeLessThanOrEqual(full);
    });
  });

  it('dead-letters a delivery that outlives MaximumEventAgeInSeconds', async () => {
    h.call('PutTargets', { Rule: 'r', Targets: [ecsTarget({ RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 60 } })] });
    h.ecs.failWith = taskDefinitionGone();
    put();
    await retryUntilEmpty();
    const [dl] = h.skiff<DeadLetters>('ListDeadLetters', {}).DeadLetters;
    expect(dl).toMatchObject({ ExhaustedRetryCondition: 'MaximumEventAgeInSeconds', ErrorCode: 'InvalidParameterException' });
    expect(dl?.Attempts).toBeGreaterThan(1);
    expect(dl?.Attempts).toBeLessThan(20);
  });

  it('delivers once the target recovers, and redrives a dead letter', async () => {
    h.call('PutTargets', { Rule: 'r', Targets: [ecsTarget({ RetryPolicy: { MaximumRetryAttempts: 0 } })] });
    h.ecs.failWith = taskDefinitionGone();
    put();
    await h.events.runDueDeliveries();
    const [dl] = h.skiff<DeadLetters>('ListDeadLetters', {}).DeadLetters;
    expect(dl?.Attempts).toBe(1);
    h.ecs.failWith = undefined;
    expect(h.skiff('RedriveDeadLetters', { Ids: [dl?.Id ?? ''] })).toEqual({ Redriven: 1 });
    expect(await h.events.runDueDeliveries()).toBe(1);
    expect(h.skiff<DeadLetters>('ListDeadLetters', {}).DeadLetters).toEqual([]);
    expect(h.ecs.calls).toHaveLength(2);
  });

  it('pages and deletes dead letters', async () => {
    h.call('PutTargets', { Rule: 'r', Targets: [ecsTarget({ RetryPolicy: { MaximumRetryAttempts: 0 } })] });
    h.ecs.failWith = taskDefinitionGone();
    for (let i = 0; i < 3; i++) put();
    await h.events.runDueDeliveries();
    const first = h.skiff<DeadLetters>('ListDeadLetters', { MaxResults: 2 });
    expect(first.DeadLetters).toHaveLength(2);
    const second = h.skiff<DeadLetters>('ListDeadLetters', { MaxResults: 2, NextToken: first.NextToken });
    expect(second.DeadLetters).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    expect(h.skiff('DeleteDeadLetters', { Ids: first.DeadLetters.map((d) => d.Id) })).toEqual({ Deleted: 2 });
    expect(h.skiff<DeadLetters>('ListDeadLetters', {}).DeadLetters).toHaveLength(1);
  });
});

describe('backoffDelay', () => {
  it('is deterministic per delivery and attempt, and grows to the cap', () => {
    expect(backoffDelay(DEFAULT_BACKOFF, 'a', 1)).toBe(backoffDelay(DEFAULT_BACKOFF, 'a', 1));
    for (let n = 1; n <= 20; n++) {
      const d = backoffDelay(DEFAULT_BACKOFF, `id-${n}`, n);
      const full = Math.min(DEFAULT_BACKOFF.capMs, DEFAULT_BACKOFF.baseMs * 2 ** (n - 1));
      expect(d).toBeGreaterThanOrEqual(full / 2);
      expect(d).toBeLessThanOrEqual(full);
    }
  });
});
