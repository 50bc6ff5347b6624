import { validation } from './errors.js';
import type { AdjustmentType, MetricAggregation, PolicyType, StepAdjustment, StepScalingConfig, TargetTrackingConfig } from './model.js';
import { PREDEFINED_METRICS } from './ports.js';
import { checkEnum, checkLength, checkNonNegative, finiteNumber, missing } from './validate.js';

const POLICY_TYPES = ['StepScaling', 'TargetTrackingScaling', 'PredictiveScaling'] as const;
const ADJUSTMENT_TYPES: readonly AdjustmentType[] = ['ChangeInCapacity', 'PercentChangeInCapacity', 'ExactCapacity'];
const AGGREGATIONS: readonly MetricAggregation[] = ['Average', 'Minimum', 'Maximum'];
/** Every PredefinedMetricType the 2016-02-06 model knows; skiff measures the ECS ones. */
const METRIC_TYPES = [
  'DynamoDBReadCapacityUtilization', 'DynamoDBWriteCapacityUtilization', 'ALBRequestCountPerTarget',
  'RDSReaderAverageCPUUtilization', 'RDSReaderAverageDatabaseConnections', 'EC2SpotFleetRequestAverageCPUUtilization',
  'EC2SpotFleetRequestAverageNetworkIn', 'EC2SpotFleetRequestAverageNetworkOut', 'SageMakerVariantInvocationsPerInstance',
  'ECSServiceAverageCPUUtilization', 'ECSServiceAverageMemoryUtilization', 'AppStreamAverageCapacityUtilization',
  'ComprehendInferenceUtilization', 'LambdaProvisionedConcurrencyUtilization', 'CassandraReadCapacityUtilization',
  'CassandraWriteCapacityUtilization', 'KafkaBrokerStorageUtilization', 'ElastiCacheEngineCPUUtilization',
  'ElastiCacheDatabaseMemoryUsagePercentage', 'ElastiCachePrimaryEngineCPUUtilization', 'ElastiCacheReplicaEngineCPUUtilization',
  'ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage', 'NeptuneReaderAverageCPUUtilization',
  'SageMakerVariantProvisionedConcurrencyUtilization', 'ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage',
  'SageMakerInferenceComponentInvocationsPerCopy', 'WorkSpacesAverageUserSessionsCapacityUtilization',
  'SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution', 'SageMakerVariantConcurrentRequestsPerModelHighResolution',
];
/** `app/<load-balancer-name>/<id>/targetgroup/<target-group-name>/<id>` */
const ALB_LABEL = /^app\/[^/]+\/[^/]+\/targetgroup\/[^/]+\/[^/]+$/;

export function checkPolicyName(name: string): void {
  checkLength(name, 'PolicyName', 1, 256);
  if (!/^[\x20-\x7e]+$/.test(name)) throw validation(`PolicyName must be printable characters, got '${name}'.`);
}

/** The policy type: required for a new policy; PredictiveScaling is refused as unsupported. */
export function checkPolicyType(type: string | undefined, existing: PolicyType | undefined): PolicyType {
  if (type === undefined) {
    if (existing) return existing;
    throw missing('PolicyType', 'when creating a scaling policy');
  }
  const t = checkEnum(type, POLICY_TYPES, 'PolicyType');
  if (t === 'PredictiveScaling') {
    throw validation('PredictiveScaling policies are not supported by skiff: it keeps no metric history to forecast from. Use TargetTrackingScaling or StepScaling.');
  }
  return t;
}

