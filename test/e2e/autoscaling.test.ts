import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ApplicationAutoScalingClient,
  DeregisterScalableTargetCommand,
  DescribeScalingActivitiesCommand,
  ObjectNotFoundException,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  TagResourceCommand,
  ValidationException,
  paginateDescribeScalableTargets,
} from '@aws-sdk/client-application-auto-scaling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Edge } from '../../src/api/index.js';
import { ManualClock, randomIds, silentLogger } from '../../src/core/index.js';
import { createStore, openDatabase, type Store } from '../../src/store/index.js';
import { createAutoscaling, type Autoscaling } from '../../src/autoscaling/index.js';
import { FakeMetrics, FakeServices } from '../../src/autoscaling/fakes.js';
import { awsCliAsync, type CliResult } from '../helpers/aws-cli.js';

/**
 * The Bean Counter seed's scaling commands (`set-scaling-policy.sh`, `scaling-policy.json`
 * from skarlekar/fargate-patterns) through AWS CLI v2.
 *
 * `skiff up` does not serve Application Auto Scaling yet (the composition root wires it
 * next), so this runs the provider in-process behind a real Edge on a loopback port, with
 * fake ECS-service and metrics ports the test drives and a manual clock: five-second
 * periods, as `skiff up --metrics-period 5s` would have.
 */
const RESOURCE = 'service/bean-counter-cluster/bean-counter-service';
const PERIOD = 5_000;
const seedScalingPolicy = `{
     "TargetValue": 75.0,
     "PredefinedMetricSpecification": {
         "PredefinedMetricType": "ECSServiceAverageCPUUtilization"
     },
     "ScaleOutCooldown": 60,
    "ScaleInCooldown": 60
}
`;

let dir: string;
let store: Store;
let edge: Edge;
let endpoint: string;
let scaling: Autoscaling;
let sdk: ApplicationAutoScalingClient;
const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
const services = new FakeServices().add(RESOURCE, 2);
const metrics = new FakeMetrics();

/** The CLI runs as a child process while this process serves it: never block the event loop on it. */
function aws(...args: string[]): Promise<CliResult> {
  return awsCliAsync(endpoint, ['application-autoscaling', ...args], dir);
}

async function ok(pending: Promise<CliResult>): Promise<unknown> {
  const r = await pending;
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.json;
}

async function periods(n: number, cpu: number): Promise<void> {
  metrics.set(RESOURCE, 'ECSServiceAverageCPUUtilization', cpu);
  for (let i = 0; i < n; i++) {
    clock.advance(PERIOD);
    await scaling.tick();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-e2e-autoscaling-'));
  writeFileSync(path.join(dir, 'scaling-policy.json'), seedScalingPolicy);
  store = createStore(openDatabase(dir));
  const scope = { region: 'us-east-1', account: '000000000000' };
  scaling = createAutoscaling({ store, clock, ids: randomIds, scope, logger: silentLogger, services, metrics, periodMs: PERIOD });
  edge = new Edge({ scope, ids: randomIds, logger: silentLogger, maxBodyBytes: 1024 * 1024 });
  edge.addJsonService(scaling.service);
  const address = await edge.listen('127.0.0.1', 0);
  endpoint = `http://127.0.0.1:${address.port}`;
  sdk = new ApplicationAutoScalingClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});

