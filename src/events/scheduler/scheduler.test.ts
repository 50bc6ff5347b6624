import {
  ConflictException,
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  SchedulerClient,
  TagResourceCommand,
  UpdateScheduleCommand,
  ValidationException,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Edge } from '../../api/index.js';
import { sequentialIds, silentLogger } from '../../core/index.js';
import { CLUSTER, harness, SCOPE, T0, TASK_DEF, type Harness } from '../test-support.js';

let h: Harness;
let edge: Edge;
let client: SchedulerClient;

beforeEach(async () => {
  h = harness();
  edge = new Edge({ scope: SCOPE, ids: sequentialIds(1000), logger: silentLogger, maxBodyBytes: 1 << 20 });
  edge.addRawService(h.events.scheduler.signingName, h.events.scheduler.handler);
  const address = await edge.listen('127.0.0.1', 0);
  client = new SchedulerClient({
    endpoint: `http://127.0.0.1:${address.port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});

afterEach(async () => {
  client.destroy();
  await edge.close();
  h.close();
});

const ecsSchedule = (name: string, expr: string, extra: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput => ({
  Name: name,
  ScheduleExpression: expr,
  FlexibleTimeWindow: { Mode: 'OFF' },
  Target: {
    Arn: CLUSTER,
    RoleArn: 'arn:aws:iam::000000000000:role/scheduler',
    Input: '{"containerOverrides":[{"name":"worker","environment":[{"name":"RUN","value":"<aws.scheduler.scheduled-time>"}]}]}',
    EcsParameters: { TaskDefinitionArn: TASK_DEF, LaunchType: 'FARGATE', NetworkConfiguration: { awsvpcConfiguration: { Subnets: ['subnet-1'] } } },
    RetryPolicy: { MaximumRetryAttempts: 0 },
  },
  ...extra,
});

describe('EventBridge Scheduler over restJson with SDK v3', () => {
  it('creates, gets, updates, lists and deletes schedules', async () => {
    const created = await client.send(new CreateScheduleCommand(ecsSchedule('nightly', 'cron(0 2 * * ? *)', { ScheduleExpressionTimezone: 'Europe/London', Description: 'd' })));
    expect(created.ScheduleArn).toBe('arn:aws:scheduler:us-east-1:000000000000:schedule/default/nightly');
    const got = await client.send(new GetScheduleCommand({ Name: 'nightly' }));
    expect(got).toMatchObject({ Name: 'nightly', GroupName: 'default', State: 'ENABLED', ScheduleExpressionTimezone: 'Europe/London', FlexibleTimeWindow: { Mode: 'OFF' } });
    expect(got.CreationDate).toEqual(new Date(T0));
    await client.send(new UpdateScheduleCommand({ ...ecsSchedule('nightly', 'rate(1 hour)'), State: 'DISABLED' }));
    expect(await client.send(new GetScheduleCommand({ Name: 'nightly' }))).toMatchObject({ ScheduleExpression: 'rate(1 hour)', State: 'DISABLED' });
    await client.send(new CreateScheduleCommand(ecsSchedule('other', 'rate(5 minutes)')));
    const list = await client.send(new ListSchedulesCommand({ NamePrefix: 'n' }));
    expect(list.Schedules?.map((s) => [s.Name, s.State, s.Target?.Arn])).toEqual([['nightly', 'DISABLED', CLUSTER]]);
    const paged = await client.send(new ListSchedulesCommand({ MaxResults: 1 }));
    expect(paged.Schedules).toHaveLength(1);
    expect((await client.send(new ListSchedulesCommand({ MaxResults: 1, NextToken: paged.NextToken }))).Schedules?.[0]?.Name).toBe('other');
    await client.send(new DeleteScheduleCommand({ Name: 'nightly' }));
    await expect(client.send(new GetScheduleCommand({ Name: 'nightly' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('answers errors as the SDK expects them: typed exceptions with messages', async () => {
    await client.send(new CreateScheduleCommand(ecsSchedule('x', 'rate(5 minutes)')));
    const conflict = client.send(new CreateScheduleCommand(ecsSchedule('x', 'rate(5 minutes)')));
    await expect(conflict).rejects.toBeInstanceOf(ConflictException);
    await expect(conflict).rejects.toThrow('Schedule x already exists.');
    await expect(client.send(new CreateScheduleCommand(ecsSchedule('y', 'every day')))).rejects.toBeInstanceOf(ValidationException);
    await expect(client.send(new CreateScheduleCommand(ecsSchedule('y', 'cron(0 2 * * ? *)', { ScheduleExpressionTimezone: 'Mars/Olympus' })))).rejects.toThrow(/Invalid time zone/);
    await expect(client.send(new CreateScheduleCommand(ecsSchedule('y', 'rate(5 minutes)', { GroupName: 'ghost' })))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new CreateScheduleCommand(ecsSchedule('y', 'rate(5 minutes)', { FlexibleTimeWindow: { Mode: 'FLEXIBLE' } })))).rejects.toThrow(/MaximumWindowInMinutes/);
  });

  it('manages groups and their tags; deleting a group deletes its schedules', async () => {
    const { ScheduleGroupArn } = await client.send(new CreateScheduleGroupCommand({ Name: 'batch', Tags: [{ Key: 'team', Value: 'a' }] }));
    expect(ScheduleGroupArn).toBe('arn:aws:scheduler:us-east-1:000000000000:schedule-group/batch');
    await client.send(new TagResourceCommand({ ResourceArn: ScheduleGroupArn, Tags: [{ Key: 'env', Value: 'dev' }] }));
    expect((await client.send(new ListTagsForResourceCommand({ ResourceArn: ScheduleGroupArn }))).Tags).toEqual([
      { Key: 'env', Value: 'dev' },
      { Key: 'team', Value: 'a' },
    ]);
    expect((await client.send(new ListScheduleGroupsCommand({}))).ScheduleGroups?.map((g) => g.Name)).toEqual(['batch', 'default']);
    await client.send(new CreateScheduleCommand(ecsSchedule('in-batch', 'rate(5 minutes)', { GroupName: 'batch' })));
    await client.send(new DeleteScheduleGroupCommand({ Name: 'batch' }));
    expect((await client.send(new ListSchedulesCommand({}))).Schedules).toEqual([]);
    await expect(client.send(new DeleteScheduleGroupCommand({ Name: 'default' }))).rejects.toBeInstanceOf(ValidationException);
  });
});

describe('firing schedules', () => {
  const at = (ms: number): string => `at(${new Date(ms).toISOString().slice(0, 19)})`;

  it('fires a one-time at() schedule once, with Input as the task overrides, then deletes it when asked', async () => {
    await client.send(new CreateScheduleCommand(ecsSchedule('once', at(T0 + 120_000), { ActionAfterCompletion: 'DELETE' })));
    h.clock.advance(119_000);
    expect(h.events.tickSchedules()).toBe(0);
    h.clock.advance(1_000);
    expect(h.events.tickSchedules()).toBe(1);
    await h.events.runDueDeliveries();
    expect(h.ecs.calls).toEqual([
      expect.objectContaining({
        cluster: CLUSTER,
        taskDefinition: TASK_DEF,
        overrides: { containerOverrides: [{ name: 'worker', environment: [{ name: 'RUN', value: '2026-01-01T12:02:00Z' }] }] },
        startedBy: 'scheduler/default/once',
      }),
    ]);
    await expect(client.send(new GetScheduleCommand({ Name: 'once' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('after a restart, fires a passed one-time schedule once and skips the recurring runs it missed', async () => {
    await client.send(new CreateScheduleCommand(ecsSchedule('once', at(T0 + 60_000))));
    await client.send(new CreateScheduleCommand(ecsSchedule('tick', 'rate(10 minutes)', { StartDate: new Date(T0 + 600_000) })));
    h.restart();
    h.clock.advance(3 * 3_600_000); // down three hours
    expect(h.events.tickSchedules()).toBe(1); // the one-time schedule only
    expect(h.events.tickSchedules()).toBe(0);
    h.clock.advance(600_000);
    expect(h.events.tickSchedules()).toBe(1); // the rate resumes on its phase
  });

  it('starts a rate schedule without StartDate at once, and stops at EndDate', async () => {
    await client.send(new CreateScheduleCommand(ecsSchedule('r', 'rate(5 minutes)', { EndDate: new Date(T0 + 11 * 60_000) })));
    const fired: number[] = [];
    for (let m = 0; m <= 20; m++) {
      if (h.events.tickSchedules() > 0) fired.push(m);
      h.clock.advance(60_000);
    }
    expect(fired).toEqual([0, 5, 10]);
  });

  it('delays a FLEXIBLE schedule deterministically within its window', async () => {
    await client.send(new CreateScheduleCommand(ecsSchedule('flex', at(T0 + 60_000), { FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 10 } })));
    h.clock.advance(60_000);
    expect(h.events.tickSchedules()).toBe(1);
    const at1 = h.store.db.prepare<[], { at: number }>('SELECT next_attempt_at AS at FROM events_deliveries').get()?.at ?? 0;
    expect(at1).toBeGreaterThanOrEqual(T0 + 60_000);
    expect(at1).toBeLessThan(T0 + 60_000 + 10 * 60_000);
    expect(await h.events.runDueDeliveries()).toBe(0);
    h.clock.advance(at1 - h.clock.now().getTime());
    expect(await h.events.runDueDeliveries()).toBe(1);
  });

  it('reads cron in the schedule time zone', async () => {
    await client.send(new CreateScheduleCommand(ecsSchedule('ny', 'cron(30 7 * * ? *)', { ScheduleExpressionTimezone: 'America/New_York' })));
    const next = h.store.db.prepare<[], { at: number }>('SELECT next_fire_at AS at FROM scheduler_schedules').get()?.at;
    expect(new Date(next ?? 0).toISOString()).toBe('2026-01-01T12:30:00.000Z');
  });

  it('starts state machines through the universal aws-sdk target', async () => {
    const machine = 'arn:aws:states:us-east-1:000000000000:stateMachine:flow';
    await client.send(
      new CreateScheduleCommand({
        Name: 'sfn',
        ScheduleExpression: at(T0),
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: 'arn:aws:scheduler:::aws-sdk:sfn:startExecution', RoleArn: 'arn:aws:iam::000000000000:role/s', Input: JSON.stringify({ StateMachineArn: machine, Input: '{"a":1}' }) },
      }),
    );
    h.events.tickSchedules();
    await h.events.runDueDeliveries();
    expect(h.states.calls).toEqual([{ arn: machine, input: '{"a":1}', name: expect.any(String) }]);
  });
});
