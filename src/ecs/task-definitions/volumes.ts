import type {
  ContainerDefinition,
  ProxyConfiguration,
  TaskDefinitionPlacementConstraint,
  Volume,
} from '@aws-sdk/client-ecs';
import { NAME_PATTERN } from './containers.js';
import { checkEnum, clientFail } from './fail.js';

function checkVolumeConfig(v: Volume, name: string): void {
  const docker = v.dockerVolumeConfiguration;
  if (docker) {
    checkEnum(docker.scope, ['task', 'shared'], `dockerVolumeConfiguration scope of volume '${name}'`);
    if (docker.autoprovision === true && docker.scope !== 'shared') {
      clientFail(`Invalid volume '${name}': 'autoprovision' can only be set when the dockerVolumeConfiguration scope is 'shared'.`);
    }
  }
  const efs = v.efsVolumeConfiguration;
  if (efs) {
    checkEnum(efs.transitEncryption, ['ENABLED', 'DISABLED'], `efsVolumeConfiguration transitEncryption of volume '${name}'`);
    checkEnum(efs.authorizationConfig?.iam, ['ENABLED', 'DISABLED'], `efsVolumeConfiguration authorizationConfig iam of volume '${name}'`);
    const usesAuth = efs.authorizationConfig?.iam === 'ENABLED' || efs.authorizationConfig?.accessPointId !== undefined;
    if (usesAuth && efs.transitEncryption !== 'ENABLED') {
      clientFail(`Invalid volume '${name}': EFS IAM authorization and access points require "transitEncryption": "ENABLED".`);
    }
  }
}

/** Task volumes: named, unique, well-formed. Returns the set of names. */
export function checkVolumes(volumes: readonly Volume[]): Set<string> {
  const names = new Set<string>();
  for (const v of volumes) {
    const name = v.name ?? '';
    if (!NAME_PATTERN.test(name) || name.length > 255) {
      clientFail(`Invalid volume name '${name}': use 1 to 255 letters, numbers, underscores and hyphens.`);
    }
    if (names.has(name)) clientFail(`Volume names must be unique within a task definition: '${name}' is used more than once.`);
    names.add(name);
    checkVolumeConfig(v, name);
  }
  return names;
}

/** mountPoints name declared volumes; volumesFrom names other containers of the task. */
export function checkMounts(cd: ContainerDefinition, volumeNames: ReadonlySet<string>, containerNames: ReadonlySet<string>): void {
  const name = cd.name ?? '';
  for (const mp of cd.mountPoints ?? []) {
    if (!mp.sourceVolume || !volumeNames.has(mp.sourceVolume)) {
      clientFail(
        `Invalid 'mountPoints' setting for container '${name}': sourceVolume '${mp.sourceVolume ?? ''}' is not one of the task definition's volumes.`,
      );
    }
    if (!mp.containerPath) {
      clientFail(`Invalid 'mountPoints' setting for container '${name}': give the 'containerPath' to mount volume '${mp.sourceVolume}' at.`);
    }
  }
  for (const vf of cd.volumesFrom ?? []) {
    const source = vf.sourceContainer ?? '';
    if (source === name || !containerNames.has(source)) {
      clientFail(`Invalid 'volumesFrom' setting for container '${name}': sourceContainer '${source}' must be another container of this task definition.`);
    }
  }
}

export function checkProxyConfiguration(proxy: ProxyConfiguration | undefined, containerNames: ReadonlySet<string>): void {
  if (!proxy) return;
  checkEnum(proxy.type, ['APPMESH'], 'proxyConfiguration type');
  if (!proxy.containerName || !containerNames.has(proxy.containerName)) {
    clientFail(`Invalid proxyConfiguration: containerName '${proxy.containerName ?? ''}' is not a container of this task definition.`);
  }
}

export function checkPlacementConstraints(constraints: readonly TaskDefinitionPlacementConstraint[]): void {
  if (constraints.length > 10) clientFail('A task definition can have at most 10 placement constraints.');
  for (const c of constraints) {
    checkEnum(c.type, ['memberOf'], 'placementConstraints type');
    if (!c.expression) clientFail('Invalid placement constraint: a memberOf constraint needs an expression.');
  }
}
