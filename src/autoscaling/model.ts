/**
 * What Application Auto Scaling keeps. Wire-facing members keep the API's PascalCase
 * names so a stored configuration is echoed back exactly as it was given.
 */

export const ECS_NAMESPACE = 'ecs';
export const ECS_DIMENSION = 'ecs:service:DesiredCount';

export interface SuspendedState {
  DynamicScalingInSuspended: boolean;
  DynamicScalingOutSuspended: boolean;
  ScheduledScalingSuspended: boolean;
}

/** A scalable target: one dimension of one resource, e.g. an ECS service's desired count. */
export interface StoredTarget {
  /** `namespace|resourceId|dimension`, the identity AWS uses. */
  key: string;
  serviceNamespace: string;
  resourceId: string;
  scalableDimension: string;
  minCapacity: number;
  maxCapacity: number;
  roleArn: string;
  arn: string;
  /** The uuid AWS puts in the ARNs of this target's policies and scheduled actions. */
  uuid: string;
  createdAt: number;
  suspended: SuspendedState;
}

export type AdjustmentType = 'ChangeInCapacity' | 'PercentChangeInCapacity' | 'ExactCapacity';
export type MetricAggregation = 'Average' | 'Minimum' | 'Maximum';

export interface PredefinedMetricSpecification {
  PredefinedMetricType: string;
  ResourceLabel?: string;
}

export interface TargetTrackingConfig {
  TargetValue: number;
  PredefinedMetricSpecification?: PredefinedMetricSpecification;
  ScaleOutCooldown?: number;
  ScaleInCooldown?: number;
  DisableScaleIn?: boolean;
}

export interface StepAdjustment {
  MetricIntervalLowerBound?: number;
  MetricIntervalUpperBound?: number;
  ScalingAdjustment: number;
}

export interface StepScalingConfig {
  AdjustmentType?: AdjustmentType;
  StepAdjustments?: StepAdjustment[];
  MinAdjustmentMagnitude?: number;
  Cooldown?: number;
  MetricAggregationType?: MetricAggregation;
}

export interface Alarm {
  AlarmName: string;
  AlarmARN: string;
}

export type PolicyType = 'TargetTrackingScaling' | 'StepScaling';

export interface StoredPolicy {
  targetKey: string;
  name: string;
  arn: string;
  type: PolicyType;
  targetTracking?: TargetTrackingConfig | undefined;
  step?: StepScalingConfig | undefined;
  /** Target tracking: the alarms AWS would create (high, and low unless scale-in is disabled). */
  alarms: Alarm[];
  createdAt: number;
}

export interface ScalableTargetAction {
  MinCapacity?: number;
  MaxCapacity?: number;
}

export interface StoredScheduledAction {
  targetKey: string;
  name: string;
  arn: string;
  schedule: string;
  timezone?: string | undefined;
  startTime?: number | undefined;
  endTime?: number | undefined;
  action: ScalableTargetAction;
  createdAt: number;
  /** When it was last put: fire times at or before this never run. */
  updatedAt: number;
}

export type ActivityStatus = 'Pending' | 'InProgress' | 'Successful' | 'Overridden' | 'Unfulfilled' | 'Failed';

export interface NotScaledReason {
  Code: 'AlreadyAtMaxCapacity' | 'AlreadyAtMinCapacity' | 'AlreadyAtDesiredCapacity' | 'AutoScalingAnticipatedFlapping';
  MaxCapacity?: number;
  MinCapacity?: number;
  CurrentCapacity?: number;
}

export interface StoredActivity {
  activityId: string;
  targetKey: string;
  serviceNamespace: string;
  resourceId: string;
  scalableDimension: string;
  description: string;
  cause: string;
  startTime: number;
  endTime?: number | undefined;
  status: ActivityStatus;
  statusMessage?: string | undefined;
  notScaledReasons?: NotScaledReason[] | undefined;
  /** The desired count this activity set, to tell when the service has it running. */
  desiredCount?: number | undefined;
}

export interface Datapoint {
  /** epoch ms */
  at: number;
  value: number;
}

/** The last scaling in one direction, for cooldowns. */
export interface ScaleEvent {
  at: number;
  from: number;
  to: number;
}

/** Per-target evaluation state, persisted after every tick so a restart carries on. */
export interface EvaluationState {
  /** Recent datapoints per metric key (`metric` or `metric|label`), oldest first. */
  series: Record<string, Datapoint[]>;
  lastScaleOut?: ScaleEvent | undefined;
  lastScaleIn?: ScaleEvent | undefined;
  /** Scheduled-action fire times up to this instant have been handled. */
  scheduleCheckedAt?: number | undefined;
  /** The standing "not scaled" condition last recorded, so it is recorded once, not every period. */
  lastNotScaled?: string | undefined;
}

export function emptyState(): EvaluationState {
  return { series: {} };
}
