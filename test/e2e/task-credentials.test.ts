/**
 * Task-role credentials: a container running the AWS SDK for JavaScript v3, configured by
 * nothing but the task's environment, reads an uploaded object and writes a result
 * (the seed flow, set up with AWS CLI v2), and completes a Step Functions
 * .waitForTaskToken state. Requests signed with the task's credentials are checked.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, it } from 'vitest';
import { TaskCredentials } from '../../src/iam/index.js';
import { awsCli, type CliResult } from '../helpers/aws-cli.js';
import { ensureNodeSdkImage } from '../helpers/node-image.js';
import { register, run, waitFor } from '../helpers/tasks.js';
import { useSkiff } from '../helpers/use-skiff.js';
import { eventually } from '../helpers/eventually.js';

const env = useSkiff();
const ROLE = 'arn:aws:iam::000000000000:role/uploads-worker';
const NETWORK = { AwsvpcConfiguration: { Subnets: ['subnet-1'], AssignPublicIp: 'ENABLED' } };
let image: string;
let s3: S3Client;
let sfn: SFNClient;

beforeAll(async () => {
  image = await ensureNodeSdkImage();
  const client = { endpoint: env.skiff.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  s3 = new S3Client({ ...client, forcePathStyle: true });
  sfn = new SFNClient(client);
  return () => {
    s3.destroy();
    sfn.destroy();
  };
}, 180_000);

function aws(...args: string[]): CliResult {
  const r = awsCli(env.skiff.endpoint, args);
  expect(r.status, `aws ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

const stopped = (t: Task): boolean => t.lastStatus === 'STOPPED';

/** A task definition whose one container runs the SDK worker with this MODE, under the task role. */
async function sdkTaskDefinition(mode: string, extra: Record<string, string> = {}): Promise<string> {
  const environment = Object.entries({ MODE: mode, ...extra }).map(([name, value]) => ({ name, value }));
  return register(env.ecs, [{ name: 'worker', image, environment }], { taskRoleArn: ROLE });
}

async function logsOf(taskArn: string, family: string): Promise<string[]> {
  const stream = `ecs/worker/${taskArn.split('/').pop() ?? ''}`;
  const r = aws('logs', 'get-log-events', '--log-group-name', `/ecs/${family}`, '--log-stream-name', stream, '--start-from-head');
  return (r.json as { events: { message: string }[] }).events.map((e) => e.message);
}

const familyOf = (tdArn: string): string => tdArn.split('/').pop()?.split(':')[0] ?? '';

