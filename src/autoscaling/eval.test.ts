import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from './eval-decide.js';
import { recentRun } from './eval-series.js';
import { adjustedCapacity, evaluateStep, pickStep } from './eval-step.js';
import { evaluateTargetTracking, proportionalOut, scaleInCapacity } from './eval-target-tracking.js';
import { DEFAULT_SETTINGS, type StepAlarm, type TargetSnapshot, type Verdict } from './eval-types.js';
import type { Datapoint, EvaluationState, StoredPolicy, TargetTrackingConfig } from './model.js';

const NOW = Date.UTC(2026, 0, 1, 12);
const P = 60_000;
const S = DEFAULT_SETTINGS;
const CPU = 'ECSServiceAverageCPUUtilization';

/** Datapoints one period apart ending at NOW, oldest first. */
function points(values: number[], end = NOW): Datapoint[] {
  return values.map((value, i) => ({ at: end - (values.length - 1 - i) * P, value }));
}

function snap(current: number, values: number[], over: Omit<Partial<TargetSnapshot>, 'state'> & { state?: Partial<EvaluationState> } = {}): TargetSnapshot {
  const { state, ...rest } = over;
  return {
    now: NOW,
    current,
    min: 1,
    max: 100,
    deploymentInProgress: false,
    suspended: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false },
    state: { series: { [CPU]: points(values) }, ...state },
    ...rest,
  };
}

function tracking(cfg: Partial<TargetTrackingConfig> = {}, name = 'cpu'): StoredPolicy {
  return {
    targetKey: 'k',
    name,
    arn: `arn:${name}`,
    type: 'TargetTrackingScaling',
    targetTracking: { TargetValue: 75, PredefinedMetricSpecification: { PredefinedMetricType: CPU }, ...cfg },
    alarms: [
      { AlarmName: `TargetTracking-svc-AlarmHigh-${name}`, AlarmARN: 'x' },
      { AlarmName: `TargetTracking-svc-AlarmLow-${name}`, AlarmARN: 'y' },
    ],
    createdAt: 0,
  };
}

const low15 = Array<number>(15).fill(20);

describe('alarm datapoint runs', () => {
  it('needs n datapoints, the newest recent and none missing', () => {
    expect(recentRun(points([1, 2, 3]), 3, NOW, P)?.map((d) => d.value)).toEqual([1, 2, 3]);
    expect(recentRun(points([1, 2]), 3, NOW, P)).toBeUndefined();
    expect(recentRun(points([1, 2, 3], NOW - 2 * P), 3, NOW, P)).toBeUndefined();
    const gap = [...points([1], NOW - 5 * P), ...points([2, 3])];
    expect(recentRun(gap, 3, NOW, P)).toBeUndefined();
    expect(recentRun(gap, 2, NOW, P)?.map((d) => d.value)).toEqual([2, 3]);
  });
});

