import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AutoscalingDeps } from './context.js';
import { CPU, Harness, SVC, ecs, seedPolicy, target } from './harness.test-support.js';

const MIN = 60_000;
const MEM = 'ECSServiceAverageMemoryUtilization';
let h: Harness;

afterEach(() => h.close());

type Activity = { Description: string; Cause: string; StatusCode: string; StatusMessage?: string; NotScaledReasons?: unknown };

function setup(max = 4, overrides: Partial<AutoscalingDeps> = {}, min = 2): void {
  h = new Harness(overrides);
  h.services.add(SVC, 2);
  h.call('RegisterScalableTarget', { ...target, MinCapacity: min, MaxCapacity: max });
}

function policy(name: string, cfg: Record<string, unknown> = seedPolicy): void {
  h.call('PutScalingPolicy', { ...target, PolicyName: name, PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: cfg });
}

function activities(includeNotScaled = false): Activity[] {
  return h.call<{ ScalingActivities: Activity[] }>('DescribeScalingActivities', { ...ecs, ResourceId: SVC, IncludeNotScaledActivities: includeNotScaled })
    .ScalingActivities;
}

async function periods(n: number, cpu?: number, ms = MIN): Promise<void> {
  for (let i = 0; i < n; i++) {
    if (cpu !== undefined) h.metrics.set(SVC, CPU, cpu);
    await h.step(ms);
  }
}

describe('target tracking, the seed policy (CPU 75 %, cooldowns 60 s)', () => {
  it('scales 2 → 4 after three high periods and back to 2 after fifteen low ones', async () => {
    setup();
    policy('cpu75-target-tracking-scaling-policy');
    await periods(2, 150);
    expect(h.services.desired(SVC)).toBe(2);
    await periods(1, 150);
    expect(h.services.desired(SVC)).toBe(4);
    const [out] = activities();
    expect(out).toMatchObject({ Description: 'Setting desired count to 4.', StatusCode: 'InProgress' });
    expect(out?.Cause).toMatch(
      /^monitor alarm TargetTracking-service\/bean-counter-cluster\/bean-counter-service-AlarmHigh-[0-9a-f-]{36} in state ALARM triggered policy cpu75-target-tracking-scaling-policy$/,
    );
    await periods(14, 20);
    expect(h.services.desired(SVC)).toBe(4);
    expect(activities()[0]).toMatchObject({ StatusCode: 'Successful', StatusMessage: 'Successfully set desired count to 4. Change successfully fulfilled by ecs.' });
    await periods(1, 20);
    expect(h.services.desired(SVC)).toBe(2);
    expect(activities().map((a) => a.Description)).toEqual(['Setting desired count to 2.', 'Setting desired count to 4.']);
    expect(activities()[0]?.Cause).toMatch(/AlarmLow-.* in state ALARM triggered policy cpu75-target-tracking-scaling-policy$/);
    expect(h.services.calls.map((c) => c.desiredCount)).toEqual([4, 2]);
  });

  it('does not scale on a run broken by a missing datapoint (insufficient data)', async () => {
    setup();
    policy('p');
    await periods(2, 150);
    h.metrics.set(SVC, CPU, undefined);
    await h.step(MIN);
    await periods(2, 150);
    expect(h.services.desired(SVC)).toBe(2);
    await periods(1, 150);
    expect(h.services.desired(SVC)).toBe(4);
  });

  it('samples only the metrics its policies watch', async () => {
    setup();
    await periods(1, 150);
    expect(h.metrics.samples).toEqual([]);
    policy('p');
    await periods(1, 150);
    expect(h.metrics.samples).toEqual([{ resourceId: SVC, metric: CPU, resourceLabel: undefined }]);
  });
});

describe('cooldowns', () => {
  it('holds further scale-out during the cooldown unless a larger scale-out is asked for', async () => {
    setup(20);
    policy('p', { ...seedPolicy, ScaleOutCooldown: 300 });
    await periods(3, 150);
    expect(h.services.desired(SVC)).toBe(4);
    await periods(2, 150); // ceil(2 × 150 / 75) = 4: what the first scale-out added counts
    expect(h.services.desired(SVC)).toBe(4);
    await periods(1, 300); // ceil(2 × 300 / 75) = 8: larger
    expect(h.services.desired(SVC)).toBe(8);
  });

  it('blocks scale-in during a scale-out cooldown, then scales in', async () => {
    setup(10, { evaluation: { scaleInDatapoints: 3 } });
    policy('p', { ...seedPolicy, ScaleOutCooldown: 300, ScaleInCooldown: 300 });
    await periods(3, 150);
    expect(h.services.desired(SVC)).toBe(4);
    await periods(4, 10); // 240 s after the scale-out
    expect(h.services.desired(SVC)).toBe(4);
    await periods(1, 10);
    expect(h.services.desired(SVC)).toBe(2);
  });

  it('removes capacity gradually: each scale-in waits for the scale-in cooldown', async () => {
    setup(10, { evaluation: { scaleInDatapoints: 3 } }, 1);
    h.services.services.get(SVC)!.desiredCount = 8;
    policy('p', { ...seedPolicy, ScaleInCooldown: 120 });
    await periods(3, 5);
    expect(h.services.desired(SVC)).toBe(4); // at most half at once
    await periods(1, 5);
    expect(h.services.desired(SVC)).toBe(4);
    await periods(1, 5);
    expect(h.services.desired(SVC)).toBe(2);
  });
});

