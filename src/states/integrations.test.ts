import type { RunTaskRequest, Task } from '@aws-sdk/client-ecs';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { StatesHarness } from './harness.test-support.js';
import type { EcsIntegration, EventsIntegration } from './index.js';
import { StatesStore } from './store.js';

/** An in-process ECS: tasks run until the test finishes them; RunTask is idempotent on its key. */
class FakeEcs implements EcsIntegration {
  readonly tasks = new Map<string, Task>();
  readonly inputs = new Map<string, RunTaskRequest>();
  private readonly byKey = new Map<string, string>();
  runs = 0;
  readonly stopped: string[] = [];

  async runTask(input: RunTaskRequest, key: string): Promise<{ taskArn: string; task: Task }> {
    const known = this.byKey.get(key);
    if (known) return { taskArn: known, task: this.tasks.get(known) as Task };
    this.runs += 1;
    const taskArn = `arn:aws:ecs:us-east-1:000000000000:task/${input.cluster ?? 'default'}/${String(this.runs).padStart(32, '0')}`;
    const task: Task = { taskArn, lastStatus: 'RUNNING', taskDefinitionArn: input.taskDefinition, containers: [{ name: 'app' }], createdAt: new Date(0) };
    this.byKey.set(key, taskArn);
    this.tasks.set(taskArn, task);
    this.inputs.set(taskArn, input);
    return { taskArn, task };
  }

  async describeTask(taskArn: string): Promise<{ task: Task } | undefined> {
    const task = this.tasks.get(taskArn);
    return task ? { task } : undefined;
  }

  async stopTask(taskArn: string): Promise<void> {
    this.stopped.push(taskArn);
    this.finish(taskArn, 143, 'UserInitiated');
  }

  finish(taskArn: string, exitCode: number, stopCode = 'EssentialContainerExited'): void {
    const t = this.tasks.get(taskArn);
    if (t) Object.assign(t, { lastStatus: 'STOPPED', stopCode, containers: [{ name: 'app', exitCode }] });
  }

  async until(cond: () => boolean): Promise<void> {
    for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  }
}

const ecs = new FakeEcs();
const put: PutEventsRequestEntry[] = [];
const events: EventsIntegration = {
  putEvents: async (entries) => {
    put.push(...entries);
    return { FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `ev-${i}` })) };
  },
};
let h: StatesHarness;
afterEach(async () => {
  await h.close();
  h.cleanup();
});

const runTask = (suffix: string, extra: Record<string, unknown> = {}): object => ({
  StartAt: 'Run',
  States: {
    Run: {
      Type: 'Task', Resource: `arn:aws:states:::ecs:runTask${suffix}`, End: true,
      Parameters: { Cluster: 'work', TaskDefinition: 'job:1', LaunchType: 'FARGATE', Overrides: { ContainerOverrides: [{ Name: 'app', Command: ['run'] }] } },
      ...extra,
    },
  },
});