afterAll(async () => {
  sdk.destroy();
  await scaling.stop();
  await edge.close();
  store.db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Application Auto Scaling through AWS CLI v2 (in-process provider, fake ports)', () => {
  it("runs the seed's set-scaling-policy.sh", async () => {
    await ok(
      aws(
        'register-scalable-target',
        '--service-namespace', 'ecs',
        '--scalable-dimension', 'ecs:service:DesiredCount',
        '--resource-id', RESOURCE,
        '--min-capacity', '2',
        '--max-capacity', '4',
      ),
    );
    const policy = (await ok(
      aws(
        'put-scaling-policy',
        '--service-namespace', 'ecs',
        '--scalable-dimension', 'ecs:service:DesiredCount',
        '--resource-id', RESOURCE,
        '--policy-name', 'cpu75-target-tracking-scaling-policy',
        '--policy-type', 'TargetTrackingScaling',
        '--target-tracking-scaling-policy-configuration', 'file://scaling-policy.json',
      ),
    )) as { PolicyARN: string; Alarms: Array<{ AlarmName: string }> };
    expect(policy.PolicyARN).toMatch(
      /^arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:[0-9a-f-]{36}:resource\/ecs\/service\/bean-counter-cluster\/bean-counter-service:policyName\/cpu75-target-tracking-scaling-policy$/,
    );
    expect(policy.Alarms.map((a) => a.AlarmName)).toEqual([
      expect.stringMatching(/^TargetTracking-service\/bean-counter-cluster\/bean-counter-service-AlarmHigh-/),
      expect.stringMatching(/^TargetTracking-service\/bean-counter-cluster\/bean-counter-service-AlarmLow-/),
    ]);
  });

  it('describes the target and the policy as registered', async () => {
    const targets = (await ok(aws('describe-scalable-targets', '--service-namespace', 'ecs'))) as { ScalableTargets: Array<Record<string, unknown>> };
    expect(targets.ScalableTargets).toEqual([
      expect.objectContaining({ ResourceId: RESOURCE, MinCapacity: 2, MaxCapacity: 4, ScalableDimension: 'ecs:service:DesiredCount' }),
    ]);
    const policies = (await ok(aws('describe-scaling-policies', '--service-namespace', 'ecs', '--resource-id', RESOURCE))) as {
      ScalingPolicies: Array<Record<string, unknown>>;
    };
    expect(policies.ScalingPolicies).toHaveLength(1);
    expect(policies.ScalingPolicies[0]).toMatchObject({
      PolicyName: 'cpu75-target-tracking-scaling-policy',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: JSON.parse(seedScalingPolicy) as unknown,
    });
  });

  it('answers the ScalableTargetARN AWS returns today (the installed CLI predates it, so over raw HTTP)', async () => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AnyScaleFrontendService.RegisterScalableTarget' },
      body: JSON.stringify({ ServiceNamespace: 'ecs', ScalableDimension: 'ecs:service:DesiredCount', ResourceId: RESOURCE }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ScalableTargetARN: expect.stringMatching(/^arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target\/[0-9a-f]{36}$/) });
  });

  it('scales 2 → 4 under high CPU and back to 2 when it drops, with both activities described', async () => {
    await periods(3, 150);
    expect(services.desired(RESOURCE)).toBe(4);
    await periods(15, 20); // 75 s: past the 60 s scale-out cooldown, fifteen datapoints below 67.5 %
    expect(services.desired(RESOURCE)).toBe(2);
    await periods(1, 20);
    const out = (await ok(aws('describe-scaling-activities', '--service-namespace', 'ecs', '--resource-id', RESOURCE, '--scalable-dimension', 'ecs:service:DesiredCount'))) as {
      ScalingActivities: Array<{ Description: string; Cause: string; StatusCode: string; StatusMessage: string }>;
    };
    expect(out.ScalingActivities.map((a) => [a.Description, a.StatusCode])).toEqual([
      ['Setting desired count to 2.', 'Successful'],
      ['Setting desired count to 4.', 'Successful'],
    ]);
    expect(out.ScalingActivities[0]?.Cause).toMatch(/^monitor alarm TargetTracking-.*-AlarmLow-.* in state ALARM triggered policy cpu75-target-tracking-scaling-policy$/);
    expect(out.ScalingActivities[1]?.Cause).toMatch(/^monitor alarm TargetTracking-.*-AlarmHigh-.* in state ALARM triggered policy cpu75-target-tracking-scaling-policy$/);
    expect(out.ScalingActivities[1]?.StatusMessage).toBe('Successfully set desired count to 4. Change successfully fulfilled by ecs.');
  });

  it('answers errors as AWS does: a missing ECS service, a missing target', async () => {
    const missing = await aws('register-scalable-target', '--service-namespace', 'ecs', '--scalable-dimension', 'ecs:service:DesiredCount', '--resource-id', 'service/bean-counter-cluster/nope', '--min-capacity', '1', '--max-capacity', '2');
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/\(ValidationException\).*ECS service doesn't exist: service\/bean-counter-cluster\/nope/);
    const noTarget = await aws('delete-scaling-policy', '--service-namespace', 'ecs', '--scalable-dimension', 'ecs:service:DesiredCount', '--resource-id', 'service/x/y', '--policy-name', 'p');
    expect(noTarget.stderr).toMatch(/\(ObjectNotFoundException\).*No scalable target registered/);
  });

  it('schedules min/max changes and deregisters the target with everything on it', async () => {
    await ok(
      aws(
        'put-scheduled-action',
        '--service-namespace', 'ecs',
        '--scalable-dimension', 'ecs:service:DesiredCount',
        '--resource-id', RESOURCE,
        '--scheduled-action-name', 'evening',
        '--schedule', 'cron(0 18 * * ? *)',
        '--timezone', 'Europe/Paris',
        '--scalable-target-action', 'MinCapacity=3,MaxCapacity=6',
      ),
    );
    const actions = (await ok(aws('describe-scheduled-actions', '--service-namespace', 'ecs'))) as { ScheduledActions: Array<Record<string, unknown>> };
    expect(actions.ScheduledActions[0]).toMatchObject({ ScheduledActionName: 'evening', Timezone: 'Europe/Paris', ScalableTargetAction: { MinCapacity: 3, MaxCapacity: 6 } });
    await ok(aws('deregister-scalable-target', '--service-namespace', 'ecs', '--scalable-dimension', 'ecs:service:DesiredCount', '--resource-id', RESOURCE));
    expect(await ok(aws('describe-scaling-policies', '--service-namespace', 'ecs'))).toEqual({ ScalingPolicies: [] });
    expect(await ok(aws('describe-scheduled-actions', '--service-namespace', 'ecs'))).toEqual({ ScheduledActions: [] });
  });
});

