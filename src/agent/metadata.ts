import type { Container, ContainerDefinition } from '@aws-sdk/client-ecs';
import { parseArn } from '../core/index.js';
import { parseTaskCpu, parseTaskMemory } from '../ecs/index.js';
import type { ContainerState } from '../runtime/index.js';
import { taskIdOf, type StoredTask, type StoredTaskDefinition } from '../store/index.js';
import { awsvpcNetwork } from './network.js';
import type {
  ContainerMetadata,
  MetadataHealth,
  MetadataLimits,
  MetadataPort,
  MetadataVersion,
  TaskMetadata,
} from './shapes.js';

/** What the agent needs from the runtime about one container (from `driver.inspect`). */
export type RuntimeView = Pick<ContainerState, 'status' | 'startedAt' | 'finishedAt' | 'health'>;

export interface MetadataOptions {
  /** 3 leaves out what version 4 added (launch type, log settings, ENI details, ...). */
  version: MetadataVersion;
  /** When the answer is made: ClockDrift's reference time. */
  now: Date;
  /** The runtime's view of each container, by container name; absent when not created or gone. */
  runtime?: ReadonlyMap<string, RuntimeView | undefined>;
}

/** Docker runs a container with no cpu (or 1) on 2 shares; the agent reports that. */
const MIN_CPU_SHARES = 2;
/** The only snapshotter Skiff's images come through (Fargate's default; the other is `soci`). */
const SNAPSHOTTER = 'overlayfs';
/**
 * Containers read the host's kernel clock, so relative to Skiff they have no drift at
 * all. AWS leaves a zero bound out (omitempty); Skiff writes it, so clients that read the
 * number get one.
 */
const CLOCK_ERROR_BOUND_MS = 0;

/** `${ECS_CONTAINER_METADATA_URI_V4}`: one container of the task; undefined when the task has no such container. */
export function containerMetadata(
  task: StoredTask,
  td: StoredTaskDefinition,
  containerName: string,
  opts: MetadataOptions,
): ContainerMetadata | undefined {
  const c = task.containers?.find((x) => x.name === containerName);
  if (!c) return undefined;
  const cd = td.containerDefinitions?.find((d) => d.name === containerName) ?? {};
  return buildContainer(task, td, c, cd, opts);
}

/** `${ECS_CONTAINER_METADATA_URI_V4}/task`: the task and all its containers. */
export function taskMetadata(task: StoredTask, td: StoredTaskDefinition, opts: MetadataOptions): TaskMetadata {
  const containers = (task.containers ?? []).map((c) =>
    buildContainer(task, td, c, td.containerDefinitions?.find((d) => d.name === c.name) ?? {}, opts),
  );
  const serviceName = task.group?.startsWith('service:') ? task.group.slice('service:'.length) : undefined;
  const v4 = opts.version === 4;
  return {
    Cluster: task.clusterArn,
    TaskARN: task.taskArn,
    Family: td.family,
    Revision: String(td.revision),
    DesiredStatus: task.desiredStatus,
    KnownStatus: taskKnownStatus(task),
    ...optional('Limits', taskLimits(task)),
    ...optional('PullStartedAt', timestamp(task.pullStartedAt)),
    ...optional('PullStoppedAt', timestamp(task.pullStoppedAt)),
    ...optional('ExecutionStoppedAt', timestamp(task.executionStoppedAt)),
    ...optional('AvailabilityZone', task.availabilityZone),
    Containers: containers,
    ...(v4
      ? {
          // capacity-provider tasks (FARGATE, FARGATE_SPOT) have no launchType of their own
          LaunchType: task.launchType ?? 'FARGATE',
          ...optional('ServiceName', serviceName),
          ClockDrift: {
            ClockErrorBound: CLOCK_ERROR_BOUND_MS,
            ReferenceTimestamp: `${opts.now.toISOString().slice(0, 19)}Z`,
            ClockSynchronizationStatus: 'SYNCHRONIZED' as const,
          },
          // Reserved as the task asked for it (AWS shows 20496 MiB for 20 GiB, a little
          // more than 20 × 1024); Utilized is not measured, so 0.
          EphemeralStorageMetrics: { Utilized: 0, Reserved: (task.ephemeralStorage?.sizeInGiB ?? 20) * 1024 },
        }
      : {}),
  };
}

function buildContainer(
  task: StoredTask,
  td: StoredTaskDefinition,
  c: Container,
  cd: ContainerDefinition,
  opts: MetadataOptions,
): ContainerMetadata {
  const name = c.name ?? '';
  const state = opts.runtime?.get(name);
  const started = timestamp(state?.startedAt);
  const ip = task.runtime.ipAddress ?? c.networkInterfaces?.[0]?.privateIpv4Address;
  const region = parseArn(task.taskArn)?.region ?? 'us-east-1';
  const v4 = opts.version === 4;
  return {
    DockerId: c.runtimeId ?? '',
    // Fargate hands Docker the task definition's name; the agent on EC2 makes up a unique one
    Name: name,
    DockerName: name,
    Image: c.image ?? cd.image ?? '',
    ImageID: c.imageDigest ?? '',
    ...optional('Ports', c.runtimeId ? ports(cd) : undefined),
    Labels: sortedKeys({ ...cd.dockerLabels, ...ecsLabels(task, td, name) }),
    DesiredStatus: task.desiredStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING',
    KnownStatus: containerKnownStatus(task, c),
    ...optional('ExitCode', c.lastStatus === 'STOPPED' ? c.exitCode : undefined),
    Limits: containerLimits(c, cd),
    // Fargate reports the start as the creation time too (its examples show them equal)
    ...optional('CreatedAt', started),
    ...optional('StartedAt', started),
    ...optional('FinishedAt', state?.status === 'exited' ? timestamp(state.finishedAt) : undefined),
    Type: 'NORMAL',
    ...optional('Networks', ip ? [awsvpcNetwork(ip, region, opts.version)] : undefined),
    ...optional('Health', health(c, cd, state)),
    ...(v4
      ? {
          ...optional('LogDriver', cd.logConfiguration?.logDriver),
          ...optional('LogOptions', logOptions(cd, name, taskIdOf(task.taskArn))),
          ...optional('ContainerARN', c.containerArn),
          Snapshotter: SNAPSHOTTER,
        }
      : {}),
  };
}

