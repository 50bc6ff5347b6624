import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ListTasksCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, type CliResult } from '../helpers/aws-cli.js';
import { ecsClient } from '../helpers/sdk.js';
import { startSkiff, tempDataDir, type SkiffProcess } from '../helpers/skiff-process.js';
import { describe1, register, stopped, waitFor } from '../helpers/tasks.js';
import { eventually } from '../helpers/eventually.js';

/**
 * EventBridge and EventBridge Scheduler end to end: the AWS CLI v2 configures rules,
 * targets and schedules on `skiff up` (with --min-schedule-rate lowered through its
 * environment variable so a schedule fires within the test), and real tasks run on Docker.
 */
let skiff: SkiffProcess;
let dataDir = '';
let cleanup: () => void;
let ecs: ECSClient;
let taskDefinition = '';
let family = '';
const CLUSTER = 'arn:aws:ecs:us-east-1:000000000000:cluster/default';
const NETWORK = { awsvpcConfiguration: { Subnets: ['subnet-local'], AssignPublicIp: 'ENABLED' } };

beforeAll(async () => {
  const tmp = tempDataDir();
  cleanup = tmp.cleanup;
  dataDir = tmp.dir;
  await start();
  taskDefinition = await register(ecs, [{ name: 'worker', command: ['sh', '-c', 'echo "key=$S3_KEY"'] }]);
  family = taskDefinition.split('/')[1]?.split(':')[0] ?? '';
});

/** Starts (or restarts) skiff on the test's data directory with a 2 s minimum schedule rate. */
async function start(): Promise<void> {
  process.env['SKIFF_MIN_SCHEDULE_RATE'] = '2s';
  try {
    skiff = await startSkiff(dataDir);
  } finally {
    delete process.env['SKIFF_MIN_SCHEDULE_RATE'];
  }
  ecs = ecsClient(skiff.endpoint);
}

afterAll(async () => {
  ecs.destroy();
  await skiff.stop();
  cleanup();
});

