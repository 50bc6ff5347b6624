import type { PutEventsResponse } from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLUSTER, ecsTarget, failure, harness, T0, TASK_DEF, type Harness } from './test-support.js';

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(() => h.close());

const PATTERN = JSON.stringify({ source: ['app.uploads'], detail: { key: [{ prefix: 'uploads/' }] } });
const put = (key: string, extra: Record<string, unknown> = {}): PutEventsResponse =>
  h.call<PutEventsResponse>('PutEvents', { Entries: [{ Source: 'app.uploads', DetailType: 'Upload', Detail: JSON.stringify({ key }), ...extra }] });

describe('buses and rules', () => {
  it('has the default bus, and custom buses come and go', () => {
    expect(h.call('DescribeEventBus', {})).toMatchObject({ Name: 'default', Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default' });
    expect(h.call('CreateEventBus', { Name: 'orders' })).toEqual({ EventBusArn: 'arn:aws:events:us-east-1:000000000000:event-bus/orders' });
    expect(failure(() => h.call('CreateEventBus', { Name: 'orders' })).code).toBe('ResourceAlreadyExistsException');
    expect(h.call<{ EventBuses: { Name: string }[] }>('ListEventBuses', {}).EventBuses.map((b) => b.Name)).toEqual(['default', 'orders']);
    expect(failure(() => h.call('DeleteEventBus', { Name: 'default' })).message).toMatch(/Cannot delete event bus default/);
    h.call('DeleteEventBus', { Name: 'orders' });
    expect(failure(() => h.call('DescribeEventBus', { Name: 'orders' })).code).toBe('ResourceNotFoundException');
  });

  it('puts, describes, lists (with pages), disables and deletes rules', () => {
    expect(h.call('PutRule', { Name: 'on-upload', EventPattern: PATTERN })).toEqual({ RuleArn: 'arn:aws:events:us-east-1:000000000000:rule/on-upload' });
    h.call('CreateEventBus', { Name: 'orders' });
    expect(h.call('PutRule', { Name: 'r1', EventBusName: 'orders', EventPattern: PATTERN })).toEqual({ RuleArn: 'arn:aws:events:us-east-1:000000000000:rule/orders/r1' });
    for (const n of ['a1', 'a2', 'a3']) h.call('PutRule', { Name: n, EventPattern: PATTERN });
    expect(h.call('DescribeRule', { Name: 'on-upload' })).toMatchObject({ Name: 'on-upload', State: 'ENABLED', EventBusName: 'default', CreatedBy: '000000000000', EventPattern: PATTERN });
    const first = h.call<{ Rules: { Name: string }[]; NextToken?: string }>('ListRules', { NamePrefix: 'a', Limit: 2 });
    expect(first.Rules.map((r) => r.Name)).toEqual(['a1', 'a2']);
    const second = h.call<{ Rules: { Name: string }[]; NextToken?: string }>('ListRules', { NamePrefix: 'a', Limit: 2, NextToken: first.NextToken });
    expect(second).toMatchObject({ Rules: [{ Name: 'a3' }], NextToken: undefined });
    h.call('DisableRule', { Name: 'on-upload' });
    expect(h.call('DescribeRule', { Name: 'on-upload' })).toMatchObject({ State: 'DISABLED' });
    h.call('DeleteRule', { Name: 'on-upload' });
    expect(failure(() => h.call('DescribeRule', { Name: 'on-upload' })).message).toBe('Rule on-upload does not exist on EventBus default.');
  });

  it('refuses bad rules with the errors AWS answers', () => {
    expect(failure(() => h.call('PutRule', { Name: 'x' })).message).toMatch(/EventPattern or ScheduleExpression must be specified/);
    expect(failure(() => h.call('PutRule', { Name: 'x', EventPattern: '{"source": "a"}' }))).toMatchObject({ code: 'InvalidEventPatternException', message: expect.stringMatching(/^Event pattern is not valid\. Reason: /) });
    expect(failure(() => h.call('PutRule', { Name: 'x', ScheduleExpression: 'rate(1 minutes)' })).message).toMatch(/ScheduleExpression is not valid/);
    h.call('CreateEventBus', { Name: 'b' });
    expect(failure(() => h.call('PutRule', { Name: 'x', EventBusName: 'b', ScheduleExpression: 'rate(5 minutes)' })).message).toMatch(/only on the default event bus/);
    expect(failure(() => h.call('PutRule', { Name: 'bad name!', EventPattern: PATTERN })).code).toBe('ValidationException');
    expect(failure(() => h.call('PutRule', { Name: 'x', EventPattern: PATTERN, Bogus: 1 })).message).toMatch(/Unknown parameter 'Bogus'/);
  });

  it('manages targets, and refuses to delete a rule that has some', () => {
    h.call('PutRule', { Name: 'r', EventPattern: PATTERN });
    expect(h.call('PutTargets', { Rule: 'r', Targets: [ecsTarget()] })).toEqual({ FailedEntryCount: 0, FailedEntries: [] });
    expect(h.call<{ Targets: { Id: string }[] }>('ListTargetsByRule', { Rule: 'r' }).Targets.map((t) => t.Id)).toEqual(['worker']);
    expect(h.call('ListRuleNamesByTarget', { TargetArn: CLUSTER })).toMatchObject({ RuleNames: ['r'] });
    expect(failure(() => h.call('DeleteRule', { Name: 'r' })).message).toBe("Rule can't be deleted since it has targets.");
    h.call('RemoveTargets', { Rule: 'r', Ids: ['worker'] });
    h.call('DeleteRule', { Name: 'r' });
  });

  it('validates targets: input kinds, ECS parameters, retry bounds, the per-rule limit', () => {
    h.call('PutRule', { Name: 'r', EventPattern: PATTERN });
    const bad = (t: Record<string, unknown>): string => failure(() => h.call('PutTargets', { Rule: 'r', Targets: [t] })).message;
    expect(bad(ecsTarget({ Input: '{}' }))).toMatch(/Only one of Input, InputPath, or InputTransformer/);
    expect(bad(ecsTarget({ InputTransformer: undefined, Input: 'not json' }))).toMatch(/not valid JSON/);
    expect(bad(ecsTarget({ EcsParameters: undefined }))).toMatch(/EcsParameters/);
    expect(bad(ecsTarget({ RetryPolicy: { MaximumRetryAttempts: 186 } }))).toMatch(/between 0 and 185/);
    expect(bad(ecsTarget({ DeadLetterConfig: { Arn: 'arn:aws:sns:us-east-1:000000000000:t' } }))).toMatch(/SQS queue ARN/);
    expect(failure(() => h.call('PutTargets', { Rule: 'nope', Targets: [ecsTarget()] })).code).toBe('ResourceNotFoundException');
    const six = Array.from({ length: 6 }, (_, i) => ecsTarget({ Id: `t${i}` }));
    expect(failure(() => h.call('PutTargets', { Rule: 'r', Targets: six })).code).toBe('LimitExceededException');
  });

  it('tags rules and buses', () => {
    const { RuleArn } = h.call<{ RuleArn: string }>('PutRule', { Name: 'r', EventPattern: PATTERN, Tags: [{ Key: 'team', Value: 'a' }] });
    h.call('TagResource', { ResourceARN: RuleArn, Tags: [{ Key: 'env', Value: 'dev' }] });
    expect(h.call('ListTagsForResource', { ResourceARN: RuleArn })).toEqual({ Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'a' }] });
    h.call('UntagResource', { ResourceARN: RuleArn, TagKeys: ['team'] });
    expect(h.call('ListTagsForResource', { ResourceARN: RuleArn })).toEqual({ Tags: [{ Key: 'env', Value: 'dev' }] });
    expect(failure(() => h.call('ListTagsForResource', { ResourceARN: 'arn:aws:events:us-east-1:000000000000:rule/ghost' })).code).toBe('ResourceNotFoundException');
  });
});

