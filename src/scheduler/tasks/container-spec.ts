import type { ContainerDefinition, ContainerOverride } from '@aws-sdk/client-ecs';
import { CONTAINER_LABEL, INSTANCE_LABEL, MANAGED_LABEL, TASK_LABEL, type ContainerSpec, type PortRequest } from '../../runtime/index.js';
import type { StoredTask, StoredTaskDefinition } from '../../store/index.js';
import { parseTaskCpu, parseTaskMemory } from '../../ecs/index.js';

/** Runtime names: unique per host, readable in `docker ps`. */
export function runtimeName(taskId: string, container?: string): string {
  return container === undefined ? `skiff-${taskId}` : `skiff-${taskId}-${container}`;
}

export function labelsFor(instanceId: string, task: StoredTask, taskId: string, container: string): Record<string, string> {
  return {
    [MANAGED_LABEL]: 'true',
    [INSTANCE_LABEL]: instanceId,
    [TASK_LABEL]: taskId,
    [CONTAINER_LABEL]: container,
    'dev.skiff.task-arn': task.taskArn,
    'dev.skiff.cluster-arn': task.clusterArn,
  };
}

/** Every port any container maps, published once on the task's sandbox. */
export function sandboxPorts(td: StoredTaskDefinition): PortRequest[] {
  const ports: PortRequest[] = [];
  for (const cd of td.containerDefinitions ?? []) {
    for (const pm of cd.portMappings ?? []) {
      if (pm.containerPort === undefined) continue;
      const protocol = pm.protocol === 'udp' ? 'udp' : 'tcp';
      if (!ports.some((p) => p.containerPort === pm.containerPort && p.protocol === protocol)) {
        ports.push({ containerPort: pm.containerPort, protocol });
      }
    }
  }
  return ports;
}

/**
 * The container as the driver should run it: the task definition with the RunTask
 * overrides merged as ECS merges them (command replaced, environment merged by name,
 * cpu/memory replaced), plus the variables ECS sets in every container.
 */
export function containerSpec(
  instanceId: string,
  task: StoredTask,
  taskId: string,
  cd: ContainerDefinition,
  extraEnv: Record<string, string>,
): ContainerSpec {
  const name = cd.name ?? '';
  const o: ContainerOverride | undefined = task.overrides?.containerOverrides?.find((x) => x.name === name);
  // what ECS injects comes first: the task definition and overrides may replace it
  const environment: Record<string, string> = { ...extraEnv };
  for (const e of cd.environment ?? []) if (e.name) environment[e.name] = e.value ?? '';
  for (const e of o?.environment ?? []) if (e.name) environment[e.name] = e.value ?? '';
  const taskCpu = task.cpu ? parseTaskCpu(task.cpu) : undefined;
  const taskMemory = task.memory ? parseTaskMemory(task.memory) : undefined;
  const containerCpu = o?.cpu ?? cd.cpu;
  const hc = cd.healthCheck;
  return {
    name: runtimeName(taskId, name),
    image: cd.image ?? '',
    entryPoint: cd.entryPoint,
    command: o?.command ?? cd.command,
    environment,
    workingDirectory: cd.workingDirectory,
    user: cd.user,
    readonlyRootFilesystem: cd.readonlyRootFilesystem,
    // Fargate caps the whole task at its cpu: each container is capped there, and
    // container cpu units become relative shares among the task's containers.
    cpuUnits: taskCpu ?? (containerCpu || undefined),
    cpuLimit: taskCpu !== undefined,
    memoryMiB: o?.memory ?? cd.memory ?? taskMemory,
    memoryReservationMiB: o?.memoryReservation ?? cd.memoryReservation,
    ulimits: cd.ulimits?.map((u) => ({ name: u.name ?? '', soft: u.softLimit ?? 0, hard: u.hardLimit ?? 0 })),
    healthCheck: hc?.command && hc.command[0] !== 'NONE'
      ? {
          command: hc.command,
          intervalSeconds: hc.interval ?? 30,
          timeoutSeconds: hc.timeout ?? 5,
          retries: hc.retries ?? 3,
          startPeriodSeconds: hc.startPeriod ?? 0,
        }
      : undefined,
    labels: labelsFor(instanceId, task, taskId, name),
  };
}

/** The awslogs destination of a container, if it logs with awslogs. */
export function awslogsTarget(cd: ContainerDefinition, taskId: string): { group: string; stream: string } | undefined {
  const log = cd.logConfiguration;
  if (log?.logDriver !== 'awslogs') return undefined;
  const group = log.options?.['awslogs-group'];
  if (!group) return undefined;
  const prefix = log.options?.['awslogs-stream-prefix'];
  const stream = prefix ? `${prefix}/${cd.name ?? ''}/${taskId}` : taskId;
  return { group, stream };
}