function aws(...args: string[]): CliResult {
  const r = awsCli(skiff.endpoint, args);
  expect(r.status, `aws ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

function ecsTarget(id: string, input: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify([
    {
      Id: id,
      Arn: CLUSTER,
      RoleArn: 'arn:aws:iam::000000000000:role/ecsEventsRole',
      EcsParameters: { TaskDefinitionArn: taskDefinition, TaskCount: 1, LaunchType: 'FARGATE', NetworkConfiguration: NETWORK },
      ...input,
      ...extra,
    },
  ]);
}

const keyOverrides = (path: string): Record<string, unknown> => ({
  InputTransformer: {
    InputPathsMap: { key: path },
    InputTemplate: '{"containerOverrides":[{"name":"worker","environment":[{"name":"S3_KEY","value":<key>}]}]}',
  },
});

/** Tasks started with this startedBy, running or stopped. */
async function startedBy(who: string): Promise<string[]> {
  const arns: string[] = [];
  for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
    const out = await ecs.send(new ListTasksCommand({ startedBy: who, desiredStatus }));
    arns.push(...(out.taskArns ?? []));
  }
  return arns;
}

async function firstTask(who: string, count = 1): Promise<string[]> {
  return eventually(`${count} task(s) started by ${who}`, async () => {
    const arns = await startedBy(who);
    return arns.length >= count ? arns : undefined;
  });
}

/** The job's output, from CloudWatch Logs. */
async function outputOf(taskArn: string): Promise<string[]> {
  const done: Task = await waitFor(ecs, taskArn, stopped);
  expect(done.containers?.[0]?.exitCode).toBe(0);
  const logs = aws('logs', 'get-log-events', '--log-group-name', `/ecs/${family}`, '--log-stream-name', `ecs/worker/${taskArn.split('/').pop() ?? ''}`, '--start-from-head');
  return (logs.json as { events: { message: string }[] }).events.map((e) => e.message);
}

describe('EventBridge rules with ECS targets', () => {
  it('runs a task per matching event, with overrides built by the InputTransformer; others start nothing', async () => {
    const pattern = JSON.stringify({ source: ['app.uploads'], detail: { key: [{ prefix: 'uploads/' }] } });
    aws('events', 'put-rule', '--name', 'on-upload', '--event-pattern', pattern);
    aws('events', 'put-targets', '--rule', 'on-upload', '--targets', ecsTarget('worker', keyOverrides('$.detail.key')));
    const entries = [
      { Source: 'app.uploads', DetailType: 'Upload', Detail: JSON.stringify({ key: 'uploads/a.csv' }) },
      { Source: 'app.uploads', DetailType: 'Upload', Detail: JSON.stringify({ key: 'other/b.csv' }) },
      { Source: 'app.elsewhere', DetailType: 'Upload', Detail: JSON.stringify({ key: 'uploads/c.csv' }) },
    ];
    const put = aws('events', 'put-events', '--entries', JSON.stringify(entries));
    expect(put.json).toMatchObject({ FailedEntryCount: 0 });

    const [arn] = await firstTask('events-rule/on-upload');
    const task = await describe1(ecs, arn ?? '');
    expect(task.overrides?.containerOverrides).toEqual([{ name: 'worker', environment: [{ name: 'S3_KEY', value: 'uploads/a.csv' }] }]);
    expect(await outputOf(arn ?? '')).toContain('key=uploads/a.csv');
    expect(await startedBy('events-rule/on-upload')).toHaveLength(1);

    const described = aws('events', 'describe-rule', '--name', 'on-upload');
    expect(described.json).toMatchObject({ Name: 'on-upload', State: 'ENABLED', EventPattern: pattern });
    const test = aws('events', 'test-event-pattern', '--event-pattern', pattern, '--event', JSON.stringify({ id: '1', account: '000000000000', source: 'app.uploads', time: '2026-01-01T00:00:00Z', region: 'us-east-1', resources: [], 'detail-type': 'Upload', detail: { key: 'uploads/z' } }));
    expect(test.json).toEqual({ Result: true });
  });

  it('runs a scheduled rule on its rate', async () => {
    aws('events', 'put-rule', '--name', 'tick', '--schedule-expression', 'rate(2 seconds)');
    aws('events', 'put-targets', '--rule', 'tick', '--targets', ecsTarget('tick', { Input: JSON.stringify({ containerOverrides: [{ name: 'worker', environment: [{ name: 'S3_KEY', value: 'from-schedule' }] }] }) }));
    const arns = await firstTask('events-rule/tick', 2);
    aws('events', 'disable-rule', '--name', 'tick');
    expect(await outputOf(arns[0] ?? '')).toContain('key=from-schedule');
  });

  it('keeps a delivery to a missing task definition in the dead-letter list, with the error', async () => {
    aws('events', 'put-rule', '--name', 'broken', '--event-pattern', JSON.stringify({ source: ['app.broken'] }));
    const missing = 'arn:aws:ecs:us-east-1:000000000000:task-definition/does-not-exist:1';
    const target = JSON.parse(ecsTarget('ghost', {}, { RetryPolicy: { MaximumRetryAttempts: 1 }, DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:events-dlq' } })) as [{ EcsParameters: { TaskDefinitionArn: string } }];
    target[0].EcsParameters.TaskDefinitionArn = missing;
    aws('events', 'put-targets', '--rule', 'broken', '--targets', JSON.stringify(target));
    aws('events', 'put-events', '--entries', JSON.stringify([{ Source: 'app.broken', DetailType: 'x', Detail: '{}' }]));
    const dead = await eventually('a dead letter', async () => {
      const res = await fetch(`${skiff.endpoint}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SkiffEvents.ListDeadLetters' },
        body: JSON.stringify({ DeadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:events-dlq' }),
      });
      const body = (await res.json()) as { DeadLetters: Record<string, unknown>[] };
      return body.DeadLetters[0];
    });
    expect(dead).toMatchObject({
      SourceArn: 'arn:aws:events:us-east-1:000000000000:rule/broken',
      TargetArn: CLUSTER,
      Attempts: 2,
      ErrorCode: 'InvalidParameterException',
      ErrorMessage: 'TaskDefinition not found.',
      ExhaustedRetryCondition: 'MaximumRetryAttempts',
    });
  });
});

