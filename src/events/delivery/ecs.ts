import type { EcsParameters } from '@aws-sdk/client-eventbridge';
import type { RunTaskRequest, TaskOverride } from '@aws-sdk/client-ecs';
import type { EcsLaunch } from './model.js';

/** RunTask's `count` is at most 10; larger TaskCounts are sent as several RunTask calls. */
export const RUN_TASK_MAX = 10;

type Tag = { key: string; value: string };

/** EventBridge's EcsParameters (PascalCase, `Tags: [{Key, Value}]`) as RunTask fields. */
export function launchFromEventBridge(p: EcsParameters): EcsLaunch {
  const vpc = p.NetworkConfiguration?.awsvpcConfiguration;
  return compact({
    taskDefinition: p.TaskDefinitionArn ?? '',
    count: p.TaskCount ?? 1,
    launchType: p.LaunchType,
    networkConfiguration: vpc ? { awsvpcConfiguration: { subnets: vpc.Subnets, securityGroups: vpc.SecurityGroups, assignPublicIp: vpc.AssignPublicIp } } : undefined,
    platformVersion: p.PlatformVersion,
    group: p.Group,
    capacityProviderStrategy: p.CapacityProviderStrategy,
    enableECSManagedTags: p.EnableECSManagedTags,
    enableExecuteCommand: p.EnableExecuteCommand,
    placementConstraints: p.PlacementConstraints,
    placementStrategy: p.PlacementStrategy,
    propagateTags: p.PropagateTags,
    referenceId: p.ReferenceId,
    tags: p.Tags?.map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
  } as EcsLaunch);
}

/** Scheduler's EcsParameters: the same names, but `Tags` is a list of one-entry maps. */
export interface SchedulerEcsParameters extends Omit<EcsParameters, 'Tags'> {
  Tags?: Record<string, string>[] | undefined;
}

export function launchFromScheduler(p: SchedulerEcsParameters): EcsLaunch {
  const tags: Tag[] = (p.Tags ?? []).flatMap((m) => Object.entries(m).map(([key, value]) => ({ key, value })));
  return { ...launchFromEventBridge({ ...p, Tags: undefined }), ...(tags.length > 0 ? { tags } : {}) };
}

/**
 * The RunTask calls for one delivery. The input, when it is a JSON object, is the task
 * override (`{"containerOverrides": [...]}`) as EventBridge documents for ECS targets;
 * members that are not TaskOverride members (such as a whole event) are ignored. Each
 * call carries a client token derived from the delivery, so a retried delivery whose
 * earlier attempt did start the tasks starts no more.
 */
export function runTaskRequests(clusterArn: string, launch: EcsLaunch, input: string, deliveryId: string, startedBy: string | undefined): RunTaskRequest[] {
  const overrides = overridesOf(input);
  const total = launch.count ?? 1;
  const out: RunTaskRequest[] = [];
  for (let i = 0, left = total; left > 0; i++, left -= RUN_TASK_MAX) {
    out.push(
      compact({
        ...launch,
        cluster: clusterArn,
        count: Math.min(RUN_TASK_MAX, left),
        overrides,
        startedBy,
        clientToken: `${deliveryId}-${i}`.slice(0, 64),
      }),
    );
  }
  return out;
}

const OVERRIDE_KEYS: (keyof TaskOverride)[] = [
  'containerOverrides',
  'cpu',
  'memory',
  'taskRoleArn',
  'executionRoleArn',
  'ephemeralStorage',
  'inferenceAcceleratorOverrides',
];

export function overridesOf(input: string): TaskOverride | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(input);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const src = parsed as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const k of OVERRIDE_KEYS) if (src[k] !== undefined) picked[k] = src[k];
  return Object.keys(picked).length > 0 ? (picked as TaskOverride) : undefined;
}

/** Scheduler's universal target input (`aws-sdk:ecs:runTask`) uses the API's PascalCase names. */
export function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), camelKeys(v)]));
}

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
