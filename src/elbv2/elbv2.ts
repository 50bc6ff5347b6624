import type { RawHandler } from '../api/index.js';
import { parseArn } from '../core/index.js';
import { DataPlane, targetKey, type HealthState, type TargetCounters } from '../lb/index.js';
import type { Elbv2Context, Elbv2Deps } from './context.js';
import { targetGroupUsage } from './model.js';
import { createAreas, ELBV2_SIGNING_NAME, elbv2Handler } from './provider.js';
import { Elbv2Repository } from './repository.js';
import { planeConfigOf } from './routing.js';

export interface TargetView {
  id: string;
  port: number;
  state: HealthState;
  reason?: string | undefined;
  description?: string | undefined;
}

export interface TargetGroupView {
  arn: string;
  name: string;
  port: number;
  protocol: 'HTTP';
  targetType: 'ip' | 'instance';
  /** Load balancers whose listeners or rules forward to the group (at most one for ALB). */
  loadBalancerArns: string[];
  healthCheck: { path: string; port: string; intervalSeconds: number; timeoutSeconds: number; healthyThresholdCount: number; unhealthyThresholdCount: number; matcher: string };
  /** Seconds a newly registered, answering target needs to become healthy: interval × healthy threshold. */
  healthCheckGracePeriodHint: number;
  deregistrationDelaySeconds: number;
}

/** What the ECS service scheduler uses: registration by the same path as RegisterTargets, and health. */
export interface Elbv2Targets {
  /** Registers targets (ids are IPs for type ip); throws AwsError TargetGroupNotFound / InvalidTarget. */
  register(targetGroupArn: string, targets: ReadonlyArray<{ id: string; port: number }>): void;
  /** Deregisters targets (they drain for the group's deregistration delay); unknown targets are ignored. */
  deregister(targetGroupArn: string, targets: ReadonlyArray<{ id: string; port: number }>): void;
  health(targetGroupArn: string): TargetView[];
  targetGroup(arn: string): TargetGroupView | undefined;
  /** Told on every health state change, and with state `removed` when a drained target goes. */
  onChange(fn: (targetGroupArn: string, target: TargetView | (Omit<TargetView, 'state'> & { state: 'removed' })) => void): () => void;
}

/** What Application Auto Scaling reads: cumulative counts, never reset while skiff runs. */
export interface Elbv2Metrics {
  requestCount(targetGroupArn: string): number;
  /** Requests per target, keyed `id:port`, over the targets the group has now. */
  requestCountByTarget(targetGroupArn: string): Map<string, number>;
  targetStats(targetGroupArn: string): Map<string, Readonly<TargetCounters>>;
  /** `app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>` (ALBRequestCountPerTarget's ResourceLabel); undefined when no load balancer uses the group. */
  resourceLabel(targetGroupArn: string): string | undefined;
  /** The target group a ResourceLabel names, if it exists. */
  targetGroupOfResourceLabel(label: string): string | undefined;
}

export interface Elbv2 {
  /** The awsQuery API: `edge.addRawService(elbv2.signingName, elbv2.handler)`. */
  readonly handler: RawHandler;
  readonly signingName: string;
  /** Builds the routing table from the store and opens every listener port (load balancers come back after a restart). */
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly targets: Elbv2Targets;
  readonly metrics: Elbv2Metrics;
  /** The data plane, for tests and the console. */
  readonly plane: DataPlane;
}

/** Elastic Load Balancing v2: the API, its SQLite state and the data plane it drives. */
export function createElbv2(deps: Elbv2Deps): Elbv2 {
  const repo = new Elbv2Repository(deps.store.db);
  const plane = new DataPlane({ logger: deps.logger, clock: deps.clock, ids: deps.ids, host: deps.listenHost, timers: deps.timers, probe: deps.probe });
  let started = false;
  const changed = (): void => {
    if (started) plane.apply(planeConfigOf(repo.snapshot()));
  };
  const ctx: Elbv2Context = { repo, tags: deps.store.tags, clock: deps.clock, ids: deps.ids, scope: deps.scope, plane, changed };
  const areas = createAreas(ctx);
  return {
    handler: elbv2Handler(areas, deps.logger, deps.maxBodyBytes ?? 1024 * 1024),
    signingName: ELBV2_SIGNING_NAME,
    plane,
    start: async () => {
      started = true;
      changed();
      await plane.settled();
    },
    stop: async () => {
      started = false;
      await plane.close();
    },
    targets: programmaticTargets(ctx, areas.targets),
    metrics: metrics(ctx),
  };
}

