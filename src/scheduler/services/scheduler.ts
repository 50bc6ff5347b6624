import type { Clock, Logger } from '../../core/index.js';
import { addEvent } from '../../ecs/index.js';
import type { Store, StoredService, StoredTask } from '../../store/index.js';
import { planService, type ServiceAction } from './plan.js';

/** How the scheduler starts and stops tasks: the ECS task API, in process. */
export interface ServiceTaskPort {
  launch(service: StoredService, deploymentId: string, taskDefinition: string, count: number): string[];
  stop(taskArn: string, reason: string): void;
}

/** A target as the load balancer knows it. */
export interface TargetRef {
  id: string;
  port: number;
}

/** The load balancer, as far as services need it (implemented by src/elbv2). */
export interface ServiceLoadBalancerPort {
  register(targetGroupArn: string, targets: TargetRef[]): void;
  deregister(targetGroupArn: string, targets: TargetRef[]): void;
  health(targetGroupArn: string): Array<{ id: string; port: number; state: string }>;
}

export interface ServiceSchedulerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  tasks: ServiceTaskPort;
  lb?: ServiceLoadBalancerPort | undefined;
  resyncMs?: number | undefined;
}

/** Tasks stopped longer ago than this no longer matter to a service's plan. */
const HISTORY_MS = 60 * 60_000;

/**
 * Keeps every ACTIVE and DRAINING service in shape: each pass re-reads the service and
 * its tasks, asks the pure planner, and applies the plan. Passes run one at a time;
 * a wake during a pass schedules another.
 */
export class ServiceScheduler {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: ServiceSchedulerDeps) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), this.deps.resyncMs ?? 1000);
    this.wake();
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => (this.running = undefined));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      for (const service of this.deps.store.services.live()) {
        try {
          this.reconcile(service);
        } catch (err) {
          this.deps.logger.error('services: reconcile failed; will retry', { service: service.serviceArn, err });
        }
      }
      await new Promise((r) => setImmediate(r));
    } while (this.again && !this.stopped);
  }

  private reconcile(service: StoredService): void {
    const now = this.deps.clock.now();
    const tasks = this.deps.store.tasks.inGroup(service.clusterArn, `service:${service.serviceName}`, new Date(now.getTime() - HISTORY_MS));
    const lb = this.targetStates(service, tasks);
    const protectedTasks = new Set(
      tasks.filter((t) => t.lastStatus !== 'STOPPED' && this.deps.store.taskProtection.protectedUntil(t.taskArn, now.getTime()) !== undefined).map((t) => t.taskArn),
    );
    const plan = planService(service, tasks, lb, now, protectedTasks);
    const next = plan.service;
    for (const action of plan.actions) this.apply(next, action, tasks, now);
    if (next.status === 'DRAINING' && tasks.every((t) => t.lastStatus === 'STOPPED')) next.status = 'INACTIVE';
    if (JSON.stringify(next) !== JSON.stringify(service)) this.deps.store.services.put(next);
  }

  private apply(service: StoredService, action: ServiceAction, tasks: StoredTask[], now: Date): void {
    const name = service.serviceName;
    switch (action.kind) {
      case 'launch': {
        const arns = this.deps.tasks.launch(service, action.deploymentId, action.taskDefinition, action.count);
        if (arns.length) addEvent(service, now, `(service ${name}) has started ${arns.length} tasks: ${arns.map((a) => `(task ${a.split('/').pop()})`).join(' ')}.`);
        return;
      }
      case 'stop':
        for (const arn of action.taskArns) this.deps.tasks.stop(arn, action.reason);
        addEvent(service, now, `(service ${name}) has stopped ${action.taskArns.length} running tasks: ${action.taskArns.map((a) => `(task ${a.split('/').pop()})`).join(' ')}.`);
        return;
      case 'register':
      case 'deregister':
        return this.applyTargets(service, action.kind, action.taskArns, tasks, now);
    }
  }

  private applyTargets(service: StoredService, kind: 'register' | 'deregister', taskArns: string[], tasks: StoredTask[], now: Date): void {
    const lb = this.deps.lb;
    if (!lb) return;
    for (const mapping of service.loadBalancers ?? []) {
      if (!mapping.targetGroupArn) continue;
      const targets = taskArns.flatMap((arn) => {
        const t = tasks.find((x) => x.taskArn === arn);
        const target = t && targetOf(t, mapping.containerName, mapping.containerPort);
        return target ? [target] : [];
      });
      // Docker hands a freed address to the next container at once: a stopped task's
      // address may already be a live task's target, which must stay registered
      const held = kind === 'deregister' ? heldAddresses(service, tasks, mapping.containerName, mapping.containerPort) : new Set<string>();
      const out = targets.filter((t) => !held.has(`${t.id}:${t.port}`));
      if (out.length === 0) continue;
      if (kind === 'register') lb.register(mapping.targetGroupArn, out);
      else lb.deregister(mapping.targetGroupArn, out);
      const verb = kind === 'register' ? 'registered' : 'deregistered';
      addEvent(service, now, `(service ${service.serviceName}) ${verb} ${out.length} targets in (target-group ${mapping.targetGroupArn})`);
    }
  }

  /** The load balancer's view of the service's tasks, by task ARN (first target group). */
  private targetStates(service: StoredService, tasks: StoredTask[]): Map<string, string> {
    const states = new Map<string, string>();
    const mapping = service.loadBalancers?.find((l) => l.targetGroupArn);
    if (!this.deps.lb || !mapping?.targetGroupArn) return states;
    const health = this.deps.lb.health(mapping.targetGroupArn);
    for (const t of tasks) {
      const target = targetOf(t, mapping.containerName, mapping.containerPort);
      const h = target && health.find((x) => x.id === target.id && x.port === target.port);
      if (h) states.set(t.taskArn, h.state);
    }
    return states;
  }
}

/** The target addresses (`id:port`) of the service's registered tasks that are not stopped. */
function heldAddresses(service: StoredService, tasks: StoredTask[], containerName: string | undefined, containerPort: number | undefined): Set<string> {
  const registered = new Set(service.runtime.registered);
  const held = new Set<string>();
  for (const t of tasks) {
    if (!registered.has(t.taskArn) || t.lastStatus === 'STOPPED') continue;
    const target = targetOf(t, containerName, containerPort);
    if (target) held.add(`${target.id}:${target.port}`);
  }
  return held;
}

/**
 * Where the load balancer reaches a task's container port: the task's address on the
 * runtime network when it has one, else the port published on 127.0.0.1.
 */
export function targetOf(task: StoredTask, containerName: string | undefined, containerPort: number | undefined): TargetRef | undefined {
  const c = task.containers?.find((x) => x.name === containerName);
  const binding = c?.networkBindings?.find((b) => b.containerPort === containerPort);
  if (task.runtime.ipAddress && containerPort) return { id: task.runtime.ipAddress, port: containerPort };
  if (binding?.hostPort) return { id: binding.bindIP ?? '127.0.0.1', port: binding.hostPort };
  return undefined;
}