describe('target tracking', () => {
  it('scales out proportionally after 3 datapoints above target: ceil(2 × 150 / 75) = 4', () => {
    expect(evaluateTargetTracking(tracking(), snap(2, [150, 150, 150]), S)).toEqual({
      kind: 'out',
      policy: 'cpu',
      alarm: 'TargetTracking-svc-AlarmHigh-cpu',
      capacity: 4,
    });
  });

  it('waits for the third datapoint and for every one of them to be above target', () => {
    expect(evaluateTargetTracking(tracking(), snap(2, [150, 150]), S).kind).toBe('none');
    expect(evaluateTargetTracking(tracking(), snap(2, [150, 70, 150]), S).kind).toBe('none');
    expect(evaluateTargetTracking(tracking(), snap(2, [75, 75, 75]), S).kind).toBe('none');
  });

  it('scales in after 15 datapoints below 90 % of target, by the highest of them, at most half at once', () => {
    const v = evaluateTargetTracking(tracking(), snap(8, [...Array<number>(14).fill(10), 30]), S);
    // ceil(8 × 30 / 75) = 4; at most half of 8 goes: 4
    expect(v).toMatchObject({ kind: 'in', capacity: 4, alarm: 'TargetTracking-svc-AlarmLow-cpu' });
    expect(evaluateTargetTracking(tracking(), snap(10, low15), S)).toMatchObject({ kind: 'in', capacity: 5 });
    expect(evaluateTargetTracking(tracking(), snap(4, low15), S)).toMatchObject({ kind: 'in', capacity: 2 });
  });

  it('does not scale in on 14 low datapoints, or between 90 % and 100 % of target', () => {
    expect(evaluateTargetTracking(tracking(), snap(4, low15.slice(1)), S).kind).toBe('none');
    expect(evaluateTargetTracking(tracking(), snap(4, Array<number>(15).fill(70)), S).kind).toBe('none');
  });

  it('removes nothing when rounding up keeps the capacity (2 tasks at 80 % of target)', () => {
    expect(evaluateTargetTracking(tracking(), snap(2, Array<number>(15).fill(60)), S).kind).toBe('none');
  });

  it('never scales in with DisableScaleIn, and then does not hold back other policies', () => {
    expect(evaluateTargetTracking(tracking({ DisableScaleIn: true }), snap(4, low15), S)).toEqual({ kind: 'none', policy: 'cpu', vetoesScaleIn: false });
  });

  it('counts the capacity a scale-out added while its cooldown lasts, so only a larger scale-out applies', () => {
    const lastScaleOut = { at: NOW - 30_000, from: 2, to: 4 };
    const cfg = tracking({ ScaleOutCooldown: 60 });
    // still 150 %: ceil(2 × 150 / 75) = 4, not more than 4
    expect(evaluateTargetTracking(cfg, snap(4, [150, 150, 150], { state: { lastScaleOut } }), S).kind).toBe('none');
    // load doubled: ceil(2 × 300 / 75) = 8 > 4
    expect(evaluateTargetTracking(cfg, snap(4, [300, 300, 300], { state: { lastScaleOut } }), S)).toMatchObject({ kind: 'out', capacity: 8 });
    // cooldown over: from the current 4
    const later = { at: NOW - 61_000, from: 2, to: 4 };
    expect(evaluateTargetTracking(cfg, snap(4, [150, 150, 150], { state: { lastScaleOut: later } }), S)).toMatchObject({ kind: 'out', capacity: 8 });
  });

  it('blocks scale-in during a scale-in cooldown and during a scale-out cooldown (default 300 s)', () => {
    const recent = { at: NOW - 100_000, from: 8, to: 4 };
    expect(evaluateTargetTracking(tracking(), snap(4, low15, { state: { lastScaleIn: recent } }), S)).toMatchObject({ kind: 'none', vetoesScaleIn: true });
    expect(evaluateTargetTracking(tracking(), snap(4, low15, { state: { lastScaleOut: recent } }), S).kind).toBe('none');
    expect(evaluateTargetTracking(tracking({ ScaleInCooldown: 60 }), snap(4, low15, { state: { lastScaleIn: recent } }), S).kind).toBe('in');
  });

  it('keeps proportional scale-out above the current capacity and scale-in within its pace (properties)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.double({ min: 1, max: 1000, noNaN: true }), fc.double({ min: 1, max: 100, noNaN: true }), (base, metric, target) => {
        fc.pre(metric > target);
        const out = proportionalOut(base, metric, target);
        expect(out).toBeGreaterThan(base);
        expect(out).toBeGreaterThanOrEqual((base * metric) / target - 1e-6);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0.1, max: 1, noNaN: true }), (current, metric, fraction) => {
        const target = 100;
        const next = scaleInCapacity(current, metric, target, fraction);
        expect(next).toBeLessThanOrEqual(Math.max(current, Math.ceil((current * metric) / target)));
        expect(current - next).toBeLessThanOrEqual(Math.max(1, Math.floor(current * fraction)));
        // never leaves the per-task metric above target
        if (next > 0) expect((current * metric) / next).toBeLessThanOrEqual(target + 1e-6);
      }),
    );
  });
});

