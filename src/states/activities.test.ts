import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsError } from '../core/index.js';
import { StatesHarness } from './harness.test-support.js';

let h: StatesHarness;
beforeEach(async () => {
  h = await new StatesHarness().open();
});
afterEach(async () => {
  await h.close();
  h.cleanup();
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return err instanceof AwsError ? err.code : String(err);
  }
  return 'no error';
}

async function activityMachine(name: string, task: Record<string, unknown> = {}): Promise<{ activityArn: string; machineArn: string }> {
  const { activityArn } = await h.call<{ activityArn: string }>('CreateActivity', { name: `${name}-act` });
  const machineArn = await h.machine(name, { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: activityArn, End: true, ...task } } });
  return { activityArn, machineArn };
}

describe('activities', () => {
  it('hands the task to a polling worker and finishes with its output', async () => {
    const { activityArn, machineArn } = await activityMachine('job');
    const e = await h.start(machineArn, { n: 1 });
    const task = await h.call<{ taskToken?: string; input?: string }>('GetActivityTask', { activityArn, workerName: 'w1' });
    expect(task.input).toBe('{"n":1}');
    await h.call('SendTaskSuccess', { taskToken: task.taskToken, output: '{"result":"ecs done"}' });
    expect(await h.finished(e)).toMatchObject({ status: 'SUCCEEDED', output: '{"result":"ecs done"}' });
    expect(await h.historyTypes(e)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
    const hist = await h.call<{ events: Record<string, unknown>[] }>('GetExecutionHistory', { executionArn: e });
    expect(hist.events[3]).toMatchObject({ activityStartedEventDetails: { workerName: 'w1' } });
    expect(await code(h.call('SendTaskSuccess', { taskToken: task.taskToken, output: '{}' }))).toBe('TaskTimedOut');
  });

  it('wakes a waiting poller when a task is scheduled, and answers {} when none comes', async () => {
    const { activityArn, machineArn } = await activityMachine('late');
    const polling = h.call<{ taskToken?: string }>('GetActivityTask', { activityArn });
    await new Promise((r) => setTimeout(r, 50));
    await h.start(machineArn);
    expect((await polling).taskToken).toBeTypeOf('string');
    const started = Date.now();
    expect(await h.call('GetActivityTask', { activityArn })).toEqual({});
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it('fails the state on SendTaskFailure, and the Catch sees error and cause', async () => {
    const { activityArn } = await h.call<{ activityArn: string }>('CreateActivity', { name: 'fails' });
    const m = await h.machine('catcher', {
      StartAt: 'Work',
      States: { Work: { Type: 'Task', Resource: activityArn, Catch: [{ ErrorEquals: ['Bad'], Next: 'H', ResultPath: '$.err' }], End: true }, H: { Type: 'Pass', End: true } },
    });
    const e = await h.start(m, { k: 1 });
    const t = await h.call<{ taskToken: string }>('GetActivityTask', { activityArn });
    await h.call('SendTaskFailure', { taskToken: t.taskToken, error: 'Bad', cause: 'disk full' });
    expect(JSON.parse((await h.finished(e)).output ?? '')).toEqual({ k: 1, err: { Error: 'Bad', Cause: 'disk full' } });
  });

  it('times out without heartbeats, and then refuses the late token', async () => {
    const { activityArn, machineArn } = await activityMachine('hb', { TimeoutSeconds: 30, HeartbeatSeconds: 1 });
    const e = await h.start(machineArn);
    const t = await h.call<{ taskToken: string }>('GetActivityTask', { activityArn });
    await new Promise((r) => setTimeout(r, 600));
    await h.call('SendTaskHeartbeat', { taskToken: t.taskToken });
    await new Promise((r) => setTimeout(r, 600));
    expect((await h.describe(e)).status).toBe('RUNNING');
    expect(await h.finished(e, 3000)).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    expect(await code(h.call('SendTaskSuccess', { taskToken: t.taskToken, output: '{}' }))).toBe('TaskTimedOut');
    expect((await h.historyTypes(e)).slice(-2)).toEqual(['ActivityTimedOut', 'ExecutionFailed']);
  });

  it('answers InvalidToken, TaskDoesNotExist and InvalidOutput as AWS does', async () => {
    expect(await code(h.call('SendTaskSuccess', { taskToken: 'garbage', output: '{}' }))).toBe('InvalidToken');
    const fake = Buffer.from(JSON.stringify({ e: 'arn', k: 'task:0:1:0', n: 'x' })).toString('base64url');
    expect(await code(h.call('SendTaskSuccess', { taskToken: fake, output: '{}' }))).toBe('TaskDoesNotExist');
    const { activityArn, machineArn } = await activityMachine('out');
    await h.start(machineArn);
    const t = await h.call<{ taskToken: string }>('GetActivityTask', { activityArn });
    expect(await code(h.call('SendTaskSuccess', { taskToken: t.taskToken, output: 'not json' }))).toBe('InvalidOutput');
    expect(await code(h.call('GetActivityTask', { activityArn: `${activityArn}-gone` }))).toBe('ActivityDoesNotExist');
  });

  it('lists, describes and deletes activities', async () => {
    const a = await h.call<{ activityArn: string }>('CreateActivity', { name: 'one' });
    await h.call('CreateActivity', { name: 'two' });
    const page = await h.call<{ activities: { name: string }[]; nextToken?: string }>('ListActivities', { maxResults: 1 });
    expect(page.activities.map((x) => x.name)).toEqual(['one']);
    const rest = await h.call<{ activities: { name: string }[] }>('ListActivities', { nextToken: page.nextToken });
    expect(rest.activities.map((x) => x.name)).toEqual(['two']);
    expect(await h.call('DescribeActivity', { activityArn: a.activityArn })).toMatchObject({ name: 'one' });
    await h.call('DeleteActivity', { activityArn: a.activityArn });
    expect(await code(h.call('DescribeActivity', { activityArn: a.activityArn }))).toBe('ActivityDoesNotExist');
  });
});

describe('durability', () => {
  it('resumes after a restart: a Wait keeps its deadline and an activity token stays valid', async () => {
    const { activityArn } = await h.call<{ activityArn: string }>('CreateActivity', { name: 'durable' });
    const m = await h.machine('durable', {
      StartAt: 'W',
      States: {
        W: { Type: 'Wait', Seconds: 1, Next: 'Work' },
        Work: { Type: 'Task', Resource: activityArn, ResultPath: '$.worker', Next: 'Done' },
        Done: { Type: 'Pass', Parameters: { 'in.$': '$.in', 'worker.$': '$.worker' }, End: true },
      },
    });
    const e = await h.start(m, { in: 'x' });
    const started = Date.now();
    await h.restart();
    expect((await h.describe(e)).status).toBe('RUNNING');
    const t = await h.call<{ taskToken: string }>('GetActivityTask', { activityArn });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await h.restart();
    await h.call('SendTaskSuccess', { taskToken: t.taskToken, output: '{"ok":true}' });
    expect(JSON.parse((await h.finished(e)).output ?? '')).toEqual({ in: 'x', worker: { ok: true } });
    expect(await h.historyTypes(e)).toEqual([
      'ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded',
      'TaskStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
    ]);
  });

  it('fires a Wait whose deadline passed while stopped, once', async () => {
    const m = await h.machine('late-wait', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, End: true } } });
    const e = await h.start(m);
    await h.close();
    await new Promise((r) => setTimeout(r, 1200));
    await h.open();
    expect(await h.finished(e)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await h.historyTypes(e)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'ExecutionSucceeded']);
  });
});
