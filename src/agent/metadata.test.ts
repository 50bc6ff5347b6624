import { describe, expect, it } from 'vitest';
import type { StoredTask, StoredTaskDefinition } from '../store/index.js';
import { containerMetadata, rfc3339Nano, taskMetadata, type MetadataOptions, type RuntimeView } from './metadata.js';

const TASK_ID = '0123456789abcdef0123456789abcdef';
const TASK_ARN = `arn:aws:ecs:us-east-1:000000000000:task/default/${TASK_ID}`;
const CLUSTER_ARN = 'arn:aws:ecs:us-east-1:000000000000:cluster/default';
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const at = (ms: number): Date => new Date(T0 + ms);

/** Field names from AWS's "task metadata v4 JSON response for tasks on Fargate". */
const TASK_FIELDS = [
  'Cluster', 'ServiceName', 'TaskARN', 'Family', 'Revision', 'DesiredStatus', 'KnownStatus', 'Limits',
  'PullStartedAt', 'PullStoppedAt', 'AvailabilityZone', 'LaunchType', 'EphemeralStorageMetrics', 'Containers',
  'ClockDrift', 'ExecutionStoppedAt',
];
const CONTAINER_FIELDS = [
  'DockerId', 'Name', 'DockerName', 'Image', 'ImageID', 'Ports', 'Labels', 'DesiredStatus', 'KnownStatus', 'ExitCode',
  'Limits', 'CreatedAt', 'StartedAt', 'FinishedAt', 'Type', 'LogDriver', 'LogOptions', 'ContainerARN', 'Networks',
  'Snapshotter', 'Health',
];
const V4_ONLY_TASK = ['LaunchType', 'ServiceName', 'ClockDrift', 'EphemeralStorageMetrics'];
const V4_ONLY_CONTAINER = ['LogDriver', 'LogOptions', 'ContainerARN', 'Snapshotter'];
/** As the agent writes times: "2020-10-02T00:43:06.31288465Z". */
const RFC3339_NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z$/;

function taskDefinition(): StoredTaskDefinition {
  return {
    family: 'web',
    revision: 3,
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:3',
    status: 'ACTIVE',
    registeredAt: at(-60_000),
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      {
        name: 'app',
        image: 'skiff-test/busybox:latest',
        cpu: 128,
        memory: 256,
        portMappings: [{ containerPort: 8080 }],
        dockerLabels: { team: 'payments' },
        healthCheck: { command: ['CMD-SHELL', 'true'] },
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-region': 'us-east-1',
            'awslogs-group': '/ecs/web',
            'awslogs-stream-prefix': 'ecs',
            'awslogs-create-group': 'true',
          },
        },
      },
      { name: 'migrate', image: 'skiff-test/busybox:latest', essential: false },
    ],
  };
}

function runningTask(): StoredTask {
  const container = (name: string, extra: object): NonNullable<StoredTask['containers']>[number] => ({
    containerArn: `arn:aws:ecs:us-east-1:000000000000:container/default/${TASK_ID}/${name}-uuid`,
    taskArn: TASK_ARN,
    name,
    image: 'skiff-test/busybox:latest',
    networkInterfaces: [{ attachmentId: 'att', privateIpv4Address: '172.17.0.5' }],
    ...extra,
  });
  return {
    taskArn: TASK_ARN,
    clusterArn: CLUSTER_ARN,
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:3',
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    createdAt: at(-10_000),
    pullStartedAt: at(-9_000),
    pullStoppedAt: at(-8_500),
    startedAt: at(-5_000),
    cpu: '256',
    memory: '512',
    group: 'service:api',
    launchType: 'FARGATE',
    availabilityZone: 'us-east-1a',
    ephemeralStorage: { sizeInGiB: 20 },
    version: 4,
    containers: [
      container('app', { runtimeId: 'a'.repeat(64), lastStatus: 'RUNNING', cpu: '128', memory: '256', healthStatus: 'UNKNOWN' }),
      container('migrate', { runtimeId: 'b'.repeat(64), lastStatus: 'STOPPED', exitCode: 1, cpu: '0' }),
    ],
    runtime: { sandboxId: 'c'.repeat(64), ipAddress: '172.17.0.5' },
  };
}

const views = new Map<string, RuntimeView>([
  ['app', { status: 'running', startedAt: at(-6_000 + 120), finishedAt: undefined, health: 'healthy' }],
  ['migrate', { status: 'exited', startedAt: at(-7_000), finishedAt: at(-6_500 + 5), health: undefined }],
]);
const v4: MetadataOptions = { version: 4, now: at(1_234), runtime: views };
const v3: MetadataOptions = { ...v4, version: 3 };

