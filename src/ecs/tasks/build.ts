import type { Container, RunTaskRequest, TaskOverride } from '@aws-sdk/client-ecs';
import { formatArn, type AccountScope, type IdGenerator } from '../../core/index.js';
import type { StoredTask, StoredTaskDefinition } from '../../store/index.js';

export interface NewTaskInput {
  req: RunTaskRequest;
  td: StoredTaskDefinition;
  clusterArn: string;
  clusterName: string;
  now: Date;
  ids: IdGenerator;
  scope: AccountScope;
  /** The capacity provider the task is placed with (from its strategy), if any. */
  provider?: string | undefined;
}

/** A new task as RunTask records it: PROVISIONING, desired RUNNING, nothing created yet. */
export function newTask({ req, td, clusterArn, clusterName, now, ids, scope, provider }: NewTaskInput): StoredTask {
  const taskId = ids.hex32();
  const taskArn = formatArn(scope, 'ecs', `task/${clusterName}/${taskId}`);
  const overrides: TaskOverride = {
    containerOverrides: req.overrides?.containerOverrides ?? [],
    inferenceAcceleratorOverrides: req.overrides?.inferenceAcceleratorOverrides ?? [],
    ...(req.overrides?.cpu ? { cpu: req.overrides.cpu } : {}),
    ...(req.overrides?.memory ? { memory: req.overrides.memory } : {}),
    ...(req.overrides?.taskRoleArn ? { taskRoleArn: req.overrides.taskRoleArn } : {}),
    ...(req.overrides?.executionRoleArn ? { executionRoleArn: req.overrides.executionRoleArn } : {}),
    ...(req.overrides?.ephemeralStorage ? { ephemeralStorage: req.overrides.ephemeralStorage } : {}),
  };
  const eniId = `eni-${ids.hex32().slice(0, 17)}`;
  const subnet = req.networkConfiguration?.awsvpcConfiguration?.subnets?.[0] ?? 'subnet-skiff';
  const containers: Container[] = (td.containerDefinitions ?? []).map((cd) => {
    const o = overrides.containerOverrides?.find((x) => x.name === cd.name);
    return {
      containerArn: formatArn(scope, 'ecs', `container/${clusterName}/${taskId}/${ids.uuid()}`),
      taskArn,
      name: cd.name,
      image: cd.image,
      lastStatus: 'PENDING',
      networkBindings: [],
      networkInterfaces: [],
      healthStatus: cd.healthCheck ? 'UNKNOWN' : undefined,
      cpu: String(o?.cpu ?? cd.cpu ?? 0),
      ...(o?.memory ?? cd.memory ? { memory: String(o?.memory ?? cd.memory) } : {}),
      ...(o?.memoryReservation ?? cd.memoryReservation ? { memoryReservation: String(o?.memoryReservation ?? cd.memoryReservation) } : {}),
    };
  });
  return {
    taskArn,
    clusterArn,
    taskDefinitionArn: td.taskDefinitionArn,
    overrides,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    cpu: overrides.cpu ?? td.cpu,
    memory: overrides.memory ?? td.memory,
    containers,
    startedBy: req.startedBy,
    group: req.group ?? `family:${td.family}`,
    launchType: req.capacityProviderStrategy ? undefined : (req.launchType ?? 'FARGATE'),
    capacityProviderName: provider,
    platformVersion: '1.4.0',
    platformFamily: 'Linux',
    availabilityZone: `${scope.region}a`,
    attachments: [
      {
        id: ids.uuid(),
        type: 'ElasticNetworkInterface',
        status: 'PRECREATED',
        details: [
          { name: 'subnetId', value: subnet },
          { name: 'networkInterfaceId', value: eniId },
        ],
      },
    ],
    attributes: [{ name: 'ecs.cpu-architecture', value: process.arch === 'arm64' ? 'arm64' : 'x86_64' }],
    createdAt: now,
    version: 1,
    tags: req.tags ?? [],
    enableExecuteCommand: req.enableExecuteCommand ?? false,
    ephemeralStorage: { sizeInGiB: overrides.ephemeralStorage?.sizeInGiB ?? td.ephemeralStorage?.sizeInGiB ?? 20 },
    healthStatus: 'UNKNOWN',
    runtime: {},
  };
}
