import { formatArn, type AccountScope, type IdGenerator } from '../core/index.js';
import type { StoredTarget } from './model.js';

/** The identity of a scalable target, as AWS keys it. */
export function targetKey(namespace: string, resourceId: string, dimension: string): string {
  return `${namespace}|${resourceId}|${dimension}`;
}

/** `arn:aws:application-autoscaling:<region>:<account>:scalable-target/<36 characters>`, as AWS returns it. */
export function scalableTargetArn(scope: AccountScope, ids: IdGenerator): string {
  return formatArn(scope, 'application-autoscaling', `scalable-target/${ids.hex32().slice(0, 4)}${ids.hex32()}`);
}

/** The service-linked role AWS reports for ECS targets registered without a RoleARN. */
export function defaultRoleArn(scope: AccountScope): string {
  return formatArn(
    { region: '', account: scope.account },
    'iam',
    'role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService',
  );
}

/** AWS puts the target's uuid in every policy ARN of that target. */
export function policyArn(scope: AccountScope, target: StoredTarget, name: string): string {
  const resource = `scalingPolicy:${target.uuid}:resource/${target.serviceNamespace}/${target.resourceId}:policyName/${name}`;
  return formatArn(scope, 'autoscaling', resource);
}

export function scheduledActionArn(scope: AccountScope, target: StoredTarget, name: string): string {
  const resource = `scheduledAction:${target.uuid}:resource/${target.serviceNamespace}/${target.resourceId}:scheduledActionName/${name}`;
  return formatArn(scope, 'autoscaling', resource);
}

export function alarmArn(scope: AccountScope, alarmName: string): string {
  return formatArn(scope, 'cloudwatch', `alarm:${alarmName}`);
}

/** `TargetTracking-service/<cluster>/<service>-AlarmHigh-<uuid>`, as AWS names the alarms it creates. */
export function targetTrackingAlarmName(resourceId: string, which: 'AlarmHigh' | 'AlarmLow', uuid: string): string {
  return `TargetTracking-${resourceId}-${which}-${uuid}`;
}

/** The built-in alarm of a step policy (see README: step scaling alarms). */
export function stepAlarmName(resourceId: string, policyName: string): string {
  return `StepScaling-${resourceId}-${policyName}`;
}

const NAME = /^[a-zA-Z0-9_-]{1,255}$/;

/** `service/<cluster>/<service>` split into its names; undefined when it is not of that form. */
export function parseEcsResourceId(resourceId: string): { cluster: string; service: string } | undefined {
  const parts = resourceId.split('/');
  if (parts.length !== 3 || parts[0] !== 'service') return undefined;
  const [, cluster, service] = parts as [string, string, string];
  return NAME.test(cluster) && NAME.test(service) ? { cluster, service } : undefined;
}

/** The key of a metric's datapoint series: the ALB metric is per target group. */
export function metricKey(metric: string, resourceLabel?: string): string {
  return resourceLabel ? `${metric}|${resourceLabel}` : metric;
}
