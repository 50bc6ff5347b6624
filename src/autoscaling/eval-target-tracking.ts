import { inCooldown, recentRun } from './eval-series.js';
import type { EvaluationSettings, TargetSnapshot, Verdict } from './eval-types.js';
import type { StoredPolicy, TargetTrackingConfig } from './model.js';
import { metricKey } from './names.js';

/** AWS's default cooldowns for ECS services, seconds. */
export const DEFAULT_COOLDOWN_SEC = 300;

/**
 * One target tracking policy's verdict (see README "Target tracking"):
 * - out when the last `scaleOutDatapoints` datapoints are all above the target:
 *   ceil(base × newest / target), where base is the capacity before the last scale-out
 *   while its cooldown lasts (so the capacity it added counts), else the current capacity;
 * - in when the last `scaleInDatapoints` are all below `scaleInRatio` × target and no
 *   cooldown blocks it: ceil(current × highest / target), removing at most
 *   `scaleInMaxFraction` of the current capacity (at least one task) per step.
 */
export function evaluateTargetTracking(policy: StoredPolicy, snap: TargetSnapshot, s: EvaluationSettings): Verdict {
  const cfg = policy.targetTracking;
  if (!cfg?.PredefinedMetricSpecification) return { kind: 'none', policy: policy.name, vetoesScaleIn: false };
  const spec = cfg.PredefinedMetricSpecification;
  const series = snap.state.series[metricKey(spec.PredefinedMetricType, spec.ResourceLabel)] ?? [];
  const target = cfg.TargetValue;
  const canScaleIn = cfg.DisableScaleIn !== true;
  const hold: Verdict = { kind: 'none', policy: policy.name, vetoesScaleIn: canScaleIn };

  const high = recentRun(series, s.scaleOutDatapoints, snap.now, s.periodMs);
  if (high?.every((d) => d.value > target)) {
    const newest = high[high.length - 1]?.value ?? target;
    const capacity = scaleOutCapacity(cfg, snap, newest);
    if (capacity > snap.current) return { kind: 'out', policy: policy.name, alarm: alarmOf(policy, 'AlarmHigh'), capacity };
    return hold;
  }
  if (!canScaleIn) return hold;
  const low = recentRun(series, s.scaleInDatapoints, snap.now, s.periodMs);
  if (!low?.every((d) => d.value < target * s.scaleInRatio)) return hold;
  if (scaleInBlocked(cfg, snap)) return hold;
  const capacity = scaleInCapacity(snap.current, Math.max(...low.map((d) => d.value)), target, s.scaleInMaxFraction);
  if (capacity >= snap.current) return hold;
  return { kind: 'in', policy: policy.name, alarm: alarmOf(policy, 'AlarmLow'), capacity, tracking: true };
}

function scaleOutCapacity(cfg: TargetTrackingConfig, snap: TargetSnapshot, metric: number): number {
  const last = snap.state.lastScaleOut;
  const base = last && inCooldown(last, cfg.ScaleOutCooldown ?? DEFAULT_COOLDOWN_SEC, snap.now) ? last.from : snap.current;
  return proportionalOut(base, metric, cfg.TargetValue);
}

/** ceil(base × metric / target); from zero tasks, one. Never below base + 1 when metric > target. */
export function proportionalOut(base: number, metric: number, target: number): number {
  if (base <= 0) return 1;
  return Math.max(base + 1, Math.ceil(round9((base * metric) / target)));
}

/**
 * ceil(current × metric / target) — rounding up removes less, as AWS "acts
 * conservatively" — and never more than `maxFraction` of current (at least one) at once.
 */
export function scaleInCapacity(current: number, metric: number, target: number, maxFraction: number): number {
  const proportional = Math.ceil(round9((current * metric) / target));
  const maxStep = Math.max(1, Math.floor(current * maxFraction));
  return Math.max(proportional, current - maxStep, 0);
}

/** During a scale-in cooldown or a scale-out cooldown, target tracking does not scale in. */
function scaleInBlocked(cfg: TargetTrackingConfig, snap: TargetSnapshot): boolean {
  const { lastScaleIn, lastScaleOut } = snap.state;
  return (
    inCooldown(lastScaleIn, cfg.ScaleInCooldown ?? DEFAULT_COOLDOWN_SEC, snap.now) ||
    inCooldown(lastScaleOut, cfg.ScaleOutCooldown ?? DEFAULT_COOLDOWN_SEC, snap.now)
  );
}

function alarmOf(policy: StoredPolicy, which: 'AlarmHigh' | 'AlarmLow'): string {
  return policy.alarms.find((a) => a.AlarmName.includes(`-${which}-`))?.AlarmName ?? `${policy.name}-${which}`;
}

/** 2 × 150 / 75 must be 4, not 4.000000000000001. */
function round9(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}
