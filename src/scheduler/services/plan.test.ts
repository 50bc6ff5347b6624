import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newDeployment } from '../../ecs/index.js';
import type { StoredService, StoredTask } from '../../store/index.js';
import { circuitBreakerThreshold, MAX_BACKOFF_MS, planService, type ServiceAction } from './plan.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const TD1 = 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:1';
const TD2 = 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:2';

function service(patch: Partial<StoredService> = {}): StoredService {
  const s: StoredService = {
    serviceArn: 'arn:aws:ecs:us-east-1:000000000000:service/default/web',
    serviceName: 'web',
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
    status: 'ACTIVE',
    desiredCount: 2,
    taskDefinition: TD1,
    createdAt: NOW,
    deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, deploymentCircuitBreaker: { enable: true, rollback: true } },
    runtime: { failureStreak: 0, draining: {}, registered: [], counted: [], steady: false },
    ...patch,
  };
  s.deployments ??= [newDeployment(s, TD1, NOW, s.desiredCount ?? 0, 'ecs-svc/1')];
  return s;
}

let n = 0;
function task(deployment: string, lastStatus: string, patch: Partial<StoredTask> = {}): StoredTask {
  const id = (++n).toString(16).padStart(32, '0');
  return {
    taskArn: `arn:aws:ecs:us-east-1:000000000000:task/default/${id}`,
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
    taskDefinitionArn: TD1,
    startedBy: deployment,
    group: 'service:web',
    lastStatus,
    desiredStatus: lastStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING',
    createdAt: NOW,
    startedAt: lastStatus === 'RUNNING' ? NOW : undefined,
    version: 1,
    runtime: {},
    ...patch,
  };
}

const launches = (actions: ServiceAction[]): number => actions.filter((a) => a.kind === 'launch').reduce((sum, a) => sum + (a.kind === 'launch' ? a.count : 0), 0);
const stops = (actions: ServiceAction[]): string[] => actions.flatMap((a) => (a.kind === 'stop' ? a.taskArns : []));

