/** Step Functions states that run ECS tasks on real Docker: ecs:runTask.sync with Retry and Catch. */
import { spawnSync } from 'node:child_process';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecsClient } from '../helpers/sdk.js';
import { SKIFF_BIN, startSkiff, tempDataDir, type SkiffProcess } from '../helpers/skiff-process.js';
import { register } from '../helpers/tasks.js';

let skiff: SkiffProcess;
let cleanup: () => void;
let sfn: SFNClient;
let ecs: ReturnType<typeof ecsClient>;

beforeAll(async () => {
  const tmp = tempDataDir();
  cleanup = tmp.cleanup;
  skiff = await startSkiff(tmp.dir);
  ecs = ecsClient(skiff.endpoint);
  sfn = new SFNClient({ endpoint: skiff.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});

afterAll(async () => {
  sfn.destroy();
  ecs.destroy();
  await skiff.stop();
  cleanup();
});

async function runMachine(name: string, definition: object): Promise<{ arn: string; status: string; output?: string; error?: string; cause?: string }> {
  const sm = await sfn.send(new CreateStateMachineCommand({ name, roleArn: 'arn:aws:iam::000000000000:role/sfn', definition: JSON.stringify(definition) }));
  const exec = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, input: '{"n": 1}' }));
  const deadline = Date.now() + 90_000;
  for (;;) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: exec.executionArn }));
    if (d.status !== 'RUNNING') return { arn: exec.executionArn ?? '', status: d.status ?? '', output: d.output, error: d.error, cause: d.cause };
    if (Date.now() > deadline) throw new Error('the execution did not finish');
    await new Promise((r) => setTimeout(r, 300));
  }
}

function runTaskState(taskDefinition: string, extra: object = {}): object {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::ecs:runTask.sync',
    Parameters: {
      Cluster: 'default',
      TaskDefinition: taskDefinition,
      LaunchType: 'FARGATE',
      NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ['subnet-1'], AssignPublicIp: 'ENABLED' } },
    },
    ...extra,
  };
}

describe('ecs:runTask.sync on real Docker', () => {
  it('succeeds with the described task as output when the container exits 0', async () => {
    const td = await register(ecs, [{ name: 'job', command: ['sh', '-c', 'echo working; exit 0'] }]);
    const r = await runMachine('sync-ok', { StartAt: 'Run', States: { Run: { ...runTaskState(td), End: true } } });
    expect(r.status, r.cause).toBe('SUCCEEDED');
    const task = JSON.parse(r.output ?? '{}') as { LastStatus: string; Containers: Array<{ ExitCode: number }>; TaskArn: string };
    expect(task.LastStatus).toBe('STOPPED');
    expect(task.Containers[0]?.ExitCode).toBe(0);
    expect(task.TaskArn).toMatch(/:task\/default\/[0-9a-f]{32}$/);
  });

  it('fails with States.TaskFailed on exit 1, retries with backoff, and a Catch routes it', async () => {
    const td = await register(ecs, [{ name: 'job', command: ['sh', '-c', 'exit 1'] }]);
    const r = await runMachine('sync-fail', {
      StartAt: 'Run',
      States: {
        Run: {
          ...runTaskState(td, {
            Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 1, BackoffRate: 2 }],
            Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Handled' }],
          }),
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    const out = JSON.parse(r.output ?? '{}') as { n: number; error: { Error: string; Cause: string } };
    expect(out.n).toBe(1);
    expect(out.error.Error).toBe('States.TaskFailed');
    expect(JSON.parse(out.error.Cause).Containers[0].ExitCode).toBe(1);
    // skiff execution draws the path: the task state, then the Catch's Pass state
    const drawn = spawnSync(process.execPath, [SKIFF_BIN, 'execution', r.arn, '--endpoint', skiff.endpoint], { encoding: 'utf8' });
    expect(drawn.status, drawn.stderr).toBe(0);
    expect(drawn.stdout).toMatch(/SUCCEEDED/);
    expect(drawn.stdout).toMatch(/├─ Run \(Task\).*✗ TaskFailed/);
    expect(drawn.stdout).toMatch(/├─ Handled \(Pass\)/);
    const listed = spawnSync(process.execPath, [SKIFF_BIN, 'executions', '--endpoint', skiff.endpoint], { encoding: 'utf8' });
    expect(listed.stdout).toMatch(/sync-fail\s+SUCCEEDED/);
    // one retry: two tasks ran
    const arns = await ecs.send(new (await import('@aws-sdk/client-ecs')).ListTasksCommand({ family: td.split('/')[1]?.split(':')[0], desiredStatus: 'STOPPED' }));
    expect(arns.taskArns).toHaveLength(2);
  });
});