function ecsLabels(task: StoredTask, td: StoredTaskDefinition, name: string): Record<string, string> {
  return {
    'com.amazonaws.ecs.cluster': task.clusterArn,
    'com.amazonaws.ecs.container-name': name,
    'com.amazonaws.ecs.task-arn': task.taskArn,
    'com.amazonaws.ecs.task-definition-family': td.family,
    'com.amazonaws.ecs.task-definition-version': String(td.revision),
  };
}

/**
 * The agent's own task states (NONE → PULLED → CREATED → RUNNING → STOPPED), not the
 * API's: a task the API calls ACTIVATING is RUNNING to the agent, and one that is
 * DEACTIVATING stays RUNNING until its containers have stopped.
 */
function taskKnownStatus(task: StoredTask): string {
  const containers = task.containers ?? [];
  switch (task.lastStatus) {
    case 'RUNNING':
    case 'ACTIVATING':
      return 'RUNNING';
    case 'DEACTIVATING':
    case 'STOPPING':
      return containers.some((c) => c.lastStatus === 'RUNNING') ? 'RUNNING' : 'STOPPED';
    case 'DEPROVISIONING':
    case 'STOPPED':
      return 'STOPPED';
    default:
      if (containers.some((c) => c.runtimeId)) return 'CREATED';
      return task.pullStoppedAt ? 'PULLED' : 'NONE';
  }
}

function containerKnownStatus(task: StoredTask, c: Container): string {
  if (c.lastStatus === 'RUNNING' || c.lastStatus === 'STOPPED') return c.lastStatus;
  if (c.runtimeId) return 'CREATED';
  return task.pullStoppedAt ? 'PULLED' : 'NONE';
}

function taskLimits(task: StoredTask): MetadataLimits | undefined {
  const units = task.cpu ? parseTaskCpu(task.cpu) : undefined;
  const memory = task.memory ? parseTaskMemory(task.memory) : undefined;
  if (units === undefined && memory === undefined) return undefined;
  return { ...optional('CPU', units === undefined ? undefined : units / 1024), ...optional('Memory', memory) };
}

/** Fargate writes a container's Memory only when the container has a hard limit of its own. */
function containerLimits(c: Container, cd: ContainerDefinition): MetadataLimits {
  const cpu = Number(c.cpu ?? cd.cpu ?? 0);
  const memory = Number(c.memory ?? cd.memory ?? 0);
  return { CPU: Math.max(cpu || 0, MIN_CPU_SHARES), ...optional('Memory', memory > 0 ? memory : undefined) };
}

function ports(cd: ContainerDefinition): MetadataPort[] | undefined {
  const out = (cd.portMappings ?? []).flatMap((pm) =>
    pm.containerPort === undefined
      ? []
      : [{ ContainerPort: pm.containerPort, Protocol: pm.protocol ?? 'tcp', HostPort: pm.containerPort }],
  );
  return out.length > 0 ? out : undefined;
}

const RUNTIME_HEALTH = { starting: 'UNKNOWN', healthy: 'HEALTHY', unhealthy: 'UNHEALTHY' } as const;

/**
 * Only for containers with a health check. The runtime's view is fresher than the stored
 * one (the runner writes health on its next pass). statusSince, exitCode and output are
 * not known to Skiff and left out, as the agent leaves out what it lacks.
 */
function health(c: Container, cd: ContainerDefinition, state: RuntimeView | undefined): MetadataHealth | undefined {
  const command = cd.healthCheck?.command;
  if (!command || command[0] === 'NONE') return undefined;
  const status = state?.health ? RUNTIME_HEALTH[state.health] : (c.healthStatus ?? 'UNKNOWN');
  return status === 'UNKNOWN' ? {} : { status };
}

/**
 * The log options as the container's log driver got them: for awslogs, the agent
 * replaces the stream prefix with the stream itself (`prefix/container/taskId`, the
 * same name Skiff's log pump writes to).
 */
function logOptions(cd: ContainerDefinition, name: string, taskId: string): Record<string, string> | undefined {
  const options = cd.logConfiguration?.options;
  if (!options || Object.keys(options).length === 0) return undefined;
  if (cd.logConfiguration?.logDriver !== 'awslogs') return sortedKeys(options);
  const { 'awslogs-stream-prefix': prefix, ...rest } = options;
  return sortedKeys({ ...rest, 'awslogs-stream': prefix ? `${prefix}/${name}/${taskId}` : taskId });
}

/** Go's time.RFC3339Nano, which the agent writes: UTC, fraction without trailing zeros. */
export function rfc3339Nano(d: Date): string {
  return d.toISOString().replace(/\.?0+Z$/, 'Z');
}

/** Runtimes report a container that never started with Go's zero time; that is no time at all. */
function timestamp(d: Date | undefined): string | undefined {
  return d && d.getTime() > 0 ? rfc3339Nano(d) : undefined;
}

/** Go writes maps with their keys in order; so does Skiff, so answers compare byte for byte. */
function sortedKeys(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `{ key: value }` when there is a value, `{}` when not: Go's omitempty, keeping key order. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
