import type { EvaluationState, NotScaledReason, SuspendedState } from './model.js';
import type { PredefinedMetric } from './ports.js';

/** How alarms are evaluated; every count is in periods (one datapoint per period). */
export interface EvaluationSettings {
  /** Sampling period, ms. AWS's target tracking alarms use 1-minute datapoints. */
  readonly periodMs: number;
  /** Datapoints above target before scaling out (AWS AlarmHigh: 3 of 3 one-minute datapoints). */
  readonly scaleOutDatapoints: number;
  /** Datapoints below `scaleInRatio` × target before scaling in (AWS AlarmLow: 15 of 15). */
  readonly scaleInDatapoints: number;
  /** AWS's AlarmLow threshold is 90 % of the target value. */
  readonly scaleInRatio: number;
  /** Most of the current capacity one target-tracking scale-in removes (at least one task). */
  readonly scaleInMaxFraction: number;
}

export const DEFAULT_SETTINGS: EvaluationSettings = {
  periodMs: 60_000,
  scaleOutDatapoints: 3,
  scaleInDatapoints: 15,
  scaleInRatio: 0.9,
  scaleInMaxFraction: 0.5,
};

/** Everything a policy is evaluated against, at one instant. */
export interface TargetSnapshot {
  readonly now: number;
  /** The service's desired count. */
  readonly current: number;
  readonly min: number;
  readonly max: number;
  readonly deploymentInProgress: boolean;
  readonly suspended: SuspendedState;
  readonly state: EvaluationState;
}

export type Comparison = '>=' | '>' | '<=' | '<';

/** The alarm that drives a step policy (AWS: a CloudWatch alarm; skiff: built in, see README). */
export interface StepAlarm {
  readonly name: string;
  readonly metric: PredefinedMetric;
  readonly resourceLabel?: string | undefined;
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly evaluationPeriods: number;
}

/** What one policy asks for this period. */
export type Verdict =
  | { kind: 'out'; policy: string; alarm: string; capacity: number }
  | { kind: 'in'; policy: string; alarm: string; capacity: number; tracking: boolean }
  /** `vetoesScaleIn`: a target tracking policy that can scale in but is not ready to. */
  | { kind: 'none'; policy: string; vetoesScaleIn: boolean };

export type Decision =
  | { kind: 'scale'; direction: 'out' | 'in'; from: number; to: number; policy: string; alarm: string }
  | { kind: 'notScaled'; direction: 'out' | 'in'; wanted: number; reason: NotScaledReason; policy: string; alarm: string }
  | { kind: 'none' };
