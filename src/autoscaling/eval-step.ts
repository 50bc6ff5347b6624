import { aggregate, compare, inCooldown, recentRun } from './eval-series.js';
import type { EvaluationSettings, StepAlarm, TargetSnapshot, Verdict } from './eval-types.js';
import { DEFAULT_COOLDOWN_SEC } from './eval-target-tracking.js';
import type { AdjustmentType, StepAdjustment, StoredPolicy } from './model.js';
import { metricKey } from './names.js';

/**
 * One step policy's verdict. Its alarm is in ALARM when its last `evaluationPeriods`
 * datapoints all breach the threshold; while it stays there the policy runs every period
 * (as AWS re-invokes a policy while its alarm is in ALARM), subject to its cooldown:
 * - scale-out during the cooldown of the last scale-out starts from the capacity before
 *   it (what that scale-out added counts), and only a larger result applies;
 * - scale-in waits for the cooldown after the last scale-in or scale-out.
 */
export function evaluateStep(policy: StoredPolicy, alarm: StepAlarm | undefined, snap: TargetSnapshot, s: EvaluationSettings): Verdict {
  const none: Verdict = { kind: 'none', policy: policy.name, vetoesScaleIn: false };
  const cfg = policy.step;
  if (!cfg || !alarm) return none;
  const series = snap.state.series[metricKey(alarm.metric, alarm.resourceLabel)] ?? [];
  const run = recentRun(series, alarm.evaluationPeriods, snap.now, s.periodMs);
  if (!run?.every((d) => compare(d.value, alarm.comparison, alarm.threshold))) return none;
  const value = aggregate(run.map((d) => d.value), cfg.MetricAggregationType ?? 'Average');
  const above = alarm.comparison === '>' || alarm.comparison === '>=';
  const step = pickStep(cfg.StepAdjustments ?? [], value - alarm.threshold, above);
  if (!step) return none;
  const type = cfg.AdjustmentType ?? 'ChangeInCapacity';
  const cooldown = cfg.Cooldown ?? DEFAULT_COOLDOWN_SEC;
  const { lastScaleOut, lastScaleIn } = snap.state;
  const outBase = lastScaleOut && inCooldown(lastScaleOut, cooldown, snap.now) ? lastScaleOut.from : snap.current;
  const outward = adjustedCapacity(type, outBase, step.ScalingAdjustment, cfg.MinAdjustmentMagnitude);
  if (outward > snap.current) return { kind: 'out', policy: policy.name, alarm: alarm.name, capacity: outward };
  const inward = adjustedCapacity(type, snap.current, step.ScalingAdjustment, cfg.MinAdjustmentMagnitude);
  if (inward >= snap.current) return none;
  if (inCooldown(lastScaleIn, cooldown, snap.now) || inCooldown(lastScaleOut, cooldown, snap.now)) return none;
  return { kind: 'in', policy: policy.name, alarm: alarm.name, capacity: inward, tracking: false };
}

/**
 * The step whose interval holds `breach` (metric − threshold). For an alarm above its
 * threshold the lower bound is inclusive and the upper exclusive; below, the reverse.
 */
export function pickStep(steps: readonly StepAdjustment[], breach: number, above: boolean): StepAdjustment | undefined {
  return steps.find((st) => {
    const lo = st.MetricIntervalLowerBound ?? -Infinity;
    const hi = st.MetricIntervalUpperBound ?? Infinity;
    return above ? lo <= breach && breach < hi : lo < breach && breach <= hi;
  });
}

/**
 * The capacity an adjustment asks for. PercentChangeInCapacity rounds as AWS documents:
 * a change between -1 and 1 becomes ±1, larger ones are truncated toward zero, and
 * MinAdjustmentMagnitude raises a smaller change to that magnitude.
 */
export function adjustedCapacity(type: AdjustmentType, current: number, adjustment: number, minMagnitude?: number): number {
  if (type === 'ExactCapacity') return Math.max(0, adjustment);
  if (type === 'ChangeInCapacity') return Math.max(0, current + adjustment);
  const raw = (current * adjustment) / 100;
  if (raw === 0) return current;
  let change = Math.abs(raw) < 1 ? Math.sign(raw) : Math.trunc(raw);
  if (minMagnitude !== undefined && Math.abs(change) < minMagnitude) change = Math.sign(raw) * minMagnitude;
  return Math.max(0, current + change);
}