describe('Application Auto Scaling through AWS SDK v3 (in-process provider, fake ports)', () => {
  const ecs = { ServiceNamespace: 'ecs', ScalableDimension: 'ecs:service:DesiredCount' } as const;
  const workers = ['service/jobs/a', 'service/jobs/b', 'service/jobs/c'];

  it('registers targets, returns their ARNs and pages through them', async () => {
    const arns: string[] = [];
    for (const id of workers) {
      services.add(id, 1);
      const out = await sdk.send(new RegisterScalableTargetCommand({ ...ecs, ResourceId: id, MinCapacity: 1, MaxCapacity: 5 }));
      arns.push(out.ScalableTargetARN ?? '');
    }
    expect(arns.every((a) => /^arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target\/[0-9a-f]{36}$/.test(a))).toBe(true);
    const seen: string[] = [];
    for await (const page of paginateDescribeScalableTargets({ client: sdk, pageSize: 2 }, { ServiceNamespace: 'ecs' })) {
      expect((page.ScalableTargets ?? []).length).toBeLessThanOrEqual(2);
      for (const t of page.ScalableTargets ?? []) {
        seen.push(t.ResourceId ?? '');
        expect(t.CreationTime).toBeInstanceOf(Date);
      }
    }
    expect(seen).toEqual(workers);
  });

  it('runs a step policy from its skiff:step-alarm tag and shows the activity with typed dates', async () => {
    const [first] = await sdk.send(new RegisterScalableTargetCommand({ ...ecs, ResourceId: 'service/jobs/a' })).then((o) => [o.ScalableTargetARN]);
    await sdk.send(new TagResourceCommand({ ResourceARN: first, Tags: { 'skiff:step-alarm:queue-up': 'ECSServiceAverageMemoryUtilization GreaterThanThreshold 60 2' } }));
    const policy = await sdk.send(
      new PutScalingPolicyCommand({
        ...ecs,
        ResourceId: 'service/jobs/a',
        PolicyName: 'queue-up',
        PolicyType: 'StepScaling',
        StepScalingPolicyConfiguration: {
          AdjustmentType: 'PercentChangeInCapacity',
          MinAdjustmentMagnitude: 2,
          Cooldown: 60,
          StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 50 }],
        },
      }),
    );
    expect(policy.Alarms?.map((a) => a.AlarmName)).toEqual(['StepScaling-service/jobs/a-queue-up']);
    metrics.set('service/jobs/a', 'ECSServiceAverageMemoryUtilization', 90);
    for (let i = 0; i < 2; i++) {
      clock.advance(PERIOD);
      await scaling.tick();
    }
    expect(services.desired('service/jobs/a')).toBe(3); // 50 % of 1 rounds to 1, raised to MinAdjustmentMagnitude 2
    const out = await sdk.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/jobs/a' }));
    expect(out.ScalingActivities?.[0]).toMatchObject({
      Description: 'Setting desired count to 3.',
      Cause: 'monitor alarm StepScaling-service/jobs/a-queue-up in state ALARM triggered policy queue-up',
    });
    expect(out.ScalingActivities?.[0]?.StartTime).toBeInstanceOf(Date);
  });

  it('raises the modelled exceptions', async () => {
    await expect(sdk.send(new DeregisterScalableTargetCommand({ ...ecs, ResourceId: 'service/jobs/none' }))).rejects.toBeInstanceOf(ObjectNotFoundException);
    await expect(sdk.send(new RegisterScalableTargetCommand({ ...ecs, ResourceId: 'service/jobs/none', MinCapacity: 1, MaxCapacity: 2 }))).rejects.toBeInstanceOf(
      ValidationException,
    );
  });
});
