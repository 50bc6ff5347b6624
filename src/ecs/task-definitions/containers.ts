import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { checkEnum, clientFail } from './fail.js';

/** Letters, digits, underscores and hyphens: the alphabet of families and container names. */
export const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
export const MAX_CONTAINERS = 10;
/** Docker (20.10+) refuses a memory limit or reservation under 6 MiB. */
const MIN_CONTAINER_MEMORY = 6;

/** Task-level facts the container checks need. */
export interface TaskFacts {
  readonly networkMode: string | undefined;
  /** Task cpu units / memory MiB, when the task sets them. */
  readonly cpu: number | undefined;
  readonly memory: number | undefined;
}

export function checkContainerCount(defs: readonly ContainerDefinition[] | undefined): ContainerDefinition[] {
  if (!defs || defs.length === 0) clientFail('Container list cannot be empty.');
  if (defs.length > MAX_CONTAINERS) {
    clientFail(`Too many containers. A task definition can have at most ${MAX_CONTAINERS} containers; this one has ${defs.length}.`);
  }
  return [...defs];
}

/** Names and images: present, well formed, names unique. */
export function checkContainerIdentity(defs: readonly ContainerDefinition[]): void {
  const seen = new Set<string>();
  for (const cd of defs) {
    const name = cd.name;
    if (name === undefined || name === '') clientFail('Container.name should not be null or empty.');
    if (name.length > 255) {
      clientFail(`Container.name '${name.slice(0, 40)}…' is too long: use at most 255 letters, numbers, underscores and hyphens.`);
    }
    if (!NAME_PATTERN.test(name)) clientFail('Container.name contains invalid characters.');
    if (seen.has(name)) {
      clientFail(`Container names must be unique within a task definition: '${name}' is used more than once.`);
    }
    seen.add(name);
    const image = cd.image;
    if (image === undefined || image.trim() === '') clientFail('Container.image should not be null or empty.');
    if (image.length > 255) {
      clientFail(`Container.image for container '${name}' is too long: an image reference can have at most 255 characters.`);
    }
  }
}

function checkContainerMemoryValues(cd: ContainerDefinition, name: string): void {
  if (cd.cpu !== undefined && cd.cpu < 0) {
    clientFail(`Invalid 'cpu' setting for container '${name}'. Use a whole number of CPU units, 0 or more (1024 = 1 vCPU).`);
  }
  if (cd.memory !== undefined && cd.memory < MIN_CONTAINER_MEMORY) {
    clientFail(`Invalid 'memory' setting for container '${name}'. The memory limit must be at least ${MIN_CONTAINER_MEMORY} MiB.`);
  }
  if (cd.memoryReservation !== undefined && cd.memoryReservation < MIN_CONTAINER_MEMORY) {
    clientFail(
      `Invalid 'memoryReservation' setting for container '${name}'. The memory reservation must be at least ${MIN_CONTAINER_MEMORY} MiB.`,
    );
  }
  if (cd.memory !== undefined && cd.memoryReservation !== undefined && cd.memoryReservation > cd.memory) {
    clientFail(
      `Invalid 'memoryReservation' setting for container '${name}'. It must be less than or equal to 'memory' (${cd.memory} MiB).`,
    );
  }
}

/** Container cpu/memory against each other and against the task's cpu and memory. */
export function checkContainerResources(defs: readonly ContainerDefinition[], task: TaskFacts): void {
  let cpuSum = 0;
  let reservedSum = 0;
  let anyReservation = false;
  for (const cd of defs) {
    const name = cd.name ?? '';
    checkContainerMemoryValues(cd, name);
    if (task.memory === undefined && cd.memory === undefined && cd.memoryReservation === undefined) {
      clientFail(`Invalid setting for container '${name}'. At least one of 'memory' or 'memoryReservation' must be specified.`);
    }
    if (task.memory !== undefined && cd.memory !== undefined && cd.memory > task.memory) {
      clientFail(`The 'memory' setting for container '${name}' is greater than for the task.`);
    }
    cpuSum += cd.cpu ?? 0;
    reservedSum += cd.memoryReservation ?? cd.memory ?? 0;
    anyReservation ||= cd.memoryReservation !== undefined;
  }
  if (task.cpu !== undefined && cpuSum > task.cpu) {
    clientFail(
      `The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'. ` +
        `The containers ask for ${cpuSum} CPU units, the task has ${task.cpu}.`,
    );
  }
  if (task.memory !== undefined && reservedSum > task.memory) {
    const field = anyReservation ? 'memoryReservation' : 'memory';
    clientFail(
      `The sum of all container '${field}' values cannot be greater than the value of the task 'memory'. ` +
        `The containers reserve ${reservedSum} MiB, the task has ${task.memory} MiB.`,
    );
  }
}

