import { spawn } from 'node:child_process';
import path from 'node:path';
import {
  CreateActivityCommand, CreateStateMachineCommand, DescribeExecutionCommand, GetActivityTaskCommand, GetExecutionHistoryCommand, SendTaskSuccessCommand,
  SFNClient, StartExecutionCommand, StartSyncExecutionCommand, type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { awsCli } from '../helpers/aws-cli.js';
import { startSkiff, tempDataDir, type SkiffProcess } from '../helpers/skiff-process.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ROLE = 'arn:aws:iam::000000000000:role/StatesExecutionRole';
const REGION = 'ap-southeast-2';
const dirs: (() => void)[] = [];
afterAll(() => dirs.forEach((cleanup) => cleanup()));

function tmp(): string {
  const t = tempDataDir();
  dirs.push(t.cleanup);
  return t.dir;
}

function sfn(endpoint: string, extra: { disableHostPrefix?: boolean } = {}): SFNClient {
  return new SFNClient({ endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, ...extra });
}

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function finished(c: SFNClient, executionArn: string) {
  return until(() => c.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
}

async function history(c: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  return (await c.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
}

/** The seed article's worker, as written but for the endpoint and credentials (aws-sdk v2). */
const SEED_WORKER = `
var AWS = require('aws-sdk')
var options = {
'region': 'ap-southeast-2',
'endpoint': process.env.SKIFF_ENDPOINT,
'credentials': { accessKeyId: 'test', secretAccessKey: 'test' }
}
var client = new AWS.StepFunctions(options);
var getStepFunctionActivity = () => {
let params = {
activityArn: 'arn:aws:states:ap-southeast-2::activity:run-ecs-task'
}
return client.getActivityTask(params).promise()
}
var reportBack = (token) => {
let params = {
taskToken: token,
output: JSON.stringify({result: 'ecs done'})
}
return client.sendTaskSuccess(params).promise()
}
var executeTask = () => {
return new Promise(resolve => {
setTimeout(() => {
resolve('job done')
}, 10000)
})
}
var execute = async () => {
while (true) {
var task = await getStepFunctionActivity()
if (task.taskToken) {
await executeTask()
await reportBack(task.taskToken)
break
}
}
}
execute()
`;

function runWorker(endpoint: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', SEED_WORKER], { cwd: ROOT, env: { ...process.env, SKIFF_ENDPOINT: endpoint }, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code));
  });
}

describe('the seed article: an activity worker on aws-sdk v2', () => {
  it('picks up the activity with GetActivityTask and reports with SendTaskSuccess; the history shows the 10 s of work', async () => {
    const skiff = await startSkiff(tmp(), ['--driver', 'fake', '--region', REGION]);
    const c = sfn(skiff.endpoint);
    try {
      const { activityArn } = await c.send(new CreateActivityCommand({ name: 'run-ecs-task' }));
      const definition = {
        Comment: 'Incorporate Fargate into Step Functions',
        StartAt: 'trigger-ecs',
        States: {
          'trigger-ecs': { Type: 'Pass', Result: 'ECS has been triggered.', ResultPath: '$.trigger', Next: 'execute-ecs' },
          'execute-ecs': { Type: 'Task', Resource: activityArn, End: true },
        },
      };
      const { stateMachineArn } = await c.send(new CreateStateMachineCommand({ name: 'fargate-worker', definition: JSON.stringify(definition), roleArn: ROLE }));
      const worker = runWorker(skiff.endpoint);
      const { executionArn } = await c.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
      expect(await worker).toBe(0);
      const d = await finished(c, executionArn ?? '');
      expect(d).toMatchObject({ status: 'SUCCEEDED', output: JSON.stringify({ result: 'ecs done' }) });
      const events = await history(c, executionArn ?? '');
      expect(events.map((e) => e.type)).toEqual([
        'ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted',
        'ActivitySucceeded', 'TaskStateExited', 'ExecutionSucceeded',
      ]);
      const started = events.find((e) => e.type === 'ActivityStarted');
      const succeeded = events.find((e) => e.type === 'ActivitySucceeded');
      expect((succeeded?.timestamp?.getTime() ?? 0) - (started?.timestamp?.getTime() ?? 0)).toBeGreaterThanOrEqual(9_900);
      expect(succeeded?.activitySucceededEventDetails?.output).toBe('{"result":"ecs done"}');
      expect(events[4]).toMatchObject({ id: 5, previousEventId: 4, activityScheduledEventDetails: { resource: activityArn, input: '{"trigger":"ECS has been triggered."}' } });
    } finally {
      c.destroy();
      await skiff.stop();
    }
  });
});

describe('AWS CLI v2 and SDK v3', () => {
  it('create-state-machine, start-execution, describe-execution, get-execution-history; StartSyncExecution with disableHostPrefix', async () => {
    const skiff = await startSkiff(tmp(), ['--driver', 'fake']);
    try {
      const def = JSON.stringify({ StartAt: 'Greet', States: { Greet: { Type: 'Pass', Parameters: { 'msg.$': "States.Format('Hello, {}!', $.who)" }, End: true } } });
      const created = awsCli(skiff.endpoint, ['stepfunctions', 'create-state-machine', '--name', 'greeter', '--definition', def, '--role-arn', ROLE]);
      expect(created.status, created.stderr).toBe(0);
      const arn = (created.json as { stateMachineArn: string }).stateMachineArn;
      const started = awsCli(skiff.endpoint, ['stepfunctions', 'start-execution', '--state-machine-arn', arn, '--name', 'cli', '--input', '{"who":"CLI"}']);
      expect(started.status, started.stderr).toBe(0);
      const exec = (started.json as { executionArn: string }).executionArn;
      const described = await until(
        async () => awsCli(skiff.endpoint, ['stepfunctions', 'describe-execution', '--execution-arn', exec]).json as { status: string; output?: string },
        (d) => d.status !== 'RUNNING',
      );
      expect(described).toMatchObject({ status: 'SUCCEEDED', output: '{"msg":"Hello, CLI!"}' });
      const hist = awsCli(skiff.endpoint, ['stepfunctions', 'get-execution-history', '--execution-arn', exec, '--reverse-order']);
      const types = (hist.json as { events: { type: string }[] }).events.map((e) => e.type);
      expect(types).toEqual(['ExecutionSucceeded', 'PassStateExited', 'PassStateEntered', 'ExecutionStarted']);
      const bad = awsCli(skiff.endpoint, ['stepfunctions', 'create-state-machine', '--name', 'bad', '--definition', '{"StartAt":"X","States":{}}', '--role-arn', ROLE]);
      expect(bad.stderr).toMatch(/InvalidDefinition/);

      const c = sfn(skiff.endpoint.replace(/:\/\/[^:]+/, '://127.0.0.1'), { disableHostPrefix: true });
      const fast = await c.send(new CreateStateMachineCommand({ name: 'fast', type: 'EXPRESS', roleArn: ROLE, definition: def }));
      const sync = await c.send(new StartSyncExecutionCommand({ stateMachineArn: fast.stateMachineArn, input: '{"who":"SDK"}' }));
      expect(sync).toMatchObject({ status: 'SUCCEEDED', output: '{"msg":"Hello, SDK!"}' });
      c.destroy();
    } finally {
      await skiff.stop();
    }
  });
});

const durableDefinition = (activityArn: string): string =>
  JSON.stringify({
    StartAt: 'Wait',
    States: {
      Wait: { Type: 'Wait', Seconds: 3, Next: 'Work' },
      Work: { Type: 'Task', Resource: activityArn, ResultPath: '$.work', Next: 'Sum' },
      Sum: { Type: 'Pass', Parameters: { 'total.$': 'States.MathAdd($.a, $.work.b)', 'id.$': '$$.Execution.Name' }, End: true },
    },
  });

/** Runs the durable machine; `crash` is called while the Wait runs and again while the activity is pending. */
async function runDurable(dir: string, name: string, crash: (s: SkiffProcess) => Promise<SkiffProcess>): Promise<{ output?: string; types: string[] }> {
  let skiff = await startSkiff(dir, ['--driver', 'fake']);
  let c = sfn(skiff.endpoint);
  const { activityArn } = await c.send(new CreateActivityCommand({ name: 'durable-work' }));
  const { stateMachineArn } = await c.send(new CreateStateMachineCommand({ name: 'durable', definition: durableDefinition(activityArn ?? ''), roleArn: ROLE }));
  const { executionArn } = await c.send(new StartExecutionCommand({ stateMachineArn, name, input: '{"a":40}' }));
  await new Promise((r) => setTimeout(r, 1000));
  const reconnect = async (s: SkiffProcess): Promise<void> => {
    c.destroy();
    skiff = await crash(s);
    c = sfn(skiff.endpoint);
  };
  await reconnect(skiff);
  const task = await c.send(new GetActivityTaskCommand({ activityArn, workerName: 'durable-worker' }));
  expect(task.taskToken).toBeTypeOf('string');
  await reconnect(skiff);
  await c.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"b":2}' }));
  const d = await finished(c, executionArn ?? '');
  const types = (await history(c, executionArn ?? '')).map((e) => e.type ?? '');
  c.destroy();
  await skiff.stop();
  return { output: d.output, types };
}

describe('kill -9 of skiff up mid-execution', () => {
  it('finishes with the same output and history as an uninterrupted run (a Wait, then a pending activity)', async () => {
    const clean = await runDurable(tmp(), 'same-name', async (s) => s);
    const dir = tmp();
    const crashed = await runDurable(dir, 'same-name', async (s) => {
      await s.kill();
      return startSkiff(dir, ['--driver', 'fake']);
    });
    expect(clean.output).toBe('{"total":42,"id":"same-name"}');
    expect(crashed).toEqual(clean);
    expect(crashed.types).toContain('ActivityStarted');
  });
});
