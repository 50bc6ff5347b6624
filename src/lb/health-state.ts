/**
 * The target health state machine, as DescribeTargetHealth reports it. Pure: the
 * health checker feeds it check results; registration and deregistration set states.
 *
 *   register ─▶ initial ──────(one success)───────────────▶ healthy
 *                 │                                          │  ▲
 *                 └──(unhealthy threshold failures)──▶ unhealthy ─┘ (healthy threshold successes)
 *   deregister (any state) ─▶ draining ──(deregistration delay)──▶ removed
 *   group used by no listener ─▶ unused (no checks, no traffic)
 */
export type HealthState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining';

export type HealthReason =
  | 'Elb.RegistrationInProgress'
  | 'Elb.InitialHealthChecking'
  | 'Target.ResponseCodeMismatch'
  | 'Target.Timeout'
  | 'Target.FailedHealthChecks'
  | 'Target.NotInUse'
  | 'Target.DeregistrationInProgress';

export interface TargetHealth {
  readonly state: HealthState;
  readonly reason: HealthReason | undefined;
  readonly description: string | undefined;
  /** Consecutive successful checks (reset by a failure). */
  readonly successes: number;
  /** Consecutive failed checks (reset by a success). */
  readonly failures: number;
}

export type CheckResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'Target.ResponseCodeMismatch' | 'Target.Timeout' | 'Target.FailedHealthChecks'; readonly description: string };

export interface Thresholds {
  readonly healthy: number;
  readonly unhealthy: number;
}

export const registering: TargetHealth = {
  state: 'initial',
  reason: 'Elb.RegistrationInProgress',
  description: 'Target registration is in progress',
  successes: 0,
  failures: 0,
};

export const notInUse: TargetHealth = {
  state: 'unused',
  reason: 'Target.NotInUse',
  description: 'Target group is not configured to receive traffic from the load balancer',
  successes: 0,
  failures: 0,
};

export const draining: TargetHealth = {
  state: 'draining',
  reason: 'Target.DeregistrationInProgress',
  description: 'Target deregistration is in progress',
  successes: 0,
  failures: 0,
};

const HEALTHY: TargetHealth = { state: 'healthy', reason: undefined, description: undefined, successes: 0, failures: 0 };

/**
 * The health after one check result. Draining and unused targets are not checked: unchanged.
 * A newly registered target is healthy after its first passing check ("After your target is
 * registered, it must pass one health check to be considered healthy"); the healthy threshold
 * is what an unhealthy target must pass to return.
 */
export function afterCheck(h: TargetHealth, result: CheckResult, t: Thresholds): TargetHealth {
  if (h.state === 'draining' || h.state === 'unused') return h;
  if (result.ok) {
    const successes = h.successes + 1;
    if (h.state !== 'unhealthy' || successes >= t.healthy) return { ...HEALTHY, successes };
    return { ...h, successes, failures: 0 };
  }
  const failures = h.failures + 1;
  if (h.state === 'unhealthy' || failures >= t.unhealthy) {
    return { state: 'unhealthy', reason: result.reason, description: result.description, successes: 0, failures };
  }
  if (h.state === 'initial') {
    return { state: 'initial', reason: 'Elb.InitialHealthChecking', description: 'Initial health checks in progress', successes: 0, failures };
  }
  return { ...h, successes: 0, failures };
}

/** Whether `code` satisfies a matcher such as `200`, `200,202` or `200-299`. */
export function codeMatches(matcher: string, code: number): boolean {
  for (const part of matcher.split(',')) {
    const [lo, hi] = part.trim().split('-');
    const low = Number(lo);
    const high = hi === undefined ? low : Number(hi);
    if (code >= low && code <= high) return true;
  }
  return false;
}
