import type { Deployment, LoadBalancer } from '@aws-sdk/client-ecs';
import { addEvent, newDeployment, nextDeploymentId } from '../../ecs/index.js';
import type { StoredService, StoredTask } from '../../store/index.js';

/**
 * The service scheduler's pure planner: from a service, its tasks and what the load
 * balancer says about them, decide what to launch, stop, register and deregister, and
 * the service's new bookkeeping (deployment counts, rollout states, events). No I/O.
 */
export type ServiceAction =
  | { kind: 'launch'; deploymentId: string; taskDefinition: string; count: number }
  | { kind: 'stop'; taskArns: string[]; reason: string }
  | { kind: 'register'; taskArns: string[] }
  | { kind: 'deregister'; taskArns: string[] };

/** Target states as the load balancer reports them, by task ARN; absent: not registered. */
export type TargetStates = ReadonlyMap<string, string>;

export interface ServicePlan {
  service: StoredService;
  actions: ServiceAction[];
}

export const MAX_BACKOFF_MS = 15 * 60_000;
const BACKOFF_BASE_MS = 5_000;
/** A deregistered target is stopped at the latest this long after draining began. */
const DRAIN_LIMIT_MS = 10 * 60_000;

interface Classified {
  live: StoredTask[];
  running: StoredTask[];
  healthy: StoredTask[];
}

/**
 * @param protectedTasks the service's tasks under scale-in protection now: not stopped to
 *   scale in or for a deployment (a failing one still is)
 */
export function planService(input: StoredService, tasks: readonly StoredTask[], lb: TargetStates, now: Date, protectedTasks: ReadonlySet<string> = new Set()): ServicePlan {
  const service = structuredClone(input);
  const actions: ServiceAction[] = [];
  const desired = service.status === 'ACTIVE' ? (service.desiredCount ?? 0) : 0;
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
  if (!primary?.id) return { service, actions };
  countFailures(service, tasks, now);
  tripCircuitBreaker(service, primary, desired, now);
  const current = service.deployments?.find((d) => d.status === 'PRIMARY') ?? primary;
  const byDeployment = (id: string | undefined): StoredTask[] => tasks.filter((t) => t.startedBy === id);
  const mine = classify(service, byDeployment(current.id), lb, now);
  const old = classify(service, tasks.filter((t) => t.startedBy !== current.id), lb, now);

  const stops = new Map<string, string>();
  replaceUnhealthy(service, [...mine.running, ...old.running], lb, now, stops);
  // deleting a service stops its tasks, protected or not
  planCounts(service, current, desired, mine, old, lb, now, stops, actions, service.status === 'ACTIVE' ? protectedTasks : new Set());
  planLoadBalancer(service, tasks, lb, now, stops, actions);
  updateCounts(service, tasks, lb, now, desired);
  return { service, actions };
}

function classify(service: StoredService, tasks: readonly StoredTask[], lb: TargetStates, now: Date): Classified {
  const live = tasks.filter((t) => t.desiredStatus === 'RUNNING' && t.lastStatus !== 'STOPPED' && !service.runtime.draining[t.taskArn]);
  const running = live.filter((t) => t.lastStatus === 'RUNNING');
  const healthy = running.filter((t) => isHealthy(service, t, lb, now));
  return { live, running, healthy };
}

function inGrace(service: StoredService, task: StoredTask, now: Date): boolean {
  const grace = (service.healthCheckGracePeriodSeconds ?? 0) * 1000;
  return task.startedAt !== undefined && now.getTime() - task.startedAt.getTime() < grace;
}

function isHealthy(service: StoredService, task: StoredTask, lb: TargetStates, now: Date): boolean {
  if (task.healthStatus === 'UNHEALTHY') return false;
  if (!hasLoadBalancers(service)) return true;
  const state = lb.get(task.taskArn);
  return state === 'healthy' || (state !== 'unhealthy' && inGrace(service, task, now) && state !== undefined);
}

function hasLoadBalancers(service: StoredService): boolean {
  return (service.loadBalancers ?? []).some((l: LoadBalancer) => l.targetGroupArn);
}

/** Counts, once each, the tasks that stopped without being told to: the circuit breaker's input. */
function countFailures(service: StoredService, tasks: readonly StoredTask[], now: Date): void {
  const counted = new Set(service.runtime.counted);
  for (const t of tasks) {
    if (t.lastStatus !== 'STOPPED' || counted.has(t.taskArn) || t.stopCode === 'ServiceSchedulerInitiated') continue;
    if (service.runtime.draining[t.taskArn] || t.stopCode === 'UserInitiated') continue;
    counted.add(t.taskArn);
    const d = service.deployments?.find((x) => x.id === t.startedBy);
    if (d) d.failedTasks = (d.failedTasks ?? 0) + 1;
    if (!t.startedAt || t.stopCode === 'TaskFailedToStart') {
      service.runtime.failureStreak += 1;
      const delay = Math.min(MAX_BACKOFF_MS, BACKOFF_BASE_MS * 2 ** (service.runtime.failureStreak - 1));
      service.runtime.nextLaunchAt = new Date(now.getTime() + delay).toISOString();
    }
  }
  // keep the list bounded to tasks the store still returns
  const present = new Set(tasks.map((t) => t.taskArn));
  service.runtime.counted = [...counted].filter((a) => present.has(a));
}