describe('planService', () => {
  it('launches up to the desired count and reaches a steady state', () => {
    expect(launches(planService(service(), [], new Map(), NOW).actions)).toBe(2);
    const steady = planService(service(), [task('ecs-svc/1', 'RUNNING'), task('ecs-svc/1', 'RUNNING')], new Map(), NOW);
    expect(steady.actions).toEqual([]);
    expect(steady.service.deployments?.[0]?.rolloutState).toBe('COMPLETED');
    expect(steady.service.events?.[0]?.message).toBe('(service web) has reached a steady state.');
    expect(steady.service.runningCount).toBe(2);
  });

  it('replaces a task that stopped, counting it as failed', () => {
    const plan = planService(service(), [task('ecs-svc/1', 'RUNNING'), task('ecs-svc/1', 'STOPPED', { stopCode: 'EssentialContainerExited', startedAt: NOW })], new Map(), NOW);
    expect(launches(plan.actions)).toBe(1);
    expect(plan.service.deployments?.[0]?.failedTasks).toBe(1);
  });

  it('backs off after tasks fail to start, growing to at most 15 minutes', () => {
    let s = service({ deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100 } });
    for (let i = 0; i < 12; i++) s = planService(s, [task('ecs-svc/1', 'STOPPED', { stopCode: 'TaskFailedToStart' })], new Map(), NOW).service;
    const wait = new Date(s.runtime.nextLaunchAt ?? '').getTime() - NOW.getTime();
    expect(wait).toBe(MAX_BACKOFF_MS);
    expect(launches(planService(s, [], new Map(), NOW).actions)).toBe(0);
    expect(launches(planService(s, [], new Map(), new Date(NOW.getTime() + MAX_BACKOFF_MS + 1)).actions)).toBe(2);
  });

  it('rolls out within maximumPercent and keeps minimumHealthyPercent', () => {
    const s = service();
    s.deployments = [newDeployment(s, TD2, NOW, 2, 'ecs-svc/2'), { ...newDeployment(s, TD1, NOW, 2, 'ecs-svc/1'), status: 'ACTIVE', rolloutState: 'COMPLETED' }];
    const old = [task('ecs-svc/1', 'RUNNING'), task('ecs-svc/1', 'RUNNING')];
    const first = planService(s, old, new Map(), NOW);
    expect(launches(first.actions)).toBe(2);
    expect(stops(first.actions)).toEqual([]);
    // new tasks pending: old ones must stay (100% healthy minimum)
    const pending = planService(s, [...old, task('ecs-svc/2', 'PENDING'), task('ecs-svc/2', 'PENDING')], new Map(), NOW);
    expect(stops(pending.actions)).toEqual([]);
    // new tasks running: old ones go
    const running = planService(s, [...old, task('ecs-svc/2', 'RUNNING'), task('ecs-svc/2', 'RUNNING')], new Map(), NOW);
    expect(stops(running.actions).sort()).toEqual(old.map((t) => t.taskArn).sort());
  });

  it('trips the circuit breaker at its threshold and rolls back to the last completed deployment', () => {
    expect([1, 10, 21, 400, 1000].map(circuitBreakerThreshold)).toEqual([10, 10, 11, 200, 200]);
    const s = service({ desiredCount: 1 });
    s.deployments = [newDeployment(s, TD2, NOW, 1, 'ecs-svc/2'), { ...newDeployment(s, TD1, NOW, 1, 'ecs-svc/1'), status: 'ACTIVE', rolloutState: 'COMPLETED' }];
    const failed = Array.from({ length: 10 }, () => task('ecs-svc/2', 'STOPPED', { stopCode: 'EssentialContainerExited', startedAt: NOW }));
    const plan = planService(s, [task('ecs-svc/1', 'RUNNING'), ...failed], new Map(), NOW);
    const [primary, ...rest] = plan.service.deployments ?? [];
    expect(primary).toMatchObject({ status: 'PRIMARY', taskDefinition: TD1, rolloutState: 'IN_PROGRESS' });
    expect(rest.find((d) => d.id === 'ecs-svc/2')?.rolloutState).toBe('FAILED');
    expect(plan.service.taskDefinition).toBe(TD1);
  });

  it('deregisters from the load balancer before stopping, and stops once drained', () => {
    const s = service({ desiredCount: 1, loadBalancers: [{ targetGroupArn: 'tg', containerName: 'web', containerPort: 80 }] });
    const t1 = task('ecs-svc/1', 'RUNNING');
    const t2 = task('ecs-svc/1', 'RUNNING');
    s.runtime.registered = [t1.taskArn, t2.taskArn];
    const lb = new Map([[t1.taskArn, 'healthy'], [t2.taskArn, 'healthy']]);
    const plan = planService(s, [t1, t2], lb, NOW);
    const dereg = plan.actions.find((a) => a.kind === 'deregister');
    expect(dereg).toBeDefined();
    expect(stops(plan.actions)).toEqual([]);
    const drainingArn = Object.keys(plan.service.runtime.draining)[0] ?? '';
    const after = planService(plan.service, [t1, t2], new Map([...lb].filter(([arn]) => arn !== drainingArn)), NOW);
    expect(stops(after.actions)).toEqual([drainingArn]);
  });

  it('keeps old tasks still in their first health checks until the new ones are healthy', () => {
    const s = service({ loadBalancers: [{ targetGroupArn: 'tg', containerName: 'web', containerPort: 80 }] });
    s.deployments = [newDeployment(s, TD2, NOW, 2, 'ecs-svc/2'), { ...newDeployment(s, TD1, NOW, 2, 'ecs-svc/1'), status: 'ACTIVE', rolloutState: 'COMPLETED' }];
    const old = [task('ecs-svc/1', 'RUNNING'), task('ecs-svc/1', 'RUNNING')];
    const fresh = [task('ecs-svc/2', 'RUNNING'), task('ecs-svc/2', 'RUNNING')];
    s.runtime.registered = [...old, ...fresh].map((t) => t.taskArn);
    const states = (oldState: string, newState: string): Map<string, string> =>
      new Map([...old.map((t) => [t.taskArn, oldState] as const), ...fresh.map((t) => [t.taskArn, newState] as const)]);
    // the old targets are all that serves, though not yet healthy: they stay
    const waiting = planService(s, [...old, ...fresh], states('initial', 'initial'), NOW);
    expect(waiting.actions.filter((a) => a.kind === 'deregister' || a.kind === 'stop')).toEqual([]);
    // the new ones healthy: the old ones leave the load balancer
    const replaced = planService(s, [...old, ...fresh], states('initial', 'healthy'), NOW);
    expect(replaced.actions.find((a) => a.kind === 'deregister')).toEqual({ kind: 'deregister', taskArns: old.map((t) => t.taskArn) });
    // an old one failing its checks goes at once
    const failing = planService(s, [...old, ...fresh], states('unhealthy', 'initial'), NOW);
    expect(failing.actions.find((a) => a.kind === 'deregister')).toEqual({ kind: 'deregister', taskArns: old.map((t) => t.taskArn) });
  });

  it('does not register again a task whose draining ended in the same pass', () => {
    const s = service({ desiredCount: 1, loadBalancers: [{ targetGroupArn: 'tg', containerName: 'web', containerPort: 80 }] });
    const kept = task('ecs-svc/1', 'RUNNING');
    const drained = task('ecs-svc/1', 'RUNNING');
    s.runtime.registered = [kept.taskArn];
    s.runtime.draining = { [drained.taskArn]: NOW.toISOString() };
    const plan = planService(s, [kept, drained], new Map([[kept.taskArn, 'healthy']]), NOW);
    expect(stops(plan.actions)).toEqual([drained.taskArn]);
    expect(plan.actions.filter((a) => a.kind === 'register')).toEqual([]);
    expect(plan.service.runtime.registered).toEqual([kept.taskArn]);
  });

  it('leaves a protected task out of scale-in and deployment stops, but not a failing one', () => {
    const s = service({ desiredCount: 1 });
    const older = task('ecs-svc/1', 'RUNNING', { createdAt: new Date(NOW.getTime() - 1000) });
    const newer = task('ecs-svc/1', 'RUNNING');
    // scale-in stops the newest, unless it is protected
    expect(stops(planService(s, [older, newer], new Map(), NOW).actions)).toEqual([newer.taskArn]);
    expect(stops(planService(s, [older, newer], new Map(), NOW, new Set([newer.taskArn])).actions)).toEqual([older.taskArn]);
    expect(stops(planService(s, [older, newer], new Map(), NOW, new Set([older.taskArn, newer.taskArn])).actions)).toEqual([]);
    // a service being deleted stops them all
    expect(stops(planService({ ...s, status: 'DRAINING' }, [older, newer], new Map(), NOW, new Set([older.taskArn, newer.taskArn])).actions)).toHaveLength(2);
    // a deployment waits for a protected old task, but replaces a failing one
    const r = service();
    r.deployments = [newDeployment(r, TD2, NOW, 2, 'ecs-svc/2'), { ...newDeployment(r, TD1, NOW, 2, 'ecs-svc/1'), status: 'ACTIVE', rolloutState: 'COMPLETED' }];
    const old = [task('ecs-svc/1', 'RUNNING'), task('ecs-svc/1', 'RUNNING', { healthStatus: 'UNHEALTHY' })];
    const fresh = [task('ecs-svc/2', 'RUNNING'), task('ecs-svc/2', 'RUNNING')];
    const plan = planService(r, [...old, ...fresh], new Map(), NOW, new Set(old.map((t) => t.taskArn)));
    expect(stops(plan.actions).sort()).toEqual([old[1]!.taskArn]);
  });

  it('never runs more than maximumPercent nor launches beyond desired (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), (desired, oldRunning, newRunning) => {
        const s = service({ desiredCount: desired });
        s.deployments = [newDeployment(s, TD2, NOW, desired, 'ecs-svc/2'), { ...newDeployment(s, TD1, NOW, 0, 'ecs-svc/1'), status: 'ACTIVE' }];
        const tasks = [...Array.from({ length: oldRunning }, () => task('ecs-svc/1', 'RUNNING')), ...Array.from({ length: newRunning }, () => task('ecs-svc/2', 'RUNNING'))];
        const plan = planService(s, tasks, new Map(), NOW);
        const launched = launches(plan.actions);
        expect(newRunning + launched).toBeLessThanOrEqual(Math.max(desired, newRunning));
        expect(oldRunning + newRunning + launched - stops(plan.actions).length).toBeLessThanOrEqual(Math.max(2 * desired, oldRunning + newRunning));
      }),
    );
  });
});