describe('several policies', () => {
  it('scales out on any, and in only when every target tracking policy agrees', async () => {
    setup(10, { evaluation: { scaleInDatapoints: 3 } }, 1);
    policy('cpu');
    policy('mem', { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: MEM }, ScaleOutCooldown: 0, ScaleInCooldown: 0 });
    h.metrics.set(SVC, MEM, 120);
    await periods(3, 50); // CPU fine, memory high: ceil(2 × 120 / 50) = 5
    expect(h.services.desired(SVC)).toBe(5);
    h.metrics.set(SVC, MEM, 45);
    await periods(10, 10); // CPU low, memory between 90 % and 100 % of its target: no scale-in
    expect(h.services.desired(SVC)).toBe(5);
    h.metrics.set(SVC, MEM, 10);
    await periods(3, 10);
    expect(h.services.desired(SVC)).toBe(3); // both say in: the larger capacity wins (ceil(5 × 10 / 75) = 1 vs 5 - 2 = 3)
  });

  it('does not scale in during a deployment, but scales out', async () => {
    setup(10, { evaluation: { scaleInDatapoints: 3 } });
    h.services.services.get(SVC)!.desiredCount = 6;
    h.services.services.get(SVC)!.deploymentInProgress = true;
    policy('p', { ...seedPolicy, ScaleInCooldown: 0, ScaleOutCooldown: 0 });
    await periods(5, 10);
    expect(h.services.desired(SVC)).toBe(6);
    await periods(3, 100);
    expect(h.services.desired(SVC)).toBe(8);
  });

  it('honours suspended dynamic scaling', async () => {
    setup();
    policy('p');
    h.call('RegisterScalableTarget', { ...target, SuspendedState: { DynamicScalingOutSuspended: true } });
    await periods(4, 150);
    expect(h.services.desired(SVC)).toBe(2);
    h.call('RegisterScalableTarget', { ...target, SuspendedState: { DynamicScalingOutSuspended: false } });
    await periods(1, 150);
    expect(h.services.desired(SVC)).toBe(4);
  });
});

describe('step scaling with a built-in alarm', () => {
  it('runs the step of the breach while its alarm stays in ALARM, after the cooldown', async () => {
    setup(10);
    const arn = h.call<{ ScalableTargets: Array<{ ScalableTargetARN: string }> }>('DescribeScalableTargets', ecs).ScalableTargets[0]?.ScalableTargetARN;
    h.call('TagResource', { ResourceARN: arn, Tags: { 'skiff:step-alarm:up': 'ECSServiceAverageCPUUtilization >= 80 2' } });
    h.call('PutScalingPolicy', {
      ...target,
      PolicyName: 'up',
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: {
        AdjustmentType: 'ChangeInCapacity',
        Cooldown: 300,
        StepAdjustments: [
          { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 15, ScalingAdjustment: 1 },
          { MetricIntervalLowerBound: 15, ScalingAdjustment: 3 },
        ],
      },
    });
    await periods(1, 90);
    expect(h.services.desired(SVC)).toBe(2);
    await periods(1, 90);
    expect(h.services.desired(SVC)).toBe(3);
    expect(activities()[0]?.Cause).toBe(`monitor alarm StepScaling-${SVC}-up in state ALARM triggered policy up`);
    await periods(1, 90); // cooldown: base 2 + 1 = 3, not more
    expect(h.services.desired(SVC)).toBe(3);
    await periods(1, 100); // breach 15 (average of 90 and 100): base 2 + 3 = 5 > 3
    expect(h.services.desired(SVC)).toBe(5);
  });
});

describe('scheduled actions', () => {
  it('sets min and max at their time and brings the desired count inside', async () => {
    setup(10);
    h.call('PutScheduledAction', { ...target, ScheduledActionName: 'lunch', Schedule: 'cron(30 12 * * ? *)', ScalableTargetAction: { MinCapacity: 5, MaxCapacity: 8 } });
    await periods(29); // 12:29
    expect(h.services.desired(SVC)).toBe(2);
    await periods(1);
    expect(h.services.desired(SVC)).toBe(5);
    const [t] = h.call<{ ScalableTargets: Array<{ MinCapacity: number; MaxCapacity: number }> }>('DescribeScalableTargets', ecs).ScalableTargets;
    expect(t).toMatchObject({ MinCapacity: 5, MaxCapacity: 8 });
    expect(activities().map((a) => [a.Description, a.Cause])).toEqual([
      ['Setting desired count to 5.', 'minimum capacity was set to 5'],
      ['Setting min capacity to 5 and max capacity to 8', 'scheduled action name lunch was triggered'],
    ]);
    await periods(60);
    expect(activities()).toHaveLength(2);
  });

  it('does not run while scheduled scaling is suspended, nor catch up afterwards', async () => {
    setup(10);
    h.call('RegisterScalableTarget', { ...target, SuspendedState: { ScheduledScalingSuspended: true } });
    h.call('PutScheduledAction', { ...target, ScheduledActionName: 'soon', Schedule: 'rate(2 minutes)', ScalableTargetAction: { MinCapacity: 6 } });
    await periods(3);
    expect(h.services.desired(SVC)).toBe(2);
    h.call('RegisterScalableTarget', { ...target, SuspendedState: { ScheduledScalingSuspended: false } });
    await periods(1);
    expect(h.services.desired(SVC)).toBe(6);
  });
});

