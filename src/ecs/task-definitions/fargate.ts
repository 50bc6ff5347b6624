import type { ContainerDefinition, RegisterTaskDefinitionRequest, Volume } from '@aws-sdk/client-ecs';
import { FARGATE_LOG_DRIVERS } from './health-log.js';
import { fargateSizeHint, isFargateSize } from './task-size.js';
import { ECR_IMAGE } from './util.js';

/**
 * What Fargate does not accept, as one function per concern returning the
 * first problem's message (or undefined). validate.ts throws it as a
 * ClientException when the definition requires FARGATE, and otherwise uses it
 * to decide whether FARGATE belongs in `compatibilities`.
 */

type Issue = string | undefined;

const NOFILE_MAX = 1_048_576;
const FARGATE = 'Tasks using the Fargate launch type do not support';

export function isWindows(req: RegisterTaskDefinitionRequest): boolean {
  return req.runtimePlatform?.operatingSystemFamily?.startsWith('WINDOWS') ?? false;
}

function taskIssue(req: RegisterTaskDefinitionRequest, cpu: number | undefined, memory: number | undefined): Issue {
  if (req.networkMode !== 'awsvpc') return 'Fargate only supports network mode ‘awsvpc’.';
  if (cpu === undefined) return "Fargate requires that 'cpu' be defined at the task level.";
  if (memory === undefined) return "Fargate requires that 'memory' be defined at the task level.";
  if (!isFargateSize(cpu, memory, isWindows(req))) {
    return (
      `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. ` +
      `See the Amazon ECS documentation for the valid values. ${fargateSizeHint(cpu, isWindows(req))}`
    );
  }
  if (req.pidMode === 'host') return `${FARGATE} pidMode 'host'. Use "pidMode": "task" or leave pidMode out.`;
  if (req.ipcMode !== undefined) return `${FARGATE} ipcMode.`;
  if ((req.inferenceAccelerators?.length ?? 0) > 0) return `${FARGATE} inferenceAccelerators.`;
  return undefined;
}

function volumeIssue(v: Volume, windows: boolean): Issue {
  const name = v.name ?? '';
  if (v.host?.sourcePath !== undefined) {
    return `${FARGATE} host volumes with a sourcePath (volume '${name}'). Remove host.sourcePath to get a task-scoped bind mount, or use an EFS volume.`;
  }
  if (v.dockerVolumeConfiguration) {
    return `${FARGATE} Docker volumes (dockerVolumeConfiguration of volume '${name}'). Use a bind mount (a volume with only a name) or an EFS volume.`;
  }
  if (v.fsxWindowsFileServerVolumeConfiguration && !windows) {
    return `${FARGATE} FSx for Windows File Server volumes on Linux (volume '${name}').`;
  }
  return undefined;
}

function logIssue(cd: ContainerDefinition, req: RegisterTaskDefinitionRequest): Issue {
  const log = cd.logConfiguration;
  if (!log) return undefined;
  const driver = log.logDriver ?? '';
  if (!(FARGATE_LOG_DRIVERS as readonly string[]).includes(driver)) {
    return `Log driver ${driver} is not supported on Fargate (container '${cd.name ?? ''}'). Use one of: ${FARGATE_LOG_DRIVERS.join(', ')}.`;
  }
  if (driver !== 'awslogs') return undefined;
  if (!req.executionRoleArn) return 'Fargate requires task definition to have execution role ARN to support log driver awslogs.';
  for (const option of ['awslogs-group', 'awslogs-region', 'awslogs-stream-prefix']) {
    if (!log.options?.[option]) {
      return `Fargate requires log configuration options to include ${option} to support log driver awslogs.`;
    }
  }
  return undefined;
}

function linuxIssue(cd: ContainerDefinition): Issue {
  const lp = cd.linuxParameters;
  const name = cd.name ?? '';
  if (!lp) return undefined;
  const unsupported = (['devices', 'tmpfs', 'sharedMemorySize', 'maxSwap', 'swappiness'] as const).find((k) => {
    const v = lp[k];
    return Array.isArray(v) ? v.length > 0 : v !== undefined;
  });
  if (unsupported) return `${FARGATE} linuxParameters.${unsupported} (container '${name}').`;
  const added = (lp.capabilities?.add ?? []).filter((c) => c !== 'SYS_PTRACE');
  if (added.length > 0) {
    return `${FARGATE} adding the kernel capabilities ${added.join(', ')} (container '${name}'); only SYS_PTRACE can be added.`;
  }
  return undefined;
}

function timeoutIssue(cd: ContainerDefinition): Issue {
  const name = cd.name ?? '';
  if (cd.stopTimeout !== undefined && cd.stopTimeout > 120) {
    return `Invalid 'stopTimeout' setting for container '${name}'. On Fargate the stop timeout can be at most 120 seconds.`;
  }
  if (cd.startTimeout !== undefined && (cd.startTimeout < 2 || cd.startTimeout > 120)) {
    return `Invalid 'startTimeout' setting for container '${name}'. On Fargate the start timeout must be between 2 and 120 seconds.`;
  }
  return undefined;
}

function containerIssue(cd: ContainerDefinition, req: RegisterTaskDefinitionRequest): Issue {
  const name = cd.name ?? '';
  if (cd.privileged === true) return `${FARGATE} privileged containers. Remove "privileged": true from container '${name}'.`;
  if ((cd.dockerSecurityOptions?.length ?? 0) > 0) return `${FARGATE} dockerSecurityOptions (container '${name}').`;
  if (cd.resourceRequirements?.some((r) => r.type === 'GPU')) return `${FARGATE} GPU resource requirements (container '${name}').`;
  if (ECR_IMAGE.test(cd.image ?? '') && !req.executionRoleArn) {
    return 'Fargate requires task definition to have execution role ARN to support ECR images.';
  }
  const nofile = cd.ulimits?.find((u) => u.name === 'nofile');
  if (nofile && (nofile.hardLimit ?? 0) > NOFILE_MAX) {
    return `Invalid 'ulimits' setting for container '${name}'. On Fargate the nofile limit can be at most ${NOFILE_MAX}.`;
  }
  return logIssue(cd, req) ?? linuxIssue(cd) ?? timeoutIssue(cd);
}

/** The first reason this definition cannot run on Fargate, or undefined when it can. */
export function fargateIssue(req: RegisterTaskDefinitionRequest, cpu: number | undefined, memory: number | undefined): Issue {
  const task = taskIssue(req, cpu, memory);
  if (task) return task;
  const windows = isWindows(req);
  for (const v of req.volumes ?? []) {
    const issue = volumeIssue(v, windows);
    if (issue) return issue;
  }
  for (const cd of req.containerDefinitions ?? []) {
    const issue = containerIssue(cd, req);
    if (issue) return issue;
  }
  return undefined;
}