export function checkEssential(defs: readonly ContainerDefinition[]): void {
  if (defs.some((cd) => cd.essential !== false)) return;
  clientFail(
    'A task definition must have at least one essential container. Set "essential": true (the default) on the container the task lives for.',
  );
}

function checkEnvironment(cd: ContainerDefinition, name: string): void {
  for (const kv of cd.environment ?? []) {
    if (kv.name === undefined || kv.name === '') {
      clientFail(`Invalid 'environment' setting for container '${name}'. Every environment variable needs a non-empty 'name'.`);
    }
    if (kv.name.includes('=')) {
      clientFail(`Invalid 'environment' setting for container '${name}'. The variable name '${kv.name}' must not contain '='.`);
    }
  }
  for (const file of cd.environmentFiles ?? []) {
    checkEnum(file.type, ['s3'], `environmentFiles type of container '${name}'`);
    if (!file.value) {
      clientFail(`Invalid 'environmentFiles' setting for container '${name}'. Give the S3 object ARN of the file in 'value'.`);
    }
  }
  for (const s of cd.secrets ?? []) {
    if (!s.name || !s.valueFrom) {
      clientFail(
        `Invalid 'secrets' setting for container '${name}'. Each secret needs a 'name' (the variable) and a 'valueFrom' (a Secrets Manager or SSM parameter ARN or name).`,
      );
    }
  }
}

function checkTimeouts(cd: ContainerDefinition, name: string): void {
  if (cd.startTimeout !== undefined && cd.startTimeout < 0) {
    clientFail(`Invalid 'startTimeout' setting for container '${name}'. Use a number of seconds, 0 or more.`);
  }
  if (cd.stopTimeout !== undefined && cd.stopTimeout < 0) {
    clientFail(`Invalid 'stopTimeout' setting for container '${name}'. Use a number of seconds, 0 or more.`);
  }
}

const ULIMIT_NAMES = [
  'core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice',
  'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack',
] as const;

function checkUlimits(cd: ContainerDefinition, name: string): void {
  for (const u of cd.ulimits ?? []) {
    checkEnum(u.name, ULIMIT_NAMES, `ulimits name of container '${name}'`);
    const soft = u.softLimit ?? 0;
    const hard = u.hardLimit ?? 0;
    if (soft < 0 || hard < 0 || soft > hard) {
      clientFail(
        `Invalid 'ulimits' setting for container '${name}': ${u.name ?? ''} softLimit (${soft}) must be between 0 and its hardLimit (${hard}).`,
      );
    }
  }
}

function checkRestartPolicy(cd: ContainerDefinition, name: string): void {
  const p = cd.restartPolicy;
  if (!p) return;
  if ((p.ignoredExitCodes?.length ?? 0) > 50) {
    clientFail(`Invalid 'restartPolicy' setting for container '${name}'. 'ignoredExitCodes' can list at most 50 exit codes.`);
  }
  const period = p.restartAttemptPeriod;
  if (period !== undefined && (period < 60 || period > 1800)) {
    clientFail(`Invalid 'restartPolicy' setting for container '${name}'. 'restartAttemptPeriod' must be between 60 and 1800 seconds.`);
  }
}

const RESOURCE_TYPES = ['GPU', 'InferenceAccelerator', 'NeuronDevice'] as const;

/** Per-container settings that do not depend on the network mode or other containers. */
export function checkContainerSettings(cd: ContainerDefinition): void {
  const name = cd.name ?? '';
  checkEnvironment(cd, name);
  checkTimeouts(cd, name);
  checkUlimits(cd, name);
  checkRestartPolicy(cd, name);
  checkEnum(cd.versionConsistency, ['enabled', 'disabled'], `versionConsistency of container '${name}'`);
  for (const r of cd.resourceRequirements ?? []) {
    checkEnum(r.type, RESOURCE_TYPES, `resourceRequirements type of container '${name}'`);
  }
  checkEnum(cd.firelensConfiguration?.type, ['fluentd', 'fluentbit'], `firelensConfiguration type of container '${name}'`);
  for (const d of cd.linuxParameters?.devices ?? []) {
    for (const p of d.permissions ?? []) checkEnum(p, ['read', 'write', 'mknod'], `device permissions of container '${name}'`);
  }
}