describe('a container with the AWS SDK and only its task credentials', () => {
  it('reads the uploaded object that started it and writes a result object', async () => {
    const td = await sdkTaskDefinition('s3');
    aws('s3api', 'create-bucket', '--bucket', 'creds-uploads');
    aws('s3api', 'put-bucket-notification-configuration', '--bucket', 'creds-uploads', '--notification-configuration', '{"EventBridgeConfiguration":{}}');
    const pattern = { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: ['creds-uploads'] }, object: { key: [{ prefix: 'uploads/' }] } } };
    aws('events', 'put-rule', '--name', 'process-upload', '--event-pattern', JSON.stringify(pattern));
    const target = {
      Id: 'worker',
      Arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
      RoleArn: 'arn:aws:iam::000000000000:role/ecsEventsRole',
      EcsParameters: { TaskDefinitionArn: td, TaskCount: 1, LaunchType: 'FARGATE', NetworkConfiguration: { awsvpcConfiguration: { Subnets: ['subnet-1'] } } },
      InputTransformer: {
        InputPathsMap: { bucket: '$.detail.bucket.name', key: '$.detail.object.key' },
        InputTemplate:
          '{"containerOverrides":[{"name":"worker","environment":[{"name":"S3_BUCKET","value":<bucket>},{"name":"S3_KEY","value":<key>}]}]}',
      },
    };
    aws('events', 'put-targets', '--rule', 'process-upload', '--targets', JSON.stringify([target]));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-creds-'));
    try {
      writeFileSync(path.join(dir, 'order.txt'), 'three apples\n');
      aws('s3', 'cp', path.join(dir, 'order.txt'), 's3://creds-uploads/uploads/order.txt');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const taskArn = await eventually('the task the upload started', async () => {
      const out = await env.ecs.send(new ListTasksCommand({ startedBy: 'events-rule/process-upload', desiredStatus: 'STOPPED' }));
      return out.taskArns?.[0];
    });
    const done = await waitFor(env.ecs, taskArn, stopped);
    const logs = await logsOf(taskArn, familyOf(td));
    expect(done.containers?.[0]?.exitCode, logs.join('\n')).toBe(0);
    expect(logs).toContain('wrote results for uploads/order.txt');
    const result = await s3.send(new GetObjectCommand({ Bucket: 'creds-uploads', Key: 'results/order.txt' }));
    expect(await result.Body?.transformToString()).toBe('processed uploads/order.txt: THREE APPLES');
  }, 180_000);

  it('is refused when it signs with a wrong secret, and cannot fetch another task credentials', async () => {
    aws('s3api', 'put-object', '--bucket', 'creds-uploads', '--key', 'private/secret.txt');
    const td = await sdkTaskDefinition('forged', { S3_BUCKET: 'creds-uploads', S3_KEY: 'private/secret.txt' });
    const task = await run(env.ecs, td);
    const done = await waitFor(env.ecs, task.taskArn ?? '', stopped);
    const logs = await logsOf(task.taskArn ?? '', familyOf(td));
    expect(done.containers?.[0]?.exitCode, logs.join('\n')).toBe(0);
    expect(logs).toContain('forged request: refused with SignatureDoesNotMatch');
    expect(logs).toContain("another task's credentials: HTTP 404");
  }, 120_000);

  it('completes a .waitForTaskToken state with SendTaskSuccess from inside the container', async () => {
    const td = await sdkTaskDefinition('sfn');
    const definition = {
      StartAt: 'Wait for the worker',
      States: {
        'Wait for the worker': {
          Type: 'Task',
          Resource: 'arn:aws:states:::ecs:runTask.waitForTaskToken',
          Parameters: {
            Cluster: 'default',
            TaskDefinition: td,
            LaunchType: 'FARGATE',
            NetworkConfiguration: NETWORK,
            Overrides: {
              ContainerOverrides: [
                {
                  Name: 'worker',
                  Environment: [
                    { Name: 'TASK_TOKEN', 'Value.$': '$$.Task.Token' },
                    { Name: 'PAYLOAD', 'Value.$': '$.order' },
                  ],
                },
              ],
            },
          },
          TimeoutSeconds: 120,
          End: true,
        },
      },
    };
    const sm = await sfn.send(new CreateStateMachineCommand({ name: 'callback', roleArn: 'arn:aws:iam::000000000000:role/sfn', definition: JSON.stringify(definition) }));
    const exec = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, input: '{"order":"o-17"}' }));
    const d = await eventually('the execution to finish', async () => {
      const out = await sfn.send(new DescribeExecutionCommand({ executionArn: exec.executionArn }));
      return out.status === 'RUNNING' ? undefined : out;
    }, 120);
    expect(d.status, d.cause).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '{}')).toEqual({ from: 'container', input: 'o-17' });
  }, 180_000);
});

/**
 * The same credentials in AWS CLI v2 (botocore signs them its own way), made here from the
 * data directory's secret exactly as the agent makes them for a task.
 */
describe('AWS CLI v2 with task credentials', () => {
  const TASK = 'arn:aws:ecs:us-east-1:000000000000:task/default/00000000000000000000000000000001';

  function cliWith(creds: { AccessKeyId: string; SecretAccessKey: string; Token: string }, ...args: string[]): CliResult {
    return awsCli(env.skiff.endpoint, args, undefined, {
      AWS_ACCESS_KEY_ID: creds.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey,
      AWS_SESSION_TOKEN: creds.Token,
    });
  }

  it('signs requests and presigned URLs that Skiff accepts, and a tampered one is refused', async () => {
    const creds = new TaskCredentials(readFileSync(`${env.skiff.dataDir}/agent-secret`)).issue(TASK, ROLE, new Date());
    aws('s3api', 'create-bucket', '--bucket', 'cli-signed');
    const put = cliWith(creds, 's3api', 'put-object', '--bucket', 'cli-signed', '--key', 'a dir/x+y.txt', '--body', '/etc/hostname');
    expect(put.status, put.stderr).toBe(0);
    const listed = cliWith(creds, 'ecs', 'list-clusters');
    expect(listed.status, listed.stderr).toBe(0);
    const presign = cliWith(creds, 's3', 'presign', 's3://cli-signed/a dir/x+y.txt', '--expires-in', '300');
    expect(presign.status, presign.stderr).toBe(0);
    const url = presign.stdout.trim();
    expect(url).toContain('X-Amz-Security-Token=');
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe(readFileSync('/etc/hostname', 'utf8'));
    const tampered = await fetch(url.replace('X-Amz-Expires=300', 'X-Amz-Expires=301'));
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const wrong = cliWith({ ...creds, SecretAccessKey: 'x'.repeat(40) }, 'ecs', 'list-clusters');
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toContain('InvalidSignatureException');
  });
});