describe('state, activities and failures', () => {
  it('carries datapoints and cooldowns across a restart', async () => {
    setup(20);
    policy('p', { ...seedPolicy, ScaleOutCooldown: 300 });
    await periods(2, 150);
    h.restart();
    await periods(1, 150);
    expect(h.services.desired(SVC)).toBe(4);
    h.restart();
    await periods(2, 150);
    expect(h.services.desired(SVC)).toBe(4); // still cooling down
  });

  it('records a standing not-scaled condition once, visible with IncludeNotScaledActivities', async () => {
    setup(4);
    policy('p');
    await periods(3, 150);
    await periods(5, 600);
    expect(activities()).toHaveLength(1);
    const all = activities(true);
    expect(all).toHaveLength(2);
    expect(all[0]).toMatchObject({
      Description: 'Attempting to set desired count to 32.', // ceil(4 × 600 / 75)
      StatusCode: 'Failed',
      NotScaledReasons: [{ Code: 'AlreadyAtMaxCapacity', MaxCapacity: 4, CurrentCapacity: 4 }],
    });
  });

  it('records a refused change as Failed and tries again next period', async () => {
    setup();
    policy('p');
    h.services.refuse = 'service is draining';
    await periods(3, 150);
    expect(activities()[0]).toMatchObject({ StatusCode: 'Failed', StatusMessage: 'Failed to set desired count to 4. Reason: service is draining' });
    h.services.refuse = undefined;
    await periods(1, 150);
    expect(h.services.desired(SVC)).toBe(4);
  });

  it('keeps an activity InProgress until the tasks run, and fails it if the service goes', async () => {
    setup();
    policy('p');
    h.services.followDesired = false;
    await periods(3, 150);
    await periods(1, 150);
    expect(activities()[0]?.StatusCode).toBe('InProgress');
    h.services.services.delete(SVC);
    await periods(1);
    expect(activities()[0]).toMatchObject({ StatusCode: 'Failed', StatusMessage: expect.stringMatching(/no longer exists/) });
  });

  it('keeps at most the configured number of activities per target', async () => {
    setup(10, { activitiesPerTarget: 3 });
    for (let i = 3; i <= 7; i++) h.call('RegisterScalableTarget', { ...target, MinCapacity: i });
    expect(activities().map((a) => a.Description)).toEqual(['Setting desired count to 7.', 'Setting desired count to 6.', 'Setting desired count to 5.']);
    const page = h.call<{ ScalingActivities: Activity[]; NextToken?: string }>('DescribeScalingActivities', { ServiceNamespace: 'ecs', MaxResults: 2 });
    const next = h.call<{ ScalingActivities: Activity[]; NextToken?: string }>('DescribeScalingActivities', { ServiceNamespace: 'ecs', NextToken: page.NextToken });
    expect([...page.ScalingActivities, ...next.ScalingActivities].map((a) => a.Description)).toHaveLength(3);
    expect(next.NextToken).toBeUndefined();
  });

  it('keeps scaling other targets when sampling one throws', async () => {
    setup();
    h.services.add('service/c/other', 2);
    h.call('RegisterScalableTarget', { ...ecs, ResourceId: 'service/c/other', MinCapacity: 2, MaxCapacity: 4 });
    policy('p');
    h.call('PutScalingPolicy', { ...ecs, ResourceId: 'service/c/other', PolicyName: 'p', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: seedPolicy });
    const sample = h.metrics.sample.bind(h.metrics);
    h.metrics.sample = (resourceId, metric, label) => {
      if (resourceId === SVC) throw new Error('stats unavailable');
      return sample(resourceId, metric, label);
    };
    h.metrics.set('service/c/other', CPU, 150);
    await periods(3, 150);
    expect(h.services.desired('service/c/other')).toBe(4);
    expect(h.services.desired(SVC)).toBe(2);
  });

  it('evaluates on its own every period once started, and stops cleanly', async () => {
    setup(4, { periodMs: 10, evaluation: { scaleOutDatapoints: 1 } });
    policy('p');
    h.metrics.set(SVC, CPU, 150);
    h.scaling.start();
    await vi.waitFor(() => expect(h.services.desired(SVC)).toBe(4), { timeout: 2000 });
    await h.scaling.stop();
    const calls = h.services.calls.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(h.services.calls.length).toBe(calls);
  });
});