function programmaticTargets(ctx: Elbv2Context, targets: ReturnType<typeof createAreas>['targets']): Elbv2Targets {
  const view = (t: { id: string; port: number; health: { state: HealthState; reason?: string | undefined; description?: string | undefined } }): TargetView => ({
    id: t.id,
    port: t.port,
    state: t.health.state,
    reason: t.health.reason,
    description: t.health.description,
  });
  return {
    register: (arn, list) => targets.register({ TargetGroupArn: arn, Targets: list.map((t) => ({ Id: t.id, Port: t.port })) }),
    deregister: (arn, list) => {
      const registered = new Set(ctx.repo.targetsOf(arn).map((t) => targetKey(t.id, t.port)));
      const present = list.filter((t) => registered.has(targetKey(t.id, t.port)));
      if (present.length > 0) targets.deregister({ TargetGroupArn: arn, Targets: present.map((t) => ({ Id: t.id, Port: t.port })) });
    },
    health: (arn) =>
      targets.describeHealth({ TargetGroupArn: arn }).TargetHealthDescriptions.map((d) => ({
        id: d.Target.Id,
        port: d.Target.Port,
        state: d.TargetHealth.State as HealthState,
        reason: d.TargetHealth.Reason,
        description: d.TargetHealth.Description,
      })),
    targetGroup: (arn) => targetGroupView(ctx, arn),
    onChange: (fn) => ctx.plane.onHealthChange((arn, t, removed) => fn(arn, removed ? { ...view(t), state: 'removed' } : view(t))),
  };
}

function targetGroupView(ctx: Elbv2Context, arn: string): TargetGroupView | undefined {
  const tg = ctx.repo.targetGroup(arn);
  if (!tg) return undefined;
  const usage = targetGroupUsage(ctx.repo.listeners(), ctx.repo.rules());
  return {
    arn,
    name: tg.TargetGroupName,
    port: tg.Port,
    protocol: 'HTTP',
    targetType: tg.TargetType,
    loadBalancerArns: usage.get(arn) ?? [],
    healthCheck: {
      path: tg.HealthCheckPath,
      port: tg.HealthCheckPort,
      intervalSeconds: tg.HealthCheckIntervalSeconds,
      timeoutSeconds: tg.HealthCheckTimeoutSeconds,
      healthyThresholdCount: tg.HealthyThresholdCount,
      unhealthyThresholdCount: tg.UnhealthyThresholdCount,
      matcher: tg.Matcher.HttpCode ?? '200',
    },
    healthCheckGracePeriodHint: tg.HealthCheckIntervalSeconds * tg.HealthyThresholdCount,
    deregistrationDelaySeconds: Number(tg.attributes['deregistration_delay.timeout_seconds'] ?? '300'),
  };
}

/** `arn:...:loadbalancer/app/<name>/<id>` → `app/<name>/<id>`; `arn:...:targetgroup/<name>/<id>` → `targetgroup/<name>/<id>`. */
function resourceOf(arn: string): string {
  return (parseArn(arn)?.resource ?? '').replace(/^loadbalancer\//, '');
}

function metrics(ctx: Elbv2Context): Elbv2Metrics {
  const label = (tgArn: string): string | undefined => {
    const lb = targetGroupUsage(ctx.repo.listeners(), ctx.repo.rules()).get(tgArn)?.[0];
    return lb === undefined ? undefined : `${resourceOf(lb)}/${resourceOf(tgArn)}`;
  };
  const counters = (arn: string): Map<string, TargetCounters> => {
    const out = new Map<string, TargetCounters>();
    for (const t of ctx.plane.group(arn)?.targets.values() ?? []) out.set(t.key, { ...t.counters });
    return out;
  };
  return {
    requestCount: (arn) => ctx.plane.group(arn)?.requests ?? 0,
    requestCountByTarget: (arn) => new Map([...counters(arn)].map(([k, c]) => [k, c.requests])),
    targetStats: counters,
    resourceLabel: label,
    targetGroupOfResourceLabel: (l) => ctx.repo.targetGroups().find((tg) => label(tg.TargetGroupArn) === l)?.TargetGroupArn,
  };
}
