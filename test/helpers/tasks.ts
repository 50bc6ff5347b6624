import { DescribeTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand, type ContainerDefinition, type ECSClient, type Task } from '@aws-sdk/client-ecs';

export const IMAGE = 'skiff-test/busybox:latest';
export const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-local'], assignPublicIp: 'ENABLED' as const } };

let families = 0;

/** Registers a Fargate task definition with these containers (essential by default). */
export async function register(
  ecs: ECSClient,
  containers: ContainerDefinition[],
  extra: { cpu?: string; memory?: string; taskRoleArn?: string } = {},
): Promise<string> {
  const family = `t${process.pid}-${++families}`;
  const out = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: extra.cpu ?? '256',
      memory: extra.memory ?? '512',
      executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
      ...(extra.taskRoleArn ? { taskRoleArn: extra.taskRoleArn } : {}),
      containerDefinitions: containers.map((c) => ({
        image: IMAGE,
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': `/ecs/${family}`, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' },
        },
        ...c,
      })),
    }),
  );
  return out.taskDefinition?.taskDefinitionArn ?? '';
}

export async function run(ecs: ECSClient, taskDefinition: string): Promise<Task> {
  const out = await ecs.send(new RunTaskCommand({ taskDefinition, launchType: 'FARGATE', networkConfiguration: NETWORK }));
  const task = out.tasks?.[0];
  if (!task) throw new Error(`RunTask returned no task: ${JSON.stringify(out.failures)}`);
  return task;
}

export async function describe1(ecs: ECSClient, taskArn: string): Promise<Task> {
  const out = await ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }));
  const task = out.tasks?.[0];
  if (!task) throw new Error(`DescribeTasks: ${JSON.stringify(out.failures)}`);
  return task;
}

/** Polls DescribeTasks until `until` holds (bounded; the bound is a test failure, not a timing claim). */
export async function waitFor(ecs: ECSClient, taskArn: string, until: (t: Task) => boolean, seconds = 60): Promise<Task> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const t = await describe1(ecs, taskArn);
    if (until(t)) return t;
    if (Date.now() > deadline) throw new Error(`task did not reach the expected state in ${seconds} s: ${JSON.stringify(t, null, 1)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export const stopped = (t: Task): boolean => t.lastStatus === 'STOPPED';
export const running = (t: Task): boolean => t.lastStatus === 'RUNNING';