describe('step scaling', () => {
  const alarm: StepAlarm = { name: 'StepScaling-svc-up', metric: CPU, comparison: '>=', threshold: 70, evaluationPeriods: 2 };
  const steps: StoredPolicy = {
    targetKey: 'k',
    name: 'up',
    arn: 'arn:up',
    type: 'StepScaling',
    step: {
      AdjustmentType: 'ChangeInCapacity',
      Cooldown: 60,
      StepAdjustments: [
        { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 },
        { MetricIntervalLowerBound: 10, ScalingAdjustment: 3 },
      ],
    },
    alarms: [],
    createdAt: 0,
  };

  it('picks the step the breach falls in, bounds inclusive below and exclusive above for an upper alarm', () => {
    const list = steps.step?.StepAdjustments ?? [];
    expect(pickStep(list, 0, true)?.ScalingAdjustment).toBe(1);
    expect(pickStep(list, 9.9, true)?.ScalingAdjustment).toBe(1);
    expect(pickStep(list, 10, true)?.ScalingAdjustment).toBe(3);
    expect(pickStep(list, -1, true)).toBeUndefined();
    const lower = [{ MetricIntervalUpperBound: 0, MetricIntervalLowerBound: -10, ScalingAdjustment: -1 }];
    expect(pickStep(lower, 0, false)?.ScalingAdjustment).toBe(-1);
    expect(pickStep(lower, -10, false)).toBeUndefined();
  });

  it('runs when the alarm has breached for its periods, by the step of the averaged breach', () => {
    expect(evaluateStep(steps, alarm, snap(2, [75, 75]), S)).toMatchObject({ kind: 'out', capacity: 3, alarm: 'StepScaling-svc-up' });
    expect(evaluateStep(steps, alarm, snap(2, [80, 90]), S)).toMatchObject({ kind: 'out', capacity: 5 });
    expect(evaluateStep(steps, alarm, snap(2, [60, 90]), S).kind).toBe('none');
    expect(evaluateStep(steps, undefined, snap(2, [90, 90]), S).kind).toBe('none');
  });

  it('aggregates the window by MetricAggregationType', () => {
    const max = { ...steps, step: { ...steps.step, MetricAggregationType: 'Maximum' as const } };
    const min = { ...steps, step: { ...steps.step, MetricAggregationType: 'Minimum' as const } };
    expect(evaluateStep(max, alarm, snap(2, [71, 85]), S)).toMatchObject({ capacity: 5 });
    expect(evaluateStep(min, alarm, snap(2, [71, 85]), S)).toMatchObject({ capacity: 3 });
  });

  it('counts a previous scale-out during its cooldown: +2 then +3 adds only 1 (AWS example)', () => {
    const plus3 = { ...steps, step: { ...steps.step, StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 3 }] } };
    const lastScaleOut = { at: NOW - 10_000, from: 2, to: 4 };
    expect(evaluateStep(plus3, alarm, snap(4, [90, 90], { state: { lastScaleOut } }), S)).toMatchObject({ kind: 'out', capacity: 5 });
  });

  it('waits for the cooldown before a scale-in', () => {
    const down = {
      ...steps,
      step: { AdjustmentType: 'ChangeInCapacity' as const, Cooldown: 60, StepAdjustments: [{ MetricIntervalUpperBound: 0, ScalingAdjustment: -1 }] },
    };
    const lowAlarm: StepAlarm = { ...alarm, comparison: '<', threshold: 30 };
    expect(evaluateStep(down, lowAlarm, snap(4, [10, 10]), S)).toMatchObject({ kind: 'in', capacity: 3, tracking: false });
    const lastScaleIn = { at: NOW - 30_000, from: 5, to: 4 };
    expect(evaluateStep(down, lowAlarm, snap(4, [10, 10], { state: { lastScaleIn } }), S).kind).toBe('none');
  });

  it('applies adjustments as AWS rounds them', () => {
    expect(adjustedCapacity('ChangeInCapacity', 4, -5)).toBe(0);
    expect(adjustedCapacity('ExactCapacity', 4, 7)).toBe(7);
    expect(adjustedCapacity('PercentChangeInCapacity', 4, 25)).toBe(5); // 1
    expect(adjustedCapacity('PercentChangeInCapacity', 4, 25, 2)).toBe(6); // MinAdjustmentMagnitude 2
    expect(adjustedCapacity('PercentChangeInCapacity', 10, 5)).toBe(11); // 0.5 → 1
    expect(adjustedCapacity('PercentChangeInCapacity', 10, -5)).toBe(9); // -0.5 → -1
    expect(adjustedCapacity('PercentChangeInCapacity', 30, 42)).toBe(42); // 12.6 → 12
    expect(adjustedCapacity('PercentChangeInCapacity', 30, -22)).toBe(24); // -6.6 → -6
    expect(adjustedCapacity('PercentChangeInCapacity', 10, 200)).toBe(30);
  });

  it('never makes a percent change of zero tasks from a non-zero adjustment (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: -100, max: 500 }).filter((n) => n !== 0), (current, pct) => {
        const next = adjustedCapacity('PercentChangeInCapacity', current, pct);
        expect(next).not.toBe(current === 1 && pct < 0 ? 1 : current);
        expect(Math.abs(next - current)).toBeLessThanOrEqual(Math.max(1, Math.abs((current * pct) / 100)));
      }),
    );
  });
});

