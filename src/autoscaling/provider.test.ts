import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializeJson } from '../api/index.js';
import { Harness, SVC, T0, ecs, seedPolicy, target } from './harness.test-support.js';

let h: Harness;

beforeEach(() => {
  h = new Harness({ limits: { policiesPerTarget: 3, scheduledActionsPerTarget: 2, targetsPerNamespace: 5 } });
  h.services.add(SVC, 2);
});

afterEach(() => h.close());

function register(extra: Record<string, unknown> = {}, resourceId = SVC): { ScalableTargetARN: string } {
  return h.call('RegisterScalableTarget', { ...ecs, ResourceId: resourceId, MinCapacity: 2, MaxCapacity: 4, ...extra });
}

describe('RegisterScalableTarget', () => {
  it('registers and describes a target as AWS shows it, with its ARN', () => {
    const { ScalableTargetARN } = register();
    expect(ScalableTargetARN).toMatch(/^arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target\/[0-9a-f]{36}$/);
    const out = h.call<{ ScalableTargets: Array<Record<string, unknown>> }>('DescribeScalableTargets', { ServiceNamespace: 'ecs' });
    expect(JSON.parse(serializeJson(out))).toEqual({
      ScalableTargets: [
        {
          ServiceNamespace: 'ecs',
          ResourceId: SVC,
          ScalableDimension: 'ecs:service:DesiredCount',
          MinCapacity: 2,
          MaxCapacity: 4,
          RoleARN:
            'arn:aws:iam::000000000000:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService',
          CreationTime: T0 / 1000,
          SuspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false },
          ScalableTargetARN,
        },
      ],
    });
  });

  it('updates only what a re-registration names, keeping the ARN', () => {
    const first = register();
    const again = h.call<{ ScalableTargetARN: string }>('RegisterScalableTarget', { ...target, MaxCapacity: 6, SuspendedState: { DynamicScalingInSuspended: true } });
    expect(again.ScalableTargetARN).toBe(first.ScalableTargetARN);
    const [t] = h.call<{ ScalableTargets: Array<Record<string, unknown>> }>('DescribeScalableTargets', { ServiceNamespace: 'ecs' }).ScalableTargets;
    expect(t).toMatchObject({ MinCapacity: 2, MaxCapacity: 6, SuspendedState: { DynamicScalingInSuspended: true, DynamicScalingOutSuspended: false } });
  });

  it('brings the desired count inside new bounds, recording why', () => {
    register({ MinCapacity: 3, MaxCapacity: 5 });
    expect(h.services.desired(SVC)).toBe(3);
    register({ MinCapacity: 1, MaxCapacity: 2 });
    expect(h.services.desired(SVC)).toBe(2);
    const acts = h.call<{ ScalingActivities: Array<Record<string, unknown>> }>('DescribeScalingActivities', { ServiceNamespace: 'ecs' }).ScalingActivities;
    expect(acts.map((a) => [a['Description'], a['Cause']])).toEqual([
      ['Setting desired count to 2.', 'maximum capacity was set to 2'],
      ['Setting desired count to 3.', 'minimum capacity was set to 3'],
    ]);
  });

  it.each([
    ['a missing ECS service', { ResourceId: 'service/bean-counter-cluster/nope' }, 'ValidationException', /ECS service doesn't exist: service\/bean-counter-cluster\/nope/],
    ['an unknown namespace', { ServiceNamespace: 'ecz' }, 'ValidationException', /at 'serviceNamespace' failed to satisfy constraint: Member must satisfy enum value set/],
    ['another service namespace', { ServiceNamespace: 'dynamodb', ScalableDimension: 'dynamodb:table:ReadCapacityUnits' }, 'ValidationException', /ECS services only/],
    ['a dimension of another service', { ScalableDimension: 'dynamodb:table:ReadCapacityUnits' }, 'ValidationException', /ecs:service:DesiredCount/],
    ['a malformed resource id', { ResourceId: 'service/only-cluster' }, 'ValidationException', /service\/<cluster-name>\/<service-name>/],
    ['min above max', { MinCapacity: 5, MaxCapacity: 4 }, 'ValidationException', /Minimum capacity cannot be greater than maximum capacity/],
    ['a negative capacity', { MinCapacity: -1 }, 'ValidationException', /greater than or equal to 0/],
    ['no capacities for a new target', { MinCapacity: undefined, MaxCapacity: undefined }, 'ValidationException', /MinCapacity and MaxCapacity are required/],
    ['an unknown member', { Extra: 1 }, 'ValidationException', /Unknown parameter 'Extra'/],
    ['a string capacity', { MinCapacity: 'two' }, 'SerializationException', /MinCapacity must be an integer/],
    ['a reserved tag key', { Tags: { 'aws:x': '1' } }, 'ValidationException', /reserved/],
    ['a malformed step alarm tag', { Tags: { 'skiff:step-alarm:up': 'CPU > 80' } }, 'ValidationException', /the metric must be one of/],
  ])('refuses %s', (_what, change, code, message) => {
    const err = h.failure('RegisterScalableTarget', { ...target, MinCapacity: 2, MaxCapacity: 4, ...change });
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it('keeps to the per-namespace limit', () => {
    for (let i = 0; i < 6; i++) h.services.add(`service/c/s${i}`, 2);
    for (let i = 0; i < 5; i++) register({}, `service/c/s${i}`);
    const err = h.failure('RegisterScalableTarget', { ...ecs, ResourceId: 'service/c/s5', MinCapacity: 1, MaxCapacity: 2 });
    expect(err.code).toBe('LimitExceededException');
    register({ MaxCapacity: 3 }, 'service/c/s0');
  });
});

describe('DescribeScalableTargets', () => {
  beforeEach(() => {
    for (const name of ['a', 'b', 'c', 'd']) {
      h.services.add(`service/c/${name}`, 1);
      register({ MinCapacity: 1 }, `service/c/${name}`);
    }
  });

  it('filters by resource id and pages with NextToken', () => {
    const one = h.call<{ ScalableTargets: Array<{ ResourceId: string }> }>('DescribeScalableTargets', { ServiceNamespace: 'ecs', ResourceIds: ['service/c/b'] });
    expect(one.ScalableTargets.map((t) => t.ResourceId)).toEqual(['service/c/b']);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = h.call<{ ScalableTargets: Array<{ ResourceId: string }>; NextToken?: string }>('DescribeScalableTargets', {
        ServiceNamespace: 'ecs',
        MaxResults: 3,
        NextToken: token,
      });
      seen.push(...page.ScalableTargets.map((t) => t.ResourceId));
      token = page.NextToken;
    } while (token);
    expect(seen).toEqual(['service/c/a', 'service/c/b', 'service/c/c', 'service/c/d']);
  });

  it('answers other namespaces with nothing, and refuses bad tokens and page sizes', () => {
    expect(h.call('DescribeScalableTargets', { ServiceNamespace: 'dynamodb' })).toEqual({ ScalableTargets: [] });
    expect(h.failure('DescribeScalableTargets', { ServiceNamespace: 'ecs', NextToken: 'garbage' }).code).toBe('InvalidNextTokenException');
    expect(h.failure('DescribeScalableTargets', { ServiceNamespace: 'ecs', MaxResults: 51 }).code).toBe('ValidationException');
    expect(h.failure('DescribeScalableTargets', {}).message).toMatch(/Missing required parameter 'ServiceNamespace'/);
  });
});

describe('scaling policies', () => {
  beforeEach(() => register());

  const put = (name: string, extra: Record<string, unknown>): Record<string, unknown> =>
    h.call('PutScalingPolicy', { ...target, PolicyName: name, ...extra });

  it('creates a target tracking policy with the two alarms AWS names, and keeps its ARN on update', () => {
    const out = put('cpu75-target-tracking-scaling-policy', { PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: seedPolicy });
    expect(out['PolicyARN']).toMatch(
      /^arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:[0-9a-f-]{36}:resource\/ecs\/service\/bean-counter-cluster\/bean-counter-service:policyName\/cpu75-target-tracking-scaling-policy$/,
    );
    const alarms = out['Alarms'] as Array<{ AlarmName: string; AlarmARN: string }>;
    expect(alarms.map((a) => a.AlarmName)).toEqual([
      expect.stringMatching(/^TargetTracking-service\/bean-counter-cluster\/bean-counter-service-AlarmHigh-[0-9a-f-]{36}$/),
      expect.stringMatching(/^TargetTracking-service\/bean-counter-cluster\/bean-counter-service-AlarmLow-[0-9a-f-]{36}$/),
    ]);
    expect(alarms[0]?.AlarmARN).toBe(`arn:aws:cloudwatch:us-east-1:000000000000:alarm:${alarms[0]?.AlarmName}`);
    const again = put('cpu75-target-tracking-scaling-policy', { TargetTrackingScalingPolicyConfiguration: { ...seedPolicy, DisableScaleIn: true } });
    expect(again['PolicyARN']).toBe(out['PolicyARN']);
    expect(again['Alarms']).toEqual([alarms[0]]);
  });

  it('shares the target uuid between its policies ARNs, as AWS does', () => {
    const a = put('a', { PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: seedPolicy })['PolicyARN'] as string;
    const b = put('b', { PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: seedPolicy })['PolicyARN'] as string;
    expect(a.split(':')[6]).toBe(b.split(':')[6]);
  });

  it('describes policies with filters and pages of at most 10', () => {
    put('a', { PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: seedPolicy });
    put('b', {
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }] },
    });
    const all = h.call<{ ScalingPolicies: Array<Record<string, unknown>> }>('DescribeScalingPolicies', { ServiceNamespace: 'ecs' });
    expect(all.ScalingPolicies.map((p) => [p['PolicyName'], p['PolicyType']])).toEqual([
      ['a', 'TargetTrackingScaling'],
      ['b', 'StepScaling'],
    ]);
    expect(all.ScalingPolicies[0]).toMatchObject({ TargetTrackingScalingPolicyConfiguration: seedPolicy, ResourceId: SVC, CreationTime: new Date(T0) });
    const page = h.call<{ ScalingPolicies: unknown[]; NextToken?: string }>('DescribeScalingPolicies', { ServiceNamespace: 'ecs', MaxResults: 1 });
    expect(page.ScalingPolicies).toHaveLength(1);
    const rest = h.call<{ ScalingPolicies: Array<{ PolicyName: string }> }>('DescribeScalingPolicies', { ServiceNamespace: 'ecs', NextToken: page.NextToken });
    expect(rest.ScalingPolicies.map((p) => p.PolicyName)).toEqual(['b']);
    expect(h.call<{ ScalingPolicies: unknown[] }>('DescribeScalingPolicies', { ServiceNamespace: 'ecs', PolicyNames: ['b'] }).ScalingPolicies).toHaveLength(1);
    expect(h.failure('DescribeScalingPolicies', { ServiceNamespace: 'ecs', MaxResults: 11 }).code).toBe('ValidationException');
  });

  it('lists a step policy alarm once it is declared with a skiff:step-alarm tag', () => {
    const step = { AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }] };
    expect(put('up', { PolicyType: 'StepScaling', StepScalingPolicyConfiguration: step })['Alarms']).toEqual([]);
    const [t] = h.call<{ ScalableTargets: Array<{ ScalableTargetARN: string }> }>('DescribeScalableTargets', { ServiceNamespace: 'ecs' }).ScalableTargets;
    h.call('TagResource', { ResourceARN: t?.ScalableTargetARN, Tags: { 'skiff:step-alarm:up': 'ECSServiceAverageCPUUtilization >= 80 3' } });
    const [p] = h.call<{ ScalingPolicies: Array<{ Alarms: unknown }> }>('DescribeScalingPolicies', { ServiceNamespace: 'ecs' }).ScalingPolicies;
    expect(p?.Alarms).toEqual([
      {
        AlarmName: `StepScaling-${SVC}-up`,
        AlarmARN: `arn:aws:cloudwatch:us-east-1:000000000000:alarm:StepScaling-${SVC}-up`,
      },
    ]);
  });

  it.each([
    ['a missing target', { ResourceId: 'service/c/none', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: seedPolicy }, 'ObjectNotFoundException', /No scalable target registered for service namespace: ecs, resource ID: service\/c\/none/],
    ['no policy type', {}, 'ValidationException', /PolicyType is required/],
    ['predictive scaling', { PolicyType: 'PredictiveScaling' }, 'ValidationException', /not supported by skiff/],
    ['no configuration', { PolicyType: 'TargetTrackingScaling' }, 'ValidationException', /TargetTrackingScalingPolicyConfiguration is required/],
    ['a customized metric', { PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 5, CustomizedMetricSpecification: { MetricName: 'x' } } }, 'ValidationException', /CustomizedMetricSpecification is not supported/],
    ['another namespace metric', { PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 5, PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBReadCapacityUtilization' } } }, 'ValidationException', /not valid for service namespace ecs/],
    ['ALB requests without ResourceLabel', { PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 5, PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget' } } }, 'ValidationException', /ResourceLabel is required/],
    ['a ResourceLabel on CPU', { PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 5, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization', ResourceLabel: 'app/a/1/targetgroup/t/2' } } }, 'ValidationException', /only with the ALBRequestCountPerTarget/],
    ['a zero target', { PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { ...seedPolicy, TargetValue: 0 } }, 'ValidationException', /greater than 0/],
    ['a string target', { PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { ...seedPolicy, TargetValue: '75' } }, 'SerializationException', /TargetValue must be a number/],
    ['step without adjustment type', { PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { StepAdjustments: [{ ScalingAdjustment: 1 }] } }, 'ValidationException', /AdjustmentType is required/],
    ['step with no steps', { PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity' } }, 'ValidationException', /at least one step/],
    ['overlapping steps', { PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }, { MetricIntervalLowerBound: 10, ScalingAdjustment: 2 }] } }, 'ValidationException', /overlap or leave gaps/],
    ['a gap between steps', { PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 5, ScalingAdjustment: 1 }, { MetricIntervalLowerBound: 10, ScalingAdjustment: 2 }] } }, 'ValidationException', /overlap or leave gaps/],
    ['inverted bounds', { PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 5, MetricIntervalUpperBound: 1, ScalingAdjustment: 1 }] } }, 'ValidationException', /greater than its lower bound/],
    ['a negative exact capacity', { PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { AdjustmentType: 'ExactCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: -1 }] } }, 'ValidationException', /must not be negative/],
    ['an unknown adjustment type', { PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { AdjustmentType: 'Double', StepAdjustments: [{ ScalingAdjustment: 1 }] } }, 'ValidationException', /enum value set/],
  ])('refuses %s', (_what, extra, code, message) => {
    const err = h.failure('PutScalingPolicy', { ...target, PolicyName: 'p', ...extra });
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it('keeps to the policies-per-target limit and deletes policies', () => {
    for (const n of ['a', 'b', 'c']) put(n, { PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: seedPolicy });
    expect(h.failure('PutScalingPolicy', { ...target, PolicyName: 'd', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: seedPolicy }).code).toBe(
      'LimitExceededException',
    );
    expect(h.call('DeleteScalingPolicy', { ...target, PolicyName: 'a' })).toEqual({});
    const err = h.failure('DeleteScalingPolicy', { ...target, PolicyName: 'a' });
    expect(err.code).toBe('ObjectNotFoundException');
    expect(err.message).toMatch(/No scaling policy found for .* policy name: a/);
  });
});

describe('scheduled actions', () => {
  beforeEach(() => register());

  it('puts, describes and deletes scheduled actions, with AWS-formed ARNs', () => {
    h.call('PutScheduledAction', {
      ...target,
      ScheduledActionName: 'morning',
      Schedule: 'cron(0 8 ? * MON-FRI *)',
      Timezone: 'Europe/Paris',
      StartTime: T0 / 1000,
      ScalableTargetAction: { MinCapacity: 3 },
    });
    const out = h.call<{ ScheduledActions: Array<Record<string, unknown>> }>('DescribeScheduledActions', { ServiceNamespace: 'ecs' });
    expect(out.ScheduledActions).toEqual([
      {
        ScheduledActionName: 'morning',
        ScheduledActionARN: expect.stringMatching(
          /^arn:aws:autoscaling:us-east-1:000000000000:scheduledAction:[0-9a-f-]{36}:resource\/ecs\/service\/bean-counter-cluster\/bean-counter-service:scheduledActionName\/morning$/,
        ),
        ServiceNamespace: 'ecs',
        Schedule: 'cron(0 8 ? * MON-FRI *)',
        Timezone: 'Europe/Paris',
        ResourceId: SVC,
        ScalableDimension: 'ecs:service:DesiredCount',
        StartTime: new Date(T0),
        ScalableTargetAction: { MinCapacity: 3 },
        CreationTime: new Date(T0),
      },
    ]);
    h.call('DeleteScheduledAction', { ...target, ScheduledActionName: 'morning' });
    expect(h.failure('DeleteScheduledAction', { ...target, ScheduledActionName: 'morning' }).code).toBe('ObjectNotFoundException');
  });

  it.each([
    ['no schedule', { ScalableTargetAction: { MinCapacity: 1 } }, /Schedule is required/],
    ['a bad schedule', { Schedule: 'rate(5 fortnights)', ScalableTargetAction: { MinCapacity: 1 } }, /is not valid/],
    ['a bad time zone', { Schedule: 'rate(5 minutes)', Timezone: 'Mars/Olympus', ScalableTargetAction: { MinCapacity: 1 } }, /not a valid IANA time zone/],
    ['no capacity', { Schedule: 'rate(5 minutes)', ScalableTargetAction: {} }, /MinCapacity or MaxCapacity is required/],
    ['min above max', { Schedule: 'rate(5 minutes)', ScalableTargetAction: { MinCapacity: 5, MaxCapacity: 1 } }, /Minimum capacity/],
    ['end before start', { Schedule: 'rate(5 minutes)', StartTime: 2000, EndTime: 1000, ScalableTargetAction: { MinCapacity: 1 } }, /EndTime must be after StartTime/],
    ['a name with a slash', { ScheduledActionName: 'a/b', Schedule: 'rate(5 minutes)', ScalableTargetAction: { MinCapacity: 1 } }, /is not valid/],
  ])('refuses %s', (_what, extra, message) => {
    const err = h.failure('PutScheduledAction', { ...target, ScheduledActionName: 'x', ...extra });
    expect(err.code).toBe('ValidationException');
    expect(err.message).toMatch(message);
  });

  it('keeps to the scheduled-actions-per-target limit', () => {
    for (const n of ['a', 'b']) h.call('PutScheduledAction', { ...target, ScheduledActionName: n, Schedule: 'rate(1 day)', ScalableTargetAction: { MinCapacity: 1 } });
    expect(h.failure('PutScheduledAction', { ...target, ScheduledActionName: 'c', Schedule: 'rate(1 day)', ScalableTargetAction: { MinCapacity: 1 } }).code).toBe(
      'LimitExceededException',
    );
  });
});

describe('tags and deregistration', () => {
  it('tags the target by ARN, and deregistering removes its policies, scheduled actions and tags', () => {
    const { ScalableTargetARN } = register({ Tags: { team: 'beans' } });
    h.call('TagResource', { ResourceARN: ScalableTargetARN, Tags: { env: 'dev' } });
    h.call('UntagResource', { ResourceARN: ScalableTargetARN, TagKeys: ['team'] });
    expect(h.call('ListTagsForResource', { ResourceARN: ScalableTargetARN })).toEqual({ Tags: { env: 'dev' } });
    h.call('PutScalingPolicy', { ...target, PolicyName: 'p', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: seedPolicy });
    h.call('PutScheduledAction', { ...target, ScheduledActionName: 's', Schedule: 'rate(1 day)', ScalableTargetAction: { MinCapacity: 1 } });
    expect(h.call('DeregisterScalableTarget', target)).toEqual({});
    expect(h.call('DescribeScalingPolicies', { ServiceNamespace: 'ecs' })).toEqual({ ScalingPolicies: [] });
    expect(h.call('DescribeScheduledActions', { ServiceNamespace: 'ecs' })).toEqual({ ScheduledActions: [] });
    expect(h.failure('ListTagsForResource', { ResourceARN: ScalableTargetARN }).code).toBe('ResourceNotFoundException');
    expect(h.failure('DeregisterScalableTarget', target).code).toBe('ObjectNotFoundException');
    // registered again: a fresh target, no leftovers
    register();
    expect(h.call('DescribeScalingPolicies', { ServiceNamespace: 'ecs' })).toEqual({ ScalingPolicies: [] });
  });

  it('refuses a malformed ARN, too many tags, and step alarm tags that do not parse', () => {
    const { ScalableTargetARN } = register();
    expect(h.failure('TagResource', { ResourceARN: 'arn:aws:ecs:us-east-1:000000000000:cluster/x', Tags: { a: 'b' } }).code).toBe('ValidationException');
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(h.failure('TagResource', { ResourceARN: ScalableTargetARN, Tags: many }).code).toBe('TooManyTagsException');
    const err = h.failure('TagResource', { ResourceARN: ScalableTargetARN, Tags: { 'skiff:step-alarm:p': 'ALBRequestCountPerTarget > 100' } });
    expect(err.message).toMatch(/ResourceLabel is required with ALBRequestCountPerTarget/);
  });
});