/** ECS's threshold: ceil(0.5 × desired), at least 10, at most 200 failed tasks. */
export function circuitBreakerThreshold(desired: number): number {
  return Math.min(200, Math.max(10, Math.ceil(0.5 * desired)));
}

function tripCircuitBreaker(service: StoredService, primary: Deployment, desired: number, now: Date): void {
  const breaker = service.deploymentConfiguration?.deploymentCircuitBreaker;
  if (!breaker?.enable || primary.rolloutState !== 'IN_PROGRESS') return;
  if ((primary.failedTasks ?? 0) < circuitBreakerThreshold(desired)) return;
  primary.rolloutState = 'FAILED';
  primary.rolloutStateReason = `ECS deployment circuit breaker: tasks failed to start.`;
  primary.updatedAt = now;
  addEvent(service, now, `(service ${service.serviceName}) (deployment ${primary.id}) deployment failed: tasks failed to start.`);
  const previous = service.deployments?.find((d) => d.status === 'ACTIVE' && d.rolloutState === 'COMPLETED');
  if (!breaker.rollback || !previous?.taskDefinition) return;
  primary.status = 'ACTIVE';
  const rollback = newDeployment(service, previous.taskDefinition, now, desired, nextDeploymentId(service, now));
  rollback.rolloutStateReason = `ECS deployment circuit breaker: rolling back to deploymentId ${previous.id}.`;
  service.deployments = [rollback, ...(service.deployments ?? [])];
  service.taskDefinition = previous.taskDefinition;
  service.runtime.failureStreak = 0;
  service.runtime.nextLaunchAt = undefined;
  addEvent(service, now, `(service ${service.serviceName}) rolling back to deployment ${previous.id}.`);
}

function replaceUnhealthy(service: StoredService, running: StoredTask[], lb: TargetStates, now: Date, stops: Map<string, string>): void {
  for (const t of running) {
    if (t.healthStatus === 'UNHEALTHY' && !inGrace(service, t, now)) stops.set(t.taskArn, 'Task failed container health checks');
    else if (hasLoadBalancers(service) && lb.get(t.taskArn) === 'unhealthy' && !inGrace(service, t, now)) {
      const tg = service.loadBalancers?.[0]?.targetGroupArn ?? '';
      stops.set(t.taskArn, `Task failed ELB health checks in (target-group ${tg})`);
    }
  }
}

function planCounts(
  service: StoredService,
  primary: Deployment,
  desired: number,
  mine: Classified,
  old: Classified,
  lb: TargetStates,
  now: Date,
  stops: Map<string, string>,
  actions: ServiceAction[],
  protectedTasks: ReadonlySet<string>,
): void {
  const cfg = service.deploymentConfiguration ?? {};
  const maxTotal = Math.floor((desired * (cfg.maximumPercent ?? 200)) / 100);
  const minHealthy = Math.ceil((desired * (cfg.minimumHealthyPercent ?? 100)) / 100);
  const liveMine = mine.live.filter((t) => !stops.has(t.taskArn));
  const liveOld = old.live.filter((t) => !stops.has(t.taskArn));
  // too many of the current deployment: stop the newest, pending ones first
  const excess = liveMine.length - desired;
  if (excess > 0) {
    const order = liveMine
      .filter((t) => !protectedTasks.has(t.taskArn))
      .sort((a, b) => Number(a.lastStatus === 'RUNNING') - Number(b.lastStatus === 'RUNNING') || b.createdAt.getTime() - a.createdAt.getTime());
    for (const t of order.slice(0, excess)) stops.set(t.taskArn, 'Service scaled in');
  }
  const launchBlocked = primary.rolloutState === 'FAILED' || (service.runtime.nextLaunchAt !== undefined && now < new Date(service.runtime.nextLaunchAt));
  const room = maxTotal - liveMine.length - liveOld.length;
  const launch = launchBlocked ? 0 : Math.max(0, Math.min(desired - liveMine.length, room));
  if (launch > 0 && primary.id && primary.taskDefinition) {
    actions.push({ kind: 'launch', deploymentId: primary.id, taskDefinition: primary.taskDefinition, count: launch });
  }
  // old deployments: failing or not yet running ones go at once, healthy ones while enough
  // stay healthy. One still in its first health checks counts for nothing yet but may be all
  // that serves (the load balancer fails open to it), so it goes only once the healthy tasks
  // meet the minimum without it.
  const healthyNow = mine.healthy.filter((t) => !stops.has(t.taskArn)).length + old.healthy.filter((t) => !stops.has(t.taskArn)).length;
  let canStop = healthyNow - minHealthy;
  const oldHealthy = new Set(old.healthy.map((t) => t.taskArn));
  for (const t of liveOld) {
    if (isFailing(t, lb)) stops.set(t.taskArn, 'Task replaced by a new deployment');
    else if (protectedTasks.has(t.taskArn)) continue;
    else if (!oldHealthy.has(t.taskArn)) {
      if (canStop >= 0) stops.set(t.taskArn, 'Task replaced by a new deployment');
    } else if (canStop > 0) {
      stops.set(t.taskArn, 'Task replaced by a new deployment');
      canStop -= 1;
    }
  }
}