describe('ecs:runTask', () => {
  it('.sync waits for STOPPED and answers the described task; parameters reach ECS in camelCase', async () => {
    h = await new StatesHarness({ ecs }).open();
    const before = ecs.runs;
    const e = await h.start(await h.machine('sync', runTask('.sync')));
    await ecs.until(() => ecs.runs === before + 1);
    const arn = [...ecs.tasks.keys()].pop() as string;
    expect(ecs.inputs.get(arn)).toMatchObject({ cluster: 'work', taskDefinition: 'job:1', launchType: 'FARGATE', overrides: { containerOverrides: [{ name: 'app', command: ['run'] }] } });
    ecs.finish(arn, 0);
    const d = await h.finished(e);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toMatchObject({ TaskArn: arn, LastStatus: 'STOPPED', Containers: [{ Name: 'app', ExitCode: 0 }], CreatedAt: 0 });
    expect(await h.historyTypes(e)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
  });

  it('.sync fails with States.TaskFailed and the task JSON when an essential container exits non-zero', async () => {
    h = await new StatesHarness({ ecs }).open();
    const before = ecs.runs;
    const e = await h.start(await h.machine('fails', runTask('.sync')));
    await ecs.until(() => ecs.runs === before + 1);
    ecs.finish([...ecs.tasks.keys()].pop() as string, 3);
    const d = await h.finished(e);
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(JSON.parse(d.cause ?? '')).toMatchObject({ LastStatus: 'STOPPED', Containers: [{ ExitCode: 3 }] });
  });

  it('re-attaches to the same ECS task after a restart and never starts it twice', async () => {
    h = await new StatesHarness({ ecs }).open();
    const before = ecs.runs;
    const e = await h.start(await h.machine('restart', runTask('.sync')));
    await ecs.until(() => ecs.runs === before + 1);
    await h.restart();
    const arn = [...ecs.tasks.keys()].pop() as string;
    ecs.finish(arn, 0);
    expect((await h.finished(e)).status).toBe('SUCCEEDED');
    expect(ecs.runs).toBe(before + 1);
  });

  it('StopExecution stops the ECS task the state started', async () => {
    h = await new StatesHarness({ ecs }).open();
    const before = ecs.runs;
    const e = await h.start(await h.machine('stop', runTask('.sync')));
    await ecs.until(() => ecs.runs === before + 1);
    const arn = [...ecs.tasks.keys()].pop() as string;
    await h.call('StopExecution', { executionArn: e });
    await ecs.until(() => ecs.stopped.includes(arn));
    expect(ecs.stopped).toContain(arn);
    expect((await h.describe(e)).status).toBe('ABORTED');
  });

  it('.waitForTaskToken passes $$.Task.Token to the container, which reports with SendTaskSuccess', async () => {
    h = await new StatesHarness({ ecs }).open();
    const def = runTask('.waitForTaskToken', {
      Parameters: { Cluster: 'work', TaskDefinition: 'job:1', Overrides: { ContainerOverrides: [{ Name: 'app', Environment: [{ Name: 'TASK_TOKEN', 'Value.$': '$$.Task.Token' }] }] } },
    });
    const before = ecs.runs;
    const e = await h.start(await h.machine('callback', def));
    await ecs.until(() => ecs.runs === before + 1);
    const input = ecs.inputs.get([...ecs.tasks.keys()].pop() as string);
    const token = input?.overrides?.containerOverrides?.[0]?.environment?.[0]?.value;
    expect(token).toBeTypeOf('string');
    await h.call('SendTaskSuccess', { taskToken: token, output: '{"from":"container"}' });
    expect(await h.finished(e)).toMatchObject({ status: 'SUCCEEDED', output: '{"from":"container"}' });
  });

  it('fails clearly when no ECS integration is wired', async () => {
    h = await new StatesHarness().open();
    const d = await h.finished(await h.start(await h.machine('no-ecs', runTask('.sync'))));
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(d.cause).toMatch(/no integration serves 'ecs'/);
  });
});

describe('asynchronous EXPRESS executions', () => {
  const pending = (): string[] => new StatesStore(h.store.db).expressPending().map((p) => p.arn);
  const waitThenRun = { StartAt: 'Wait', States: { Wait: { Type: 'Wait', Seconds: 1, Next: 'Run' }, Run: (runTask('') as { States: { Run: object } }).States.Run } };

  it('run at least once: one cut off by a restart runs again from its start', async () => {
    h = await new StatesHarness({ ecs }).open();
    const machine = await h.machine('express-restart', waitThenRun, { type: 'EXPRESS' });
    const before = ecs.runs;
    const e = await h.start(machine, { n: 1 });
    expect(pending()).toEqual([e]);
    // killed during the Wait: the timer was only in memory
    await h.restart();
    await ecs.until(() => ecs.runs === before + 1);
    expect(ecs.runs).toBe(before + 1);
    await ecs.until(() => pending().length === 0);
    expect(pending()).toEqual([]);
    // and nothing is left to run after another restart
    await h.restart();
    await new Promise((r) => setTimeout(r, 1500));
    expect(ecs.runs).toBe(before + 1);
  });

  it('keep no record once they end, and StartSyncExecution keeps none at all', async () => {
    h = await new StatesHarness({ ecs }).open();
    const machine = await h.machine('express-done', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, { type: 'EXPRESS' });
    await h.start(machine);
    await ecs.until(() => pending().length === 0);
    expect(pending()).toEqual([]);
    await h.call('StartSyncExecution', { stateMachineArn: machine });
    expect(pending()).toEqual([]);
  });
});

describe('states:startExecution and events:putEvents', () => {
  it('.sync:2 runs a child execution and answers its parsed output', async () => {
    h = await new StatesHarness().open();
    const child = await h.machine('child', { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)' }, End: true } } });
    const parent = await h.machine('parent', {
      StartAt: 'Call',
      States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: child, 'Input.$': '$' }, OutputPath: '$.Output', End: true } },
    });
    expect(await h.finished(await h.start(parent, { n: 4 }))).toMatchObject({ status: 'SUCCEEDED', output: '{"doubled":8}' });
  });

  it('a failing child fails the parent state with States.TaskFailed', async () => {
    h = await new StatesHarness().open();
    const child = await h.machine('bad-child', { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'ChildError' } } });
    const parent = await h.machine('parent2', {
      StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: child }, End: true } },
    });
    const d = await h.finished(await h.start(parent));
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(JSON.parse(d.cause ?? '')).toMatchObject({ Status: 'FAILED', Error: 'ChildError' });
  });

  it('events:putEvents sends the entries (Detail as JSON text) and answers the bus result', async () => {
    h = await new StatesHarness({ events }).open();
    const m = await h.machine('emit', {
      StartAt: 'Put',
      States: { Put: { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: { Entries: [{ Source: 'app', DetailType: 'Done', 'Detail.$': '$' }] }, End: true } },
    });
    const d = await h.finished(await h.start(m, { id: 7 }));
    expect(JSON.parse(d.output ?? '')).toEqual({ Entries: [{ EventId: 'ev-0' }], FailedEntryCount: 0 });
    expect(put.pop()).toEqual({ Source: 'app', DetailType: 'Done', Detail: '{"id":7}' });
  });
});
