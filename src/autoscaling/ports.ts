/**
 * What Application Auto Scaling needs from the rest of skiff. The composition root
 * implements these over the ECS services scheduler, the container driver's stats and
 * the load balancer's counters; tests drive fakes.
 */

/** The predefined metrics skiff measures for ECS services. */
export type PredefinedMetric = 'ECSServiceAverageCPUUtilization' | 'ECSServiceAverageMemoryUtilization' | 'ALBRequestCountPerTarget';

export const PREDEFINED_METRICS: readonly PredefinedMetric[] = [
  'ECSServiceAverageCPUUtilization',
  'ECSServiceAverageMemoryUtilization',
  'ALBRequestCountPerTarget',
];

/** An ECS service as scaling sees it. */
export interface ScalableServiceState {
  /** The service's desired count: the scalable target's current capacity. */
  readonly desiredCount: number;
  readonly runningCount: number;
  /** A deployment other than the primary one is still rolling: scale-in waits for it. */
  readonly deploymentInProgress: boolean;
}

/**
 * ECS services by Application Auto Scaling resource id, `service/<cluster>/<service>`.
 * Both calls are synchronous: the service state lives in the same SQLite database.
 */
export interface ScalableServices {
  /** undefined when the service does not exist (or is no longer ACTIVE). */
  describe(resourceId: string): ScalableServiceState | undefined;
  /**
   * Sets the service's desired count, as UpdateService would. `cause` is the scaling
   * activity's cause, for the service's events. Throws when the change is refused.
   */
  setDesiredCount(resourceId: string, desiredCount: number, cause: string): void;
}

/**
 * One datapoint of a predefined metric for a service, measured over the last period:
 * - ECSServiceAverageCPUUtilization / ECSServiceAverageMemoryUtilization: percent of the
 *   tasks' reserved cpu / memory, averaged over the service's running tasks;
 * - ALBRequestCountPerTarget: requests the target group named by `resourceLabel`
 *   received in the period, divided by its healthy targets.
 * undefined means "no data" (no running task, no healthy target): the alarm then has
 * insufficient data and nothing scales, as in AWS.
 */
export interface MetricsSource {
  sample(resourceId: string, metric: PredefinedMetric, resourceLabel?: string): Promise<number | undefined>;
}