describe('combining policies', () => {
  const out = (capacity: number, policy = 'a'): Verdict => ({ kind: 'out', policy, alarm: `${policy}-high`, capacity });
  const tin = (capacity: number, policy = 'a'): Verdict => ({ kind: 'in', policy, alarm: `${policy}-low`, capacity, tracking: true });
  const sin = (capacity: number, policy = 's'): Verdict => ({ kind: 'in', policy, alarm: `${policy}-low`, capacity, tracking: false });
  const hold = (policy = 'b', vetoesScaleIn = true): Verdict => ({ kind: 'none', policy, vetoesScaleIn });
  const at = (current: number, min = 2, max = 10): TargetSnapshot => ({ ...snap(current, []), min, max });

  it('scales out when any policy says out, to the largest capacity', () => {
    expect(decide([out(5, 'a'), out(8, 'b'), tin(2, 'c')], at(4))).toEqual({ kind: 'scale', direction: 'out', from: 4, to: 8, policy: 'b', alarm: 'b-high' });
  });

  it('scales in only when every target tracking policy that may scale in says in, to the largest capacity', () => {
    expect(decide([tin(3, 'a'), hold('b')], at(6)).kind).toBe('none');
    expect(decide([tin(3, 'a'), hold('b', false)], at(6))).toMatchObject({ direction: 'in', to: 3 });
    expect(decide([tin(3, 'a'), tin(5, 'b')], at(6))).toMatchObject({ direction: 'in', to: 5, policy: 'b' });
  });

  it('lets a step scale-in through even when target tracking is not ready (as AWS warns)', () => {
    expect(decide([sin(4), hold('b')], at(6))).toMatchObject({ direction: 'in', to: 4, policy: 's' });
  });

  it('clamps to [min, max] and reports a wish the bounds refuse as not scaled', () => {
    expect(decide([out(50)], at(4))).toMatchObject({ kind: 'scale', to: 10 });
    expect(decide([out(50)], at(10))).toMatchObject({ kind: 'notScaled', reason: { Code: 'AlreadyAtMaxCapacity', MaxCapacity: 10, CurrentCapacity: 10 } });
    expect(decide([tin(1)], at(2))).toMatchObject({ kind: 'notScaled', reason: { Code: 'AlreadyAtMinCapacity', MinCapacity: 2 } });
  });

  it('does not scale in during a deployment or while dynamic scale-in is suspended; out still happens', () => {
    expect(decide([tin(3)], { ...at(6), deploymentInProgress: true }).kind).toBe('none');
    expect(decide([out(8)], { ...at(6), deploymentInProgress: true }).kind).toBe('scale');
    const suspendedIn = { DynamicScalingInSuspended: true, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false };
    expect(decide([tin(3)], { ...at(6), suspended: suspendedIn }).kind).toBe('none');
    const suspendedOut = { ...suspendedIn, DynamicScalingInSuspended: false, DynamicScalingOutSuspended: true };
    expect(decide([out(8)], { ...at(6), suspended: suspendedOut }).kind).toBe('none');
  });

  it('always lands inside [min, max] and moves in the direction asked (property)', () => {
    const verdict = fc.oneof(
      fc.record({ kind: fc.constant('out' as const), policy: fc.string(), alarm: fc.string(), capacity: fc.integer({ min: 0, max: 200 }) }),
      fc.record({ kind: fc.constant('in' as const), policy: fc.string(), alarm: fc.string(), capacity: fc.integer({ min: 0, max: 200 }), tracking: fc.boolean() }),
      fc.record({ kind: fc.constant('none' as const), policy: fc.string(), vetoesScaleIn: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(verdict, { maxLength: 6 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 150 }), (vs, a, b, current) => {
        const [min, max] = a <= b ? [a, b] : [b, a];
        const d = decide(vs, at(current, min, max));
        if (d.kind !== 'scale') return;
        expect(d.to).toBeGreaterThanOrEqual(min);
        expect(d.to).toBeLessThanOrEqual(max);
        if (d.direction === 'out') expect(d.to).toBeGreaterThan(current);
        else expect(d.to).toBeLessThan(current);
        if (vs.some((v) => v.kind === 'out')) expect(d.direction).toBe('out');
      }),
    );
  });
});
