/**
 * An asynchronous EXPRESS execution cut off by kill -9 runs again after the restart (at
 * least once, as AWS runs them), with AWS CLI v2 and real Docker: its ECS task runs once.
 */
import { ListTasksCommand } from '@aws-sdk/client-ecs';
import { afterAll, describe, expect, it } from 'vitest';
import { awsCliAsync } from '../helpers/aws-cli.js';
import { until } from '../helpers/eventually.js';
import { ecsClient } from '../helpers/sdk.js';
import { startSkiff, tempDataDir, type SkiffProcess } from '../helpers/skiff-process.js';
import { register } from '../helpers/tasks.js';

const tmp = tempDataDir();
let skiff: SkiffProcess | undefined;

afterAll(async () => {
  await skiff?.stop();
  tmp.cleanup();
});

async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const r = await awsCliAsync(skiff!.endpoint, args);
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return (r.json ?? {}) as Record<string, unknown>;
}

async function familyTasks(family: string): Promise<string[]> {
  const ecs = ecsClient(skiff!.endpoint);
  try {
    const arns: string[] = [];
    for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) arns.push(...((await ecs.send(new ListTasksCommand({ family, desiredStatus }))).taskArns ?? []));
    return arns;
  } finally {
    ecs.destroy();
  }
}

describe('asynchronous EXPRESS executions and kill -9', () => {
  it('runs an execution the kill cut off again after the restart; its task runs once', async () => {
    skiff = await startSkiff(tmp.dir);
    const ecs = ecsClient(skiff.endpoint);
    const td = await register(ecs, [{ name: 'job', command: ['sh', '-c', 'echo processed "$ITEM"'] }]);
    ecs.destroy();
    const family = td.split('/')[1]?.split(':')[0] ?? '';
    const definition = {
      StartAt: 'Settle',
      States: {
        Settle: { Type: 'Wait', Seconds: 3, Next: 'Process' },
        Process: {
          Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask', End: true,
          Parameters: {
            Cluster: 'default', TaskDefinition: family, LaunchType: 'FARGATE',
            NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ['subnet-1'] } },
            Overrides: { ContainerOverrides: [{ Name: 'job', Environment: [{ Name: 'ITEM', 'Value.$': '$.item' }] }] },
          },
        },
      },
    };
    const machine = await aws('stepfunctions', 'create-state-machine', '--name', 'express-once', '--type', 'EXPRESS',
      '--role-arn', 'arn:aws:iam::000000000000:role/sfn', '--definition', JSON.stringify(definition));
    const started = await aws('stepfunctions', 'start-execution', '--state-machine-arn', String(machine['stateMachineArn']), '--input', '{"item":"order-7"}');
    expect(String(started['executionArn'])).toMatch(/:express:express-once:/);
    // killed during the Wait, before the task was run
    expect(await familyTasks(family)).toEqual([]);
    await skiff.kill();
    skiff = await startSkiff(tmp.dir);
    await until(async () => (await familyTasks(family)).length > 0, 60, 'the task the execution runs');
    // and only once: a second run would come within the Wait's 3 s
    await new Promise((r) => setTimeout(r, 5000));
    const tasks = await familyTasks(family);
    expect(tasks).toHaveLength(1);
    const described = await aws('ecs', 'describe-tasks', '--tasks', tasks[0]!);
    const overrides = (described['tasks'] as Array<{ overrides: { containerOverrides: Array<{ environment: Array<{ name: string; value: string }> }> } }>)[0]?.overrides;
    expect(overrides?.containerOverrides[0]?.environment).toEqual([{ name: 'ITEM', value: 'order-7' }]);
  });
});
