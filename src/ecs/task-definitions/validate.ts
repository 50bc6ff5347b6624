import type {
  Attribute,
  Compatibility,
  ContainerDefinition,
  EphemeralStorage,
  RegisterTaskDefinitionRequest,
  TaskDefinition,
  TaskDefinitionPlacementConstraint,
  Volume,
} from '@aws-sdk/client-ecs';
import { compatibilities, requiresAttributes } from './attributes.js';
import {
  checkContainerCount,
  checkContainerIdentity,
  checkContainerResources,
  checkContainerSettings,
  checkEssential,
  NAME_PATTERN,
} from './containers.js';
import { checkDependencies } from './dependencies.js';
import { fargateIssue } from './fargate.js';
import { checkEnum, clientFail, invalidParameter } from './fail.js';
import { checkFirelens, checkLogConfiguration, normalizeHealthCheck } from './health-log.js';
import { checkNetworkModeSettings, normalizePortMappings, type PortRegistry } from './ports.js';
import { parseTaskCpu, parseTaskMemory } from './task-size.js';
import { dropUndefined } from './util.js';
import { checkMounts, checkPlacementConstraints, checkProxyConfiguration, checkVolumes } from './volumes.js';

export { parseTaskCpu, parseTaskMemory, isFargateSize, FARGATE_SIZES } from './task-size.js';
export { validateTags, TAG_LIMITS } from './tags.js';
export { startOrder } from './dependencies.js';

/**
 * A task definition as ECS stores it, without what the registry adds (ARN,
 * revision, status, registration and deregistration stamps). Tags are kept apart.
 */
export type ValidatedTaskDefinition = Omit<
  TaskDefinition,
  'taskDefinitionArn' | 'revision' | 'status' | 'registeredAt' | 'registeredBy' | 'deregisteredAt' | 'deleteRequestedAt'
> & {
  family: string;
  containerDefinitions: ContainerDefinition[];
  volumes: Volume[];
  placementConstraints: TaskDefinitionPlacementConstraint[];
  compatibilities: Compatibility[];
  requiresAttributes: Attribute[];
};

const NETWORK_MODES = ['bridge', 'host', 'awsvpc', 'none'] as const;
const COMPATIBILITIES = ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const;
const OS_FAMILIES = [
  'LINUX',
  'WINDOWS_SERVER_2019_FULL',
  'WINDOWS_SERVER_2019_CORE',
  'WINDOWS_SERVER_2016_FULL',
  'WINDOWS_SERVER_2004_CORE',
  'WINDOWS_SERVER_2022_CORE',
  'WINDOWS_SERVER_2022_FULL',
  'WINDOWS_SERVER_2025_CORE',
  'WINDOWS_SERVER_2025_FULL',
  'WINDOWS_SERVER_20H2_CORE',
] as const;
const EPHEMERAL_GIB = { min: 21, max: 200 } as const;

/** ContainerDefinition members in the order ECS (and the SDK model) lists them. */
const CONTAINER_ORDER: readonly (keyof ContainerDefinition)[] = [
  'name', 'image', 'repositoryCredentials', 'cpu', 'memory', 'memoryReservation', 'links', 'portMappings',
  'essential', 'restartPolicy', 'entryPoint', 'command', 'environment', 'environmentFiles', 'mountPoints',
  'volumesFrom', 'linuxParameters', 'secrets', 'dependsOn', 'startTimeout', 'stopTimeout', 'versionConsistency',
  'hostname', 'user', 'workingDirectory', 'disableNetworking', 'privileged', 'readonlyRootFilesystem',
  'dnsServers', 'dnsSearchDomains', 'extraHosts', 'dockerSecurityOptions', 'interactive', 'pseudoTerminal',
  'dockerLabels', 'ulimits', 'logConfiguration', 'healthCheck', 'systemControls', 'resourceRequirements',
  'firelensConfiguration', 'credentialSpecs',
];

function inOrder<T extends object>(obj: T, order: readonly (keyof T)[]): T {
  const out: Partial<T> = {};
  for (const key of order) if (obj[key] !== undefined) out[key] = obj[key];
  return out as T;
}

function checkFamily(family: string | undefined): string {
  if (family === undefined || family === '') clientFail('Family can not be blank.');
  if (family.length > 255) {
    clientFail('Family is too long: use at most 255 letters (uppercase and lowercase), numbers, underscores and hyphens.');
  }
  if (!NAME_PATTERN.test(family)) clientFail('Family contains invalid characters.');
  return family;
}

function checkTaskEnums(req: RegisterTaskDefinitionRequest): void {
  checkEnum(req.networkMode, NETWORK_MODES, 'networkMode');
  for (const c of req.requiresCompatibilities ?? []) checkEnum(c, COMPATIBILITIES, 'requiresCompatibilities');
  checkEnum(req.pidMode, ['host', 'task'], 'pidMode');
  checkEnum(req.ipcMode, ['host', 'none', 'task'], 'ipcMode');
  checkEnum(req.runtimePlatform?.cpuArchitecture, ['X86_64', 'ARM64'], 'runtimePlatform.cpuArchitecture');
  checkEnum(req.runtimePlatform?.operatingSystemFamily, OS_FAMILIES, 'runtimePlatform.operatingSystemFamily');
}