describe('taskMetadata (version 4)', () => {
  const body = taskMetadata(runningTask(), taskDefinition(), v4);

  it('uses only the field names AWS documents, with their types', () => {
    for (const key of Object.keys(body)) expect(TASK_FIELDS).toContain(key);
    for (const c of body.Containers) for (const key of Object.keys(c)) expect(CONTAINER_FIELDS).toContain(key);
    expect(typeof body.Revision).toBe('string');
    expect(body.PullStartedAt).toMatch(RFC3339_NANO);
    expect(body.PullStoppedAt).toMatch(RFC3339_NANO);
    for (const c of body.Containers) {
      expect(c.StartedAt).toMatch(RFC3339_NANO);
      expect(c.CreatedAt).toBe(c.StartedAt);
      expect(typeof c.Limits.CPU).toBe('number');
    }
  });

  it('describes the task as Fargate does', () => {
    expect(body).toMatchObject({
      Cluster: CLUSTER_ARN,
      TaskARN: TASK_ARN,
      Family: 'web',
      Revision: '3',
      DesiredStatus: 'RUNNING',
      KnownStatus: 'RUNNING',
      Limits: { CPU: 0.25, Memory: 512 },
      PullStartedAt: '2026-01-01T11:59:51Z',
      PullStoppedAt: '2026-01-01T11:59:51.5Z',
      AvailabilityZone: 'us-east-1a',
      LaunchType: 'FARGATE',
      ServiceName: 'api',
      ClockDrift: { ClockErrorBound: 0, ReferenceTimestamp: '2026-01-01T12:00:01Z', ClockSynchronizationStatus: 'SYNCHRONIZED' },
      EphemeralStorageMetrics: { Utilized: 0, Reserved: 20480 },
    });
    expect(body.Containers.map((c) => c.Name)).toEqual(['app', 'migrate']);
    expect(body.ExecutionStoppedAt).toBeUndefined();
  });

  it('describes a running container with a health check, ports and awslogs', () => {
    const app = body.Containers[0];
    expect(app).toEqual({
      DockerId: 'a'.repeat(64),
      Name: 'app',
      DockerName: 'app',
      Image: 'skiff-test/busybox:latest',
      ImageID: '',
      Ports: [{ ContainerPort: 8080, Protocol: 'tcp', HostPort: 8080 }],
      Labels: {
        'com.amazonaws.ecs.cluster': CLUSTER_ARN,
        'com.amazonaws.ecs.container-name': 'app',
        'com.amazonaws.ecs.task-arn': TASK_ARN,
        'com.amazonaws.ecs.task-definition-family': 'web',
        'com.amazonaws.ecs.task-definition-version': '3',
        team: 'payments',
      },
      DesiredStatus: 'RUNNING',
      KnownStatus: 'RUNNING',
      Limits: { CPU: 128, Memory: 256 },
      CreatedAt: '2026-01-01T11:59:54.12Z',
      StartedAt: '2026-01-01T11:59:54.12Z',
      Type: 'NORMAL',
      Networks: [
        {
          NetworkMode: 'awsvpc',
          IPv4Addresses: ['172.17.0.5'],
          AttachmentIndex: 0,
          MACAddress: '02:42:ac:11:00:05',
          IPv4SubnetCIDRBlock: '172.17.0.0/16',
          PrivateDNSName: 'ip-172-17-0-5.ec2.internal',
          SubnetGatewayIpv4Address: '172.17.0.1/16',
        },
      ],
      Health: { status: 'HEALTHY' },
      LogDriver: 'awslogs',
      LogOptions: {
        'awslogs-create-group': 'true',
        'awslogs-group': '/ecs/web',
        'awslogs-region': 'us-east-1',
        'awslogs-stream': `ecs/app/${TASK_ID}`,
      },
      ContainerARN: `arn:aws:ecs:us-east-1:000000000000:container/default/${TASK_ID}/app-uuid`,
      Snapshotter: 'overlayfs',
    });
    // Go writes map keys in order; so does Skiff
    expect(Object.keys(app?.Labels ?? {})).toEqual(Object.keys(app?.Labels ?? {}).sort());
  });

  it('describes an exited container with its exit code and finish time, and no health or memory limit', () => {
    const migrate = body.Containers[1];
    expect(migrate).toMatchObject({ KnownStatus: 'STOPPED', DesiredStatus: 'RUNNING', ExitCode: 1, Limits: { CPU: 2 } });
    expect(migrate?.FinishedAt).toBe('2026-01-01T11:59:53.505Z');
    expect(migrate?.Health).toBeUndefined();
    expect(migrate?.Ports).toBeUndefined();
    expect(migrate?.LogDriver).toBeUndefined();
    expect(body.Containers[0]?.ExitCode).toBeUndefined();
    expect(body.Containers[0]?.FinishedAt).toBeUndefined();
  });

  it('gives one container the same answer as its entry in the task', () => {
    expect(containerMetadata(runningTask(), taskDefinition(), 'migrate', v4)).toEqual(body.Containers[1]);
    expect(containerMetadata(runningTask(), taskDefinition(), 'nope', v4)).toBeUndefined();
  });
});

