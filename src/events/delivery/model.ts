import type { RunTaskRequest } from '@aws-sdk/client-ecs';

/** How a target retries, as EventBridge's and Scheduler's RetryPolicy. */
export interface RetrySettings {
  /** Retries after the first attempt (0 = one attempt only). */
  readonly maximumRetryAttempts: number;
  /** How long after the event a delivery may still be attempted, in seconds. */
  readonly maximumEventAgeSeconds: number;
}

/** AWS's defaults: 185 retries within 24 hours. */
export const DEFAULT_RETRY: RetrySettings = { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 };

/** What RunTask needs of an ECS target, besides the cluster (the target ARN) and the overrides (the input). */
export type EcsLaunch = Omit<RunTaskRequest, 'cluster' | 'overrides' | 'clientToken' | 'startedBy' | 'taskDefinition'> & {
  taskDefinition: string;
};

/** A snapshot of the target taken when the event was accepted, so later edits do not change it. */
export interface DeliveryTarget {
  readonly arn: string;
  readonly roleArn?: string | undefined;
  readonly ecs?: EcsLaunch | undefined;
  /** `startedBy` of the tasks an ECS target runs (≤ 128 characters). */
  readonly startedBy?: string | undefined;
}

/** One event on its way to one target: a row of the durable queue. */
export interface Delivery {
  readonly id: string;
  readonly origin: 'rule' | 'schedule';
  /** The rule's or schedule's ARN. */
  readonly sourceArn: string;
  readonly targetId: string;
  readonly target: DeliveryTarget;
  /** The text delivered (already transformed). */
  readonly input: string;
  readonly eventId: string;
  /** When the event happened (the age limit counts from here), epoch ms. */
  readonly eventTime: number;
  readonly retry: RetrySettings;
  readonly deadLetterArn?: string | undefined;
  attempts: number;
  nextAttemptAt: number;
  lastError?: DeliveryError | undefined;
}

export interface DeliveryError {
  readonly code: string;
  readonly message: string;
}

/** Why a delivery stopped: out of retries, too old, or failing in a way no retry can fix (such as its input). */
export type ExhaustedRetryCondition = 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds' | 'NotRetryable';

/** A delivery that will not be attempted again, with why: EventBridge's DLQ message attributes. */
export interface DeadLetter extends Delivery {
  readonly deadAt: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly exhaustedRetryCondition: ExhaustedRetryCondition;
}
