import { AwsError, CommonErrors } from '../core/index.js';
import { validation } from './errors.js';
import { ECS_DIMENSION, ECS_NAMESPACE } from './model.js';
import { parseEcsResourceId, targetKey } from './names.js';

export const SERVICE_NAMESPACES = [
  'ecs', 'elasticmapreduce', 'ec2', 'appstream', 'dynamodb', 'rds', 'sagemaker', 'custom-resource',
  'comprehend', 'lambda', 'cassandra', 'kafka', 'elasticache', 'neptune', 'workspaces',
] as const;

export const SCALABLE_DIMENSIONS = [
  'ecs:service:DesiredCount', 'ec2:spot-fleet-request:TargetCapacity', 'elasticmapreduce:instancegroup:InstanceCount',
  'appstream:fleet:DesiredCapacity', 'dynamodb:table:ReadCapacityUnits', 'dynamodb:table:WriteCapacityUnits',
  'dynamodb:index:ReadCapacityUnits', 'dynamodb:index:WriteCapacityUnits', 'rds:cluster:ReadReplicaCount',
  'sagemaker:variant:DesiredInstanceCount', 'custom-resource:ResourceType:Property',
  'comprehend:document-classifier-endpoint:DesiredInferenceUnits', 'comprehend:entity-recognizer-endpoint:DesiredInferenceUnits',
  'lambda:function:ProvisionedConcurrency', 'cassandra:table:ReadCapacityUnits', 'cassandra:table:WriteCapacityUnits',
  'kafka:broker-storage:VolumeSize', 'elasticache:cache-cluster:Nodes', 'elasticache:replication-group:NodeGroups',
  'elasticache:replication-group:Replicas', 'neptune:cluster:ReadReplicaCount', 'sagemaker:variant:DesiredProvisionedConcurrency',
  'sagemaker:inference-component:DesiredCopyCount', 'workspaces:workspacespool:DesiredUserSessions',
] as const;

/** The wording AWS's request validation uses, with the member's wire name in camelCase. */
function constraint(field: string, value: unknown, rule: string): AwsError {
  const shown = typeof value === 'string' ? `'${value}'` : String(value);
  return validation(`1 validation error detected: Value ${shown} at '${camel(field)}' failed to satisfy constraint: ${rule}`);
}

function camel(field: string): string {
  return field.charAt(0).toLowerCase() + field.slice(1);
}

export function checkEnum<T extends string>(value: string, allowed: readonly T[], field: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw constraint(field, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return value as T;
}

export function checkLength(value: string, field: string, min: number, max: number): void {
  if (value.length < min) throw constraint(field, value, `Member must have length greater than or equal to ${min}`);
  if (value.length > max) throw constraint(field, value, `Member must have length less than or equal to ${max}`);
}

/** A double member (MetricScale): the shape checker lets any JSON through, so the type is checked here. */
export function finiteNumber(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AwsError(CommonErrors.SerializationException, `${field} must be a number, got ${JSON.stringify(value)}.`);
  }
  return value;
}

export function checkNonNegative(value: number | undefined, field: string): void {
  if (value !== undefined && value < 0) throw constraint(field, value, 'Member must have value greater than or equal to 0');
}

/** List operations take MaxResults from 1 to `max`; absent means `max`. */
export function checkMaxResults(value: number | undefined, max: number): number {
  if (value === undefined) return max;
  if (value < 1 || value > max) throw validation(`MaxResults must be between 1 and ${max}, got ${value}.`);
  return value;
}

export function checkNamespace(namespace: string): string {
  return checkEnum(namespace, SERVICE_NAMESPACES, 'ServiceNamespace');
}

export interface TargetRef {
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
}

/**
 * Checks the three members naming a scalable target and returns its key. Skiff scales
 * ECS services only: any other (valid) namespace is a ValidationException saying so.
 */
export function checkEcsTarget(ref: TargetRef): string {
  checkNamespace(ref.ServiceNamespace);
  checkLength(ref.ResourceId, 'ResourceId', 1, 1600);
  checkEnum(ref.ScalableDimension, SCALABLE_DIMENSIONS, 'ScalableDimension');
  if (ref.ServiceNamespace !== ECS_NAMESPACE) {
    throw validation(`skiff scales Amazon ECS services only: ServiceNamespace must be ecs, got ${ref.ServiceNamespace}.`);
  }
  if (ref.ScalableDimension !== ECS_DIMENSION) {
    throw validation(`Unsupported scalable dimension ${ref.ScalableDimension} for service namespace ecs: use ${ECS_DIMENSION}.`);
  }
  if (!parseEcsResourceId(ref.ResourceId)) {
    throw validation(`Unsupported resource ID ${ref.ResourceId}: an ECS service is service/<cluster-name>/<service-name>.`);
  }
  return targetKey(ref.ServiceNamespace, ref.ResourceId, ref.ScalableDimension);
}

/** Optional filters of the Describe operations: enum-checked when given. */
export function checkFilters(req: { ServiceNamespace: string; ScalableDimension?: string | undefined; ResourceId?: string | undefined }): void {
  checkNamespace(req.ServiceNamespace);
  if (req.ScalableDimension !== undefined) checkEnum(req.ScalableDimension, SCALABLE_DIMENSIONS, 'ScalableDimension');
  if (req.ResourceId !== undefined) checkLength(req.ResourceId, 'ResourceId', 1, 1600);
}

/** Parses an awsJson timestamp (epoch seconds, or an ISO string) to epoch ms. */
export function timestampMs(value: number | string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value * 1000 : Date.parse(value);
  if (!Number.isFinite(ms)) throw validation(`${field} is not a valid timestamp: ${String(value)}.`);
  return ms;
}

/** A member the API reference marks as required only in some cases (e.g. when creating). */
export function missing(field: string, why: string): AwsError {
  return validation(`${field} is required ${why}.`);
}