/** Not running, or failing its container or load balancer health checks. */
function isFailing(task: StoredTask, lb: TargetStates): boolean {
  return task.lastStatus !== 'RUNNING' || task.healthStatus === 'UNHEALTHY' || lb.get(task.taskArn) === 'unhealthy';
}

/**
 * Registers running tasks as targets, and takes tasks out of the load balancer before
 * they are stopped: deregister, wait for draining to end, then stop.
 */
function planLoadBalancer(service: StoredService, tasks: readonly StoredTask[], lb: TargetStates, now: Date, stops: Map<string, string>, actions: ServiceAction[]): void {
  const registered = new Set(service.runtime.registered);
  const lbOn = hasLoadBalancers(service);
  const toRegister: string[] = [];
  const toDeregister: string[] = [];
  const toStop = new Map<string, string>();
  for (const [arn, reason] of stops) {
    if (lbOn && registered.has(arn)) {
      toDeregister.push(arn);
      registered.delete(arn);
      service.runtime.draining[arn] = now.toISOString();
    } else toStop.set(arn, reason);
  }
  for (const [arn, since] of Object.entries(service.runtime.draining)) {
    const drained = !lb.has(arn) || now.getTime() - new Date(since).getTime() > DRAIN_LIMIT_MS;
    if (drained) {
      toStop.set(arn, 'Task deregistered from the load balancer');
      delete service.runtime.draining[arn];
    }
  }
  for (const t of tasks) {
    // a task stopped in this pass (its draining just ended) is not registered again
    const live = t.desiredStatus === 'RUNNING' && t.lastStatus === 'RUNNING' && !stops.has(t.taskArn) && !toStop.has(t.taskArn) && !service.runtime.draining[t.taskArn];
    if (lbOn && live && !registered.has(t.taskArn)) {
      toRegister.push(t.taskArn);
      registered.add(t.taskArn);
    } else if (registered.has(t.taskArn) && t.lastStatus === 'STOPPED') {
      toDeregister.push(t.taskArn);
      registered.delete(t.taskArn);
    }
  }
  service.runtime.registered = [...registered];
  if (toRegister.length) actions.push({ kind: 'register', taskArns: toRegister });
  if (toDeregister.length) actions.push({ kind: 'deregister', taskArns: toDeregister });
  const byReason = new Map<string, string[]>();
  for (const [arn, reason] of toStop) byReason.set(reason, [...(byReason.get(reason) ?? []), arn]);
  for (const [reason, taskArns] of byReason) actions.push({ kind: 'stop', taskArns, reason });
}

function updateCounts(service: StoredService, tasks: readonly StoredTask[], lb: TargetStates, now: Date, desired: number): void {
  let running = 0;
  let pending = 0;
  for (const d of service.deployments ?? []) {
    const ts = tasks.filter((t) => t.startedBy === d.id && t.desiredStatus === 'RUNNING' && t.lastStatus !== 'STOPPED');
    d.runningCount = ts.filter((t) => t.lastStatus === 'RUNNING').length;
    d.pendingCount = ts.length - d.runningCount;
    d.desiredCount = d.status === 'PRIMARY' ? desired : 0;
    running += d.runningCount;
    pending += d.pendingCount;
  }
  service.runningCount = running;
  service.pendingCount = pending;
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
  const mine = classify(service, tasks.filter((t) => t.startedBy === primary?.id), lb, now);
  const othersLive = (service.deployments ?? []).filter((d) => d !== primary).some((d) => (d.runningCount ?? 0) + (d.pendingCount ?? 0) > 0);
  const drainingLeft = Object.keys(service.runtime.draining).length > 0;
  const done = primary && mine.live.length === desired && mine.healthy.length === desired && !othersLive && !drainingLeft;
  if (done && primary.rolloutState === 'IN_PROGRESS') {
    primary.rolloutState = 'COMPLETED';
    primary.rolloutStateReason = 'ECS deployment completed.';
    primary.updatedAt = now;
    service.runtime.failureStreak = 0;
  }
  if (done) service.deployments = (service.deployments ?? []).filter((d) => d === primary);
  const steady = Boolean(done) && service.deployments?.length === 1 && running === desired;
  if (steady && !service.runtime.steady) addEvent(service, now, `(service ${service.serviceName}) has reached a steady state.`);
  service.runtime.steady = steady;
}
