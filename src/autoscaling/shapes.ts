import { S, type Shape } from '../api/index.js';

/**
 * Input shapes of the Application Auto Scaling operations (from the 2016-02-06 model).
 * The shape checker has no double: MetricScale members are `any` here and checked as
 * finite numbers by `validate.ts`.
 */
const double = S.any;
const target = { ServiceNamespace: S.string, ResourceId: S.string, ScalableDimension: S.string };
const targetRequired = ['ServiceNamespace', 'ResourceId', 'ScalableDimension'];
const paging = { MaxResults: S.integer, NextToken: S.string };

const suspendedState = S.struct({
  DynamicScalingInSuspended: S.boolean,
  DynamicScalingOutSuspended: S.boolean,
  ScheduledScalingSuspended: S.boolean,
});

const predefinedMetric = S.struct({ PredefinedMetricType: S.string, ResourceLabel: S.string }, ['PredefinedMetricType']);

const targetTracking = S.struct(
  {
    TargetValue: double,
    PredefinedMetricSpecification: predefinedMetric,
    CustomizedMetricSpecification: S.any,
    ScaleOutCooldown: S.integer,
    ScaleInCooldown: S.integer,
    DisableScaleIn: S.boolean,
  },
  ['TargetValue'],
);

const stepAdjustment = S.struct(
  { MetricIntervalLowerBound: double, MetricIntervalUpperBound: double, ScalingAdjustment: S.integer },
  ['ScalingAdjustment'],
);

const stepScaling = S.struct({
  AdjustmentType: S.string,
  StepAdjustments: S.list(stepAdjustment),
  MinAdjustmentMagnitude: S.integer,
  Cooldown: S.integer,
  MetricAggregationType: S.string,
});

export const autoscalingShapes = {
  RegisterScalableTarget: S.struct(
    { ...target, MinCapacity: S.integer, MaxCapacity: S.integer, RoleARN: S.string, SuspendedState: suspendedState, Tags: S.map(S.string) },
    targetRequired,
  ),
  DescribeScalableTargets: S.struct(
    { ServiceNamespace: S.string, ResourceIds: S.strings, ScalableDimension: S.string, ...paging },
    ['ServiceNamespace'],
  ),
  DeregisterScalableTarget: S.struct(target, targetRequired),
  PutScalingPolicy: S.struct(
    {
      PolicyName: S.string,
      ...target,
      PolicyType: S.string,
      StepScalingPolicyConfiguration: stepScaling,
      TargetTrackingScalingPolicyConfiguration: targetTracking,
      PredictiveScalingPolicyConfiguration: S.any,
    },
    ['PolicyName', ...targetRequired],
  ),
  DescribeScalingPolicies: S.struct(
    { PolicyNames: S.strings, ServiceNamespace: S.string, ResourceId: S.string, ScalableDimension: S.string, ...paging },
    ['ServiceNamespace'],
  ),
  DeleteScalingPolicy: S.struct({ PolicyName: S.string, ...target }, ['PolicyName', ...targetRequired]),
  DescribeScalingActivities: S.struct(
    { ServiceNamespace: S.string, ResourceId: S.string, ScalableDimension: S.string, IncludeNotScaledActivities: S.boolean, ...paging },
    ['ServiceNamespace'],
  ),
  PutScheduledAction: S.struct(
    {
      ...target,
      ScheduledActionName: S.string,
      Schedule: S.string,
      Timezone: S.string,
      StartTime: S.timestamp,
      EndTime: S.timestamp,
      ScalableTargetAction: S.struct({ MinCapacity: S.integer, MaxCapacity: S.integer }),
    },
    ['ScheduledActionName', ...targetRequired],
  ),
  DescribeScheduledActions: S.struct(
    { ScheduledActionNames: S.strings, ServiceNamespace: S.string, ResourceId: S.string, ScalableDimension: S.string, ...paging },
    ['ServiceNamespace'],
  ),
  DeleteScheduledAction: S.struct({ ...target, ScheduledActionName: S.string }, ['ScheduledActionName', ...targetRequired]),
  TagResource: S.struct({ ResourceARN: S.string, Tags: S.map(S.string) }, ['ResourceARN', 'Tags']),
  UntagResource: S.struct({ ResourceARN: S.string, TagKeys: S.strings }, ['ResourceARN', 'TagKeys']),
  ListTagsForResource: S.struct({ ResourceARN: S.string }, ['ResourceARN']),
} satisfies Record<string, Shape>;

export type AutoscalingOperation = keyof typeof autoscalingShapes;