export function checkTargetTracking(cfg: (TargetTrackingConfig & { CustomizedMetricSpecification?: unknown }) | undefined): TargetTrackingConfig {
  if (!cfg) throw missing('TargetTrackingScalingPolicyConfiguration', 'for a TargetTrackingScaling policy');
  const target = finiteNumber(cfg.TargetValue, 'TargetValue') ?? 0;
  if (!(target > 0)) throw validation(`TargetValue must be greater than 0, got ${target}.`);
  if (cfg.CustomizedMetricSpecification !== undefined) {
    throw validation(
      `CustomizedMetricSpecification is not supported by skiff (it has no CloudWatch metrics): use PredefinedMetricSpecification with ${PREDEFINED_METRICS.join(', ')}.`,
    );
  }
  const spec = cfg.PredefinedMetricSpecification;
  if (!spec) throw missing('PredefinedMetricSpecification', 'in a TargetTrackingScalingPolicyConfiguration');
  checkEnum(spec.PredefinedMetricType, METRIC_TYPES, 'PredefinedMetricType');
  if (!(PREDEFINED_METRICS as readonly string[]).includes(spec.PredefinedMetricType)) {
    throw validation(`PredefinedMetricType ${spec.PredefinedMetricType} is not valid for service namespace ecs: use one of ${PREDEFINED_METRICS.join(', ')}.`);
  }
  checkResourceLabel(spec.PredefinedMetricType, spec.ResourceLabel);
  checkNonNegative(cfg.ScaleOutCooldown, 'ScaleOutCooldown');
  checkNonNegative(cfg.ScaleInCooldown, 'ScaleInCooldown');
  return {
    TargetValue: target,
    PredefinedMetricSpecification: spec,
    ...(cfg.ScaleOutCooldown !== undefined ? { ScaleOutCooldown: cfg.ScaleOutCooldown } : {}),
    ...(cfg.ScaleInCooldown !== undefined ? { ScaleInCooldown: cfg.ScaleInCooldown } : {}),
    ...(cfg.DisableScaleIn !== undefined ? { DisableScaleIn: cfg.DisableScaleIn } : {}),
  };
}

function checkResourceLabel(metric: string, label: string | undefined): void {
  if (metric === 'ALBRequestCountPerTarget') {
    if (label === undefined) throw missing('ResourceLabel', 'for the ALBRequestCountPerTarget metric type');
    checkLength(label, 'ResourceLabel', 1, 1023);
    if (!ALB_LABEL.test(label)) {
      throw validation(`ResourceLabel ${label} is not valid: use app/<load-balancer-name>/<id>/targetgroup/<target-group-name>/<id>.`);
    }
  } else if (label !== undefined) {
    throw validation(`ResourceLabel is allowed only with the ALBRequestCountPerTarget metric type, not ${metric}.`);
  }
}

/** A step configuration, completed from the policy's previous one when it is updated. */
export function checkStepScaling(cfg: StepScalingConfig | undefined, previous: StepScalingConfig | undefined): StepScalingConfig {
  if (!cfg && !previous) throw missing('StepScalingPolicyConfiguration', 'for a StepScaling policy');
  const merged: StepScalingConfig = { ...previous, ...cfg };
  if (merged.AdjustmentType === undefined) throw missing('AdjustmentType', 'for a new step scaling policy configuration');
  checkEnum(merged.AdjustmentType, ADJUSTMENT_TYPES, 'AdjustmentType');
  if (merged.MetricAggregationType !== undefined) checkEnum(merged.MetricAggregationType, AGGREGATIONS, 'MetricAggregationType');
  checkNonNegative(merged.Cooldown, 'Cooldown');
  checkNonNegative(merged.MinAdjustmentMagnitude, 'MinAdjustmentMagnitude');
  const steps = merged.StepAdjustments ?? [];
  if (steps.length === 0) throw validation('StepAdjustments must contain at least one step adjustment.');
  checkSteps(steps, merged.AdjustmentType);
  return merged;
}

/** Bounds are numbers, upper > lower, ranges neither overlap nor leave gaps, one open end each way at most. */
export function checkSteps(steps: readonly StepAdjustment[], type: AdjustmentType): void {
  for (const st of steps) {
    const lo = finiteNumber(st.MetricIntervalLowerBound, 'MetricIntervalLowerBound');
    const hi = finiteNumber(st.MetricIntervalUpperBound, 'MetricIntervalUpperBound');
    if (lo !== undefined && hi !== undefined && hi <= lo) {
      throw validation(`Step adjustment upper bound (${hi}) must be greater than its lower bound (${lo}).`);
    }
    if (type === 'ExactCapacity' && st.ScalingAdjustment < 0) {
      throw validation(`With ExactCapacity, ScalingAdjustment must not be negative, got ${st.ScalingAdjustment}.`);
    }
  }
  const sorted = [...steps].sort((a, b) => (a.MetricIntervalLowerBound ?? -Infinity) - (b.MetricIntervalLowerBound ?? -Infinity));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]?.MetricIntervalUpperBound;
    const next = sorted[i]?.MetricIntervalLowerBound;
    if (prev === undefined || next === undefined || prev !== next) {
      throw validation('Step adjustments must not overlap or leave gaps: each step must start where the previous one ends, and only the first may have no lower bound and only the last no upper bound.');
    }
  }
}
