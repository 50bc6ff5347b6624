import type { Attribute, Compatibility, ContainerDefinition, Volume } from '@aws-sdk/client-ecs';
import { ECR_IMAGE } from './util.js';

/**
 * The container-instance attributes ECS derives from a task definition
 * (`requiresAttributes`). Fargate ignores them, but DescribeTaskDefinition shows
 * them, so skiff derives the same names from the same features. The order follows
 * what ECS returns for a typical Fargate definition.
 */

const CAP = 'com.amazonaws.ecs.capability';

export interface AttributeInput {
  readonly containers: readonly ContainerDefinition[];
  readonly volumes: readonly Volume[];
  readonly networkMode?: string | undefined;
  readonly taskRoleArn?: string | undefined;
  readonly executionRoleArn?: string | undefined;
}

function uses(input: AttributeInput, test: (cd: ContainerDefinition) => boolean): boolean {
  return input.containers.some(test);
}

function loggingAttributes(input: AttributeInput): string[] {
  const drivers = new Set<string>();
  for (const cd of input.containers) if (cd.logConfiguration?.logDriver) drivers.add(cd.logConfiguration.logDriver);
  return [...drivers].map((d) => `${CAP}.logging-driver.${d}`);
}

function secretAttributes(input: AttributeInput): string[] {
  const sources = input.containers.flatMap((cd) => [...(cd.secrets ?? []), ...(cd.logConfiguration?.secretOptions ?? [])]);
  const out: string[] = [];
  if (sources.some((s) => s.valueFrom?.includes(':secretsmanager:'))) out.push('ecs.capability.secrets.asm.environment-variables');
  if (sources.some((s) => !s.valueFrom?.includes(':secretsmanager:'))) out.push('ecs.capability.secrets.ssm.environment-variables');
  return out;
}

function flagged(input: AttributeInput): Array<[boolean, string]> {
  const awslogs = uses(input, (cd) => cd.logConfiguration?.logDriver === 'awslogs');
  const ecr = uses(input, (cd) => ECR_IMAGE.test(cd.image ?? '') && !cd.repositoryCredentials);
  const health = uses(input, (cd) => cd.healthCheck !== undefined);
  const execRole = input.executionRoleArn !== undefined;
  const efs = input.volumes.filter((v) => v.efsVolumeConfiguration);
  return [
    [health, `${CAP}.docker-remote-api.1.24`],
    [awslogs && execRole, 'ecs.capability.execution-role-awslogs'],
    [ecr, `${CAP}.ecr-auth`],
    [uses(input, (cd) => Object.keys(cd.logConfiguration?.options ?? {}).length > 0), `${CAP}.docker-remote-api.1.19`],
    [input.taskRoleArn !== undefined, `${CAP}.task-iam-role`],
    [health, 'ecs.capability.container-health-check'],
    [ecr && execRole, 'ecs.capability.execution-role-ecr-pull'],
    [
      uses(input, (cd) => cd.logConfiguration !== undefined || cd.dockerLabels !== undefined || (cd.ulimits?.length ?? 0) > 0),
      `${CAP}.docker-remote-api.1.18`,
    ],
    [input.networkMode === 'awsvpc', 'ecs.capability.task-eni'],
    [uses(input, (cd) => (cd.dependsOn?.length ?? 0) > 0), 'ecs.capability.container-ordering'],
    [uses(input, (cd) => (cd.environmentFiles?.length ?? 0) > 0), 'ecs.capability.env-files.s3'],
    [uses(input, (cd) => cd.repositoryCredentials !== undefined), `${CAP}.private-registry-authentication.secretsmanager`],
    [efs.length > 0, 'ecs.capability.efs'],
    [efs.some((v) => v.efsVolumeConfiguration?.authorizationConfig !== undefined), 'ecs.capability.efsAuth'],
    [uses(input, (cd) => cd.firelensConfiguration?.type === 'fluentbit'), 'ecs.capability.firelens.fluentbit'],
    [uses(input, (cd) => cd.firelensConfiguration?.type === 'fluentd'), 'ecs.capability.firelens.fluentd'],
  ];
}

export function requiresAttributes(input: AttributeInput): Attribute[] {
  const names = [
    ...loggingAttributes(input),
    ...flagged(input).filter(([on]) => on).map(([, name]) => name),
    ...secretAttributes(input),
  ];
  return [...new Set(names)].map((name) => ({ name }));
}

/**
 * Launch types the definition can run on: EC2 always; EXTERNAL unless it uses
 * awsvpc; FARGATE when it passes the Fargate checks; MANAGED_INSTANCES only when
 * asked for. Ordered as ECS lists them (["EXTERNAL", "EC2"], ["EC2", "FARGATE"]).
 */
export function compatibilities(
  networkMode: string | undefined,
  fargateCompatible: boolean,
  required: readonly string[],
): Compatibility[] {
  const out: Compatibility[] = [];
  if (networkMode !== 'awsvpc') out.push('EXTERNAL');
  out.push('EC2');
  if (required.includes('MANAGED_INSTANCES')) out.push('MANAGED_INSTANCES');
  if (fargateCompatible) out.push('FARGATE');
  return out;
}