describe('PutEvents and delivery to ECS', () => {
  beforeEach(() => {
    h.call('PutRule', { Name: 'on-upload', EventPattern: PATTERN });
    h.call('PutTargets', { Rule: 'on-upload', Targets: [ecsTarget()] });
  });

  it('runs a task with the container overrides the InputTransformer builds', async () => {
    const out = put('uploads/a.csv');
    expect(out).toMatchObject({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
    expect(await h.events.runDueDeliveries()).toBe(1);
    expect(h.ecs.calls).toEqual([
      {
        cluster: CLUSTER,
        taskDefinition: TASK_DEF,
        count: 1,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], assignPublicIp: 'ENABLED' } },
        overrides: { containerOverrides: [{ name: 'worker', environment: [{ name: 'S3_KEY', value: 'uploads/a.csv' }] }] },
        startedBy: 'events-rule/on-upload',
        clientToken: expect.stringMatching(/-0$/),
      },
    ]);
    expect(await h.events.runDueDeliveries()).toBe(0);
  });

  it('starts nothing for an event the pattern does not match', async () => {
    put('other/a.csv');
    h.call('PutEvents', { Entries: [{ Source: 'app.other', DetailType: 'Upload', Detail: '{"key":"uploads/x"}' }] });
    expect(await h.events.runDueDeliveries()).toBe(0);
    expect(h.ecs.calls).toEqual([]);
  });

  it('reports bad entries one by one and accepts the rest', () => {
    const out = h.call<PutEventsResponse>('PutEvents', {
      Entries: [
        { Source: 'app.uploads', DetailType: 'Upload', Detail: 'not json' },
        { DetailType: 'Upload', Detail: '{}' },
        { Source: 'aws.s3', DetailType: 'Object Created', Detail: '{}' },
        { Source: 'app.uploads', DetailType: 'Upload', Detail: '{}', EventBusName: 'ghost' },
        { Source: 'app.uploads', DetailType: 'Upload', Detail: '{}' },
      ],
    });
    expect(out.FailedEntryCount).toBe(4);
    expect(out.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual(['MalformedDetail', 'InvalidArgument', 'NotAuthorizedForSourceException', 'ResourceNotFoundException', 'ok']);
  });

  it('answers TestEventPattern', () => {
    const event = JSON.stringify({ id: '1', account: '1', source: 'app.uploads', time: '2026-01-01T00:00:00Z', region: 'us-east-1', resources: [], 'detail-type': 'x', detail: { key: 'uploads/a' } });
    expect(h.call('TestEventPattern', { EventPattern: PATTERN, Event: event })).toEqual({ Result: true });
    expect(h.call('TestEventPattern', { EventPattern: '{"source":["other"]}', Event: event })).toEqual({ Result: false });
    expect(failure(() => h.call('TestEventPattern', { EventPattern: PATTERN, Event: '{"source":"a"}' })).message).toMatch(/missing required field/);
  });

  it('keeps queued deliveries across a restart (they are in SQLite before PutEvents answers)', async () => {
    put('uploads/durable.csv');
    h.restart();
    expect(await h.events.runDueDeliveries()).toBe(1);
    expect(h.ecs.calls[0]?.overrides?.containerOverrides?.[0]?.environment).toEqual([{ name: 'S3_KEY', value: 'uploads/durable.csv' }]);
  });

  it('starts a state machine with the input, named after the delivery', async () => {
    const machine = 'arn:aws:states:us-east-1:000000000000:stateMachine:flow';
    h.call('PutTargets', { Rule: 'on-upload', Targets: [{ Id: 'flow', Arn: machine, InputPath: '$.detail' }] });
    put('uploads/b');
    await h.events.runDueDeliveries();
    expect(h.states.calls).toEqual([{ arn: machine, input: '{"key":"uploads/b"}', name: expect.any(String) }]);
  });

  it('forwards events to another bus', async () => {
    h.call('CreateEventBus', { Name: 'copy' });
    h.call('PutRule', { Name: 'on-copy', EventBusName: 'copy', EventPattern: PATTERN });
    h.call('PutTargets', { Rule: 'on-copy', EventBusName: 'copy', Targets: [ecsTarget({ Id: 'w2' })] });
    h.call('PutTargets', { Rule: 'on-upload', Targets: [{ Id: 'fwd', Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/copy' }] });
    put('uploads/c');
    await h.events.runDueDeliveries();
    await h.events.runDueDeliveries();
    expect(h.ecs.calls.map((c) => c.startedBy)).toEqual(['events-rule/on-upload', 'events-rule/on-copy']);
  });
});

describe('scheduled rules', () => {
  beforeEach(() => {
    h.call('PutRule', { Name: 'every-5', ScheduleExpression: 'rate(5 minutes)' });
    h.call('PutTargets', { Rule: 'every-5', Targets: [ecsTarget({ InputTransformer: undefined })] });
  });

  it('fires on time with a Scheduled Event, not before', async () => {
    h.clock.advance(4 * 60_000);
    expect(h.events.tickSchedules()).toBe(0);
    h.clock.advance(60_000);
    expect(h.events.tickSchedules()).toBe(1);
    expect(h.events.tickSchedules()).toBe(0);
    await h.events.runDueDeliveries();
    expect(h.ecs.calls).toHaveLength(1);
    expect(h.ecs.calls[0]?.overrides).toBeUndefined(); // the event is not a task override
  });

  it('does not fire a burst of missed runs after a restart, and keeps its phase', () => {
    h.restart();
    h.clock.advance(60 * 60_000 + 30_000); // down for an hour: twelve runs missed
    expect(h.events.tickSchedules()).toBe(0);
    const next = h.store.db.prepare<[], { n: number }>('SELECT next_fire_at AS n FROM events_rules').get()?.n;
    expect(next).toBe(T0 + 65 * 60_000);
    h.clock.advance(4 * 60_000 + 30_000);
    expect(h.events.tickSchedules()).toBe(1);
  });

  it('keeps its next run when put again unchanged (CloudFormation-style re-apply)', () => {
    h.clock.advance(3 * 60_000);
    h.call('PutRule', { Name: 'every-5', ScheduleExpression: 'rate(5 minutes)', Description: 'again' });
    h.clock.advance(2 * 60_000);
    expect(h.events.tickSchedules()).toBe(1);
  });

  it('stops firing while disabled and counts from the moment it is enabled again', () => {
    h.call('DisableRule', { Name: 'every-5' });
    h.clock.advance(10 * 60_000);
    expect(h.events.tickSchedules()).toBe(0);
    h.call('EnableRule', { Name: 'every-5' });
    h.clock.advance(5 * 60_000);
    expect(h.events.tickSchedules()).toBe(1);
  });

  it('fires cron rules at their UTC minute', () => {
    h.call('PutRule', { Name: 'noon-ish', ScheduleExpression: 'cron(15 12 * * ? *)' });
    h.call('PutTargets', { Rule: 'noon-ish', Targets: [ecsTarget({ InputTransformer: undefined })] });
    h.clock.advance(14 * 60_000);
    expect(h.events.tickSchedules()).toBe(0);
    h.clock.advance(60_000);
    expect(h.events.tickSchedules()).toBe(2); // 12:15: the cron and the 5-minute rate
  });
});