/** Task cpu units and memory MiB, from any of the forms ECS accepts. */
function taskSize(req: RegisterTaskDefinitionRequest): { cpu: number | undefined; memory: number | undefined } {
  const read = (value: string | undefined, field: 'cpu' | 'memory'): number | undefined => {
    if (value === undefined) return undefined;
    if (value.trim() === '') invalidParameter(`Invalid '${field}' setting for task.`);
    const parsed = field === 'cpu' ? parseTaskCpu(value) : parseTaskMemory(value);
    if (parsed === undefined) {
      clientFail(
        `Invalid '${field}' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide. ` +
          (field === 'cpu' ? 'Use CPU units ("1024") or vCPUs ("1 vCPU").' : 'Use MiB ("2048") or GB ("2 GB").'),
      );
    }
    return parsed;
  };
  return { cpu: read(req.cpu, 'cpu'), memory: read(req.memory, 'memory') };
}

function checkEphemeralStorage(storage: EphemeralStorage | undefined): void {
  const size = storage?.sizeInGiB;
  if (size === undefined || (size >= EPHEMERAL_GIB.min && size <= EPHEMERAL_GIB.max)) return;
  clientFail(
    `Invalid 'ephemeralStorage' setting for task: sizeInGiB must be between ${EPHEMERAL_GIB.min} and ${EPHEMERAL_GIB.max}; ` +
      'leave ephemeralStorage out for the default 20 GiB.',
  );
}

/** A container as ECS returns it: checked, defaults filled, members in ECS's order. */
function normalizeContainer(cd: ContainerDefinition, networkMode: string | undefined, ports: PortRegistry): ContainerDefinition {
  const name = cd.name ?? '';
  checkContainerSettings(cd);
  checkNetworkModeSettings(cd, networkMode);
  checkLogConfiguration(cd.logConfiguration, name);
  const copy = structuredClone(cd);
  return inOrder(
    {
      ...copy,
      cpu: copy.cpu ?? 0,
      portMappings: normalizePortMappings(copy, networkMode, ports),
      essential: copy.essential ?? true,
      environment: copy.environment ?? [],
      mountPoints: copy.mountPoints ?? [],
      volumesFrom: copy.volumesFrom ?? [],
      healthCheck: normalizeHealthCheck(copy.healthCheck, name),
      systemControls: copy.systemControls ?? [],
    },
    CONTAINER_ORDER,
  );
}

/** The checks that look across containers, volumes and the proxy configuration. */
function checkTaskWide(req: RegisterTaskDefinitionRequest, defs: readonly ContainerDefinition[]): void {
  checkEssential(defs);
  checkFirelens(defs);
  checkDependencies(defs);
  const volumeNames = checkVolumes(req.volumes ?? []);
  const containerNames = new Set(defs.map((cd) => cd.name ?? ''));
  for (const cd of defs) checkMounts(cd, volumeNames, containerNames);
  checkProxyConfiguration(req.proxyConfiguration, containerNames);
  checkPlacementConstraints(req.placementConstraints ?? []);
  checkEphemeralStorage(req.ephemeralStorage);
}

/** Throws the error ECS answers for a launch type the definition asks for but cannot have. */
function checkRequiredCompatibilities(req: RegisterTaskDefinitionRequest, fargateProblem: string | undefined): void {
  const required = req.requiresCompatibilities ?? [];
  if (required.includes('FARGATE') && fargateProblem) clientFail(fargateProblem);
  if (required.includes('EXTERNAL') && req.networkMode === 'awsvpc') {
    clientFail('Task definitions that require EXTERNAL compatibility do not support networkMode awsvpc: use bridge, host or none.');
  }
}

/**
 * Validates a RegisterTaskDefinition request (already shape-checked) as ECS does
 * for the launch types it requires, and returns the definition as ECS stores it.
 * Throws ClientException / InvalidParameterException with ECS's messages.
 */
export function validateTaskDefinition(req: RegisterTaskDefinitionRequest): ValidatedTaskDefinition {
  const family = checkFamily(req.family);
  checkTaskEnums(req);
  const defs = checkContainerCount(req.containerDefinitions);
  checkContainerIdentity(defs);
  const size = taskSize(req);
  const fargateProblem = fargateIssue(req, size.cpu, size.memory);
  checkRequiredCompatibilities(req, fargateProblem);
  checkContainerResources(defs, { networkMode: req.networkMode, cpu: size.cpu, memory: size.memory });
  const ports: PortRegistry = new Map();
  const containers = defs.map((cd) => normalizeContainer(cd, req.networkMode, ports));
  checkTaskWide(req, defs);
  const volumes = structuredClone(req.volumes ?? []);
  const required = req.requiresCompatibilities ?? [];
  return dropUndefined<ValidatedTaskDefinition>({
    containerDefinitions: containers,
    family,
    taskRoleArn: req.taskRoleArn,
    executionRoleArn: req.executionRoleArn,
    networkMode: req.networkMode,
    volumes,
    requiresAttributes: requiresAttributes({ ...req, containers, volumes }),
    placementConstraints: structuredClone(req.placementConstraints ?? []),
    compatibilities: compatibilities(req.networkMode, fargateProblem === undefined, required),
    runtimePlatform: req.runtimePlatform && { ...req.runtimePlatform },
    requiresCompatibilities: required.length > 0 ? [...required] : undefined,
    cpu: size.cpu?.toString(),
    memory: size.memory?.toString(),
    inferenceAccelerators: req.inferenceAccelerators && structuredClone(req.inferenceAccelerators),
    pidMode: req.pidMode,
    ipcMode: req.ipcMode,
    proxyConfiguration: req.proxyConfiguration && structuredClone(req.proxyConfiguration),
    ephemeralStorage: req.ephemeralStorage && { ...req.ephemeralStorage },
    enableFaultInjection: req.enableFaultInjection,
  });
}