describe('EventBridge Scheduler with an ECS target', () => {
  it('fires a one-time at() schedule with Input as the task overrides', async () => {
    const when = new Date(Date.now() + 3_000).toISOString().slice(0, 19);
    const target = {
      Arn: CLUSTER,
      RoleArn: 'arn:aws:iam::000000000000:role/scheduler',
      EcsParameters: { TaskDefinitionArn: taskDefinition, LaunchType: 'FARGATE', NetworkConfiguration: NETWORK },
      Input: JSON.stringify({ containerOverrides: [{ name: 'worker', environment: [{ name: 'S3_KEY', value: 'from-scheduler' }] }] }),
    };
    const created = aws('scheduler', 'create-schedule', '--name', 'once', '--schedule-expression', `at(${when})`, '--flexible-time-window', 'Mode=OFF', '--target', JSON.stringify(target));
    expect(created.json).toEqual({ ScheduleArn: 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/once' });
    expect(aws('scheduler', 'get-schedule', '--name', 'once').json).toMatchObject({ Name: 'once', State: 'ENABLED', ScheduleExpression: `at(${when})` });
    const [arn] = await firstTask('scheduler/default/once');
    expect(await outputOf(arn ?? '')).toContain('key=from-scheduler');
    const missing = awsCli(skiff.endpoint, ['scheduler', 'get-schedule', '--name', 'nope']);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/ResourceNotFoundException/);
  });
});

describe('the seed flow: an upload to S3 runs a task that processes it', () => {
  it('runs a task for a file under uploads/, with its key, and nothing for other prefixes', async () => {
    aws('s3api', 'create-bucket', '--bucket', 'seed-uploads');
    aws('s3api', 'put-bucket-notification-configuration', '--bucket', 'seed-uploads', '--notification-configuration', '{"EventBridgeConfiguration":{}}');
    const pattern = { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: ['seed-uploads'] }, object: { key: [{ prefix: 'uploads/' }] } } };
    aws('events', 'put-rule', '--name', 'seed', '--event-pattern', JSON.stringify(pattern));
    aws('events', 'put-targets', '--rule', 'seed', '--targets', ecsTarget('seed', keyOverrides('$.detail.object.key')));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-seed-'));
    try {
      const file = path.join(dir, 'report.csv');
      writeFileSync(file, 'a,b\n1,2\n');
      aws('s3', 'cp', file, 's3://seed-uploads/uploads/report.csv');
      aws('s3', 'cp', file, 's3://seed-uploads/archive/report.csv');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const [arn] = await firstTask('events-rule/seed');
    expect(await outputOf(arn ?? '')).toContain('key=uploads/report.csv');
    expect(await startedBy('events-rule/seed')).toHaveLength(1);
  });
});

describe('restarts', () => {
  it('fires a one-time schedule whose time passed while skiff was down, once; a rate fires no burst', async () => {
    const target = {
      Arn: CLUSTER,
      RoleArn: 'arn:aws:iam::000000000000:role/scheduler',
      EcsParameters: { TaskDefinitionArn: taskDefinition, LaunchType: 'FARGATE', NetworkConfiguration: NETWORK },
      Input: JSON.stringify({ containerOverrides: [{ name: 'worker', environment: [{ name: 'S3_KEY', value: 'while-down' }] }] }),
    };
    const when = new Date(Date.now() + 3_000).toISOString().slice(0, 19);
    aws('scheduler', 'create-schedule', '--name', 'while-down', '--schedule-expression', `at(${when})`, '--flexible-time-window', 'Mode=OFF', '--target', JSON.stringify(target));
    aws('events', 'put-rule', '--name', 'steady', '--schedule-expression', 'rate(2 seconds)');
    aws('events', 'put-targets', '--rule', 'steady', '--targets', ecsTarget('steady', {}));
    const beforeStop = (await startedBy('events-rule/steady')).length;
    ecs.destroy();
    expect(await skiff.stop()).toBe(0);
    await new Promise((r) => setTimeout(r, 9_000)); // the at() time passes; four runs of the rate are missed
    await start();
    const restartedAt = Date.now();
    const [arn] = await firstTask('scheduler/default/while-down');
    expect(await outputOf(arn ?? '')).toContain('key=while-down');
    const runs = (await startedBy('events-rule/steady')).length - beforeStop;
    const seconds = (Date.now() - restartedAt) / 1000;
    aws('events', 'disable-rule', '--name', 'steady');
    // at most one late run, then the regular ones: the missed runs are not fired in a burst
    expect(runs).toBeLessThanOrEqual(Math.floor(seconds / 2) + 2);
    expect(await startedBy('scheduler/default/while-down')).toHaveLength(1);
  });
});