describe('taskMetadata (version 3)', () => {
  it('leaves out what version 4 added', () => {
    const body = taskMetadata(runningTask(), taskDefinition(), v3);
    for (const key of V4_ONLY_TASK) expect(body).not.toHaveProperty(key);
    for (const c of body.Containers) {
      for (const key of V4_ONLY_CONTAINER) expect(c).not.toHaveProperty(key);
      expect(c.Networks).toEqual([{ NetworkMode: 'awsvpc', IPv4Addresses: ['172.17.0.5'] }]);
    }
    expect(body.Containers[0]?.Health).toEqual({ status: 'HEALTHY' });
  });
});

describe('states and gaps', () => {
  it('leaves out a health status the check has not decided, and falls back to the stored one without a runtime view', () => {
    const starting = new Map(views).set('app', { ...views.get('app')!, health: 'starting' });
    expect(taskMetadata(runningTask(), taskDefinition(), { ...v4, runtime: starting }).Containers[0]?.Health).toEqual({});
    const task = runningTask();
    task.containers![0]!.healthStatus = 'UNHEALTHY';
    const app = taskMetadata(task, taskDefinition(), { version: 4, now: at(0) }).Containers[0];
    expect(app?.Health).toEqual({ status: 'UNHEALTHY' });
    expect(app?.StartedAt).toBeUndefined();
    expect(app?.CreatedAt).toBeUndefined();
  });

  it('speaks the agent\'s states for a task still starting', () => {
    const task = runningTask();
    task.lastStatus = 'PROVISIONING';
    task.pullStartedAt = undefined;
    task.pullStoppedAt = undefined;
    task.runtime = {};
    for (const c of task.containers ?? []) Object.assign(c, { runtimeId: undefined, lastStatus: 'PENDING', exitCode: undefined, networkInterfaces: [] });
    const none = taskMetadata(task, taskDefinition(), { version: 4, now: at(0) });
    expect(none.KnownStatus).toBe('NONE');
    expect(none.Containers.map((c) => [c.KnownStatus, c.DockerId, c.Networks, c.Ports])).toEqual([
      ['NONE', '', undefined, undefined],
      ['NONE', '', undefined, undefined],
    ]);
    task.lastStatus = 'PENDING';
    task.pullStoppedAt = at(0);
    expect(taskMetadata(task, taskDefinition(), v4).KnownStatus).toBe('PULLED');
    task.containers![0]!.runtimeId = 'a'.repeat(64);
    const created = taskMetadata(task, taskDefinition(), v4);
    expect([created.KnownStatus, created.Containers[0]?.KnownStatus, created.Containers[1]?.KnownStatus]).toEqual(['CREATED', 'CREATED', 'PULLED']);
  });

  it('reports a stopping task as RUNNING until its containers stop, and the desired STOPPED on every container', () => {
    const task = runningTask();
    task.lastStatus = 'DEACTIVATING';
    task.desiredStatus = 'STOPPED';
    const body = taskMetadata(task, taskDefinition(), v4);
    expect([body.DesiredStatus, body.KnownStatus]).toEqual(['STOPPED', 'RUNNING']);
    expect(body.Containers.map((c) => c.DesiredStatus)).toEqual(['STOPPED', 'STOPPED']);
    task.containers![0]!.lastStatus = 'STOPPED';
    task.lastStatus = 'STOPPED';
    task.executionStoppedAt = at(9_000);
    const stopped = taskMetadata(task, taskDefinition(), v4);
    expect([stopped.KnownStatus, stopped.ExecutionStoppedAt]).toEqual(['STOPPED', '2026-01-01T12:00:09Z']);
  });

  it('names no service for a task outside one, and uses the regional DNS scheme outside us-east-1', () => {
    const task = runningTask();
    task.group = 'family:web';
    task.taskArn = task.taskArn.replace('us-east-1', 'eu-west-3');
    const body = taskMetadata(task, taskDefinition(), v4);
    expect(body).not.toHaveProperty('ServiceName');
    expect(body.Containers[0]?.Networks?.[0]?.PrivateDNSName).toBe('ip-172-17-0-5.eu-west-3.compute.internal');
  });
});

describe('rfc3339Nano', () => {
  it('writes times as Go does: UTC, no trailing zeros in the fraction', () => {
    expect(rfc3339Nano(new Date('2026-01-01T00:00:00.000Z'))).toBe('2026-01-01T00:00:00Z');
    expect(rfc3339Nano(new Date('2026-01-01T00:00:10.000Z'))).toBe('2026-01-01T00:00:10Z');
    expect(rfc3339Nano(new Date('2026-01-01T00:00:00.100Z'))).toBe('2026-01-01T00:00:00.1Z');
    expect(rfc3339Nano(new Date('2026-01-01T00:00:00.012Z'))).toBe('2026-01-01T00:00:00.012Z');
  });
});
