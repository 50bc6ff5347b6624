import type { SchedulerEcsParameters } from '../delivery/ecs.js';

export type ScheduleState = 'ENABLED' | 'DISABLED';

/** A Scheduler target as given (templated targets: ECS, Step Functions, universal aws-sdk:…). */
export interface SchedulerTarget {
  Arn: string;
  RoleArn: string;
  Input?: string | undefined;
  EcsParameters?: SchedulerEcsParameters | undefined;
  RetryPolicy?: { MaximumRetryAttempts?: number | undefined; MaximumEventAgeInSeconds?: number | undefined } | undefined;
  DeadLetterConfig?: { Arn?: string | undefined } | undefined;
  EventBridgeParameters?: { DetailType: string; Source: string } | undefined;
  KinesisParameters?: unknown;
  SageMakerPipelineParameters?: unknown;
  SqsParameters?: unknown;
}

/** A schedule as stored; dates are epoch ms. */
export interface StoredSchedule {
  Name: string;
  GroupName: string;
  Arn: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string | undefined;
  StartDate?: number | undefined;
  EndDate?: number | undefined;
  Description?: string | undefined;
  State: ScheduleState;
  KmsKeyArn?: string | undefined;
  Target: SchedulerTarget;
  FlexibleTimeWindow: { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number | undefined };
  ActionAfterCompletion?: 'NONE' | 'DELETE' | undefined;
  CreationDate: number;
  LastModificationDate: number;
  /** Where a rate counts from: StartDate, else when the schedule was created or last updated. */
  RateAnchor: number;
}

export interface StoredGroup {
  Name: string;
  Arn: string;
  State: 'ACTIVE' | 'DELETING';
  CreationDate: number;
  LastModificationDate: number;
}
