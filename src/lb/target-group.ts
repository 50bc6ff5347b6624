import type { Logger } from '../core/index.js';
import { targetKey, type TargetGroupConfig } from './config.js';
import type { Probe, Timers } from './health-check.js';
import { afterCheck, notInUse, registering } from './health-state.js';
import { TargetRuntime } from './target.js';

export interface TargetGroupDeps {
  readonly timers: Timers;
  readonly probe: Probe;
  readonly logger: Logger;
  /** Told whenever a target's health state changes, or a target is removed after draining. */
  readonly onChange: (targetGroupArn: string, target: TargetRuntime, removed: boolean) => void;
}

/**
 * The live side of one target group: its targets with their health, the health check
 * timers, draining, and the choice of a target for each request. `routable` is
 * recomputed when health or membership changes, never per request.
 */
export class TargetGroupRuntime {
  readonly targets = new Map<string, TargetRuntime>();
  /** Targets new requests may go to: the healthy ones, or (failing open) every non-draining one. */
  private routable: TargetRuntime[] = [];
  private next = 0;
  /** Requests routed to this group since start (cumulative, as ALB's RequestCount sums). */
  requests = 0;

  constructor(
    private config: TargetGroupConfig,
    private readonly deps: TargetGroupDeps,
  ) {
    this.update(config);
  }

  get arn(): string {
    return this.config.arn;
  }

  update(config: TargetGroupConfig): void {
    const before = this.config;
    this.config = config;
    const wanted = new Set(config.targets.map((t) => targetKey(t.id, t.port)));
    for (const t of config.targets) {
      const existing = this.targets.get(targetKey(t.id, t.port));
      if (!existing) this.add(new TargetRuntime(t.id, t.port, config.inUse));
      else if (existing.draining) this.reregister(existing);
    }
    for (const t of this.targets.values()) if (!wanted.has(t.key) && !t.draining) this.drain(t);
    if (before.inUse !== config.inUse || healthCheckChanged(before, config)) this.restartChecks();
    this.refresh();
  }

  /** Picks the target for the next request, or undefined when the group has none to offer. */
  pick(): TargetRuntime | undefined {
    const list = this.routable;
    if (list.length === 0) return undefined;
    if (this.config.algorithm === 'least_outstanding_requests') return leastOutstanding(list, this.next++);
    const t = list[this.next++ % list.length];
    if (this.next > 1e9) this.next = 0;
    return t;
  }

  close(): void {
    for (const t of this.targets.values()) this.remove(t, false);
  }

  private add(t: TargetRuntime): void {
    this.targets.set(t.key, t);
    if (this.config.inUse) this.scheduleCheck(t, 0);
  }

  private reregister(t: TargetRuntime): void {
    this.deps.timers.clearTimeout(t.drainTimer);
    t.drainTimer = undefined;
    t.epoch++;
    t.health = this.config.inUse ? registering : notInUse;
    if (this.config.inUse) this.scheduleCheck(t, 0);
    this.deps.onChange(this.arn, t, false);
  }

  private drain(t: TargetRuntime): void {
    this.deps.timers.clearTimeout(t.checkTimer);
    t.startDraining();
    this.deps.onChange(this.arn, t, false);
    t.drainTimer = this.deps.timers.setTimeout(() => {
      this.remove(t, true);
      this.refresh();
    }, this.config.deregistrationDelayMs);
  }

  private remove(t: TargetRuntime, notify: boolean): void {
    this.deps.timers.clearTimeout(t.checkTimer);
    this.deps.timers.clearTimeout(t.drainTimer);
    t.epoch++;
    this.targets.delete(t.key);
    t.close();
    if (notify) this.deps.onChange(this.arn, t, true);
  }

  private restartChecks(): void {
    for (const t of this.targets.values()) {
      if (t.draining) continue;
      this.deps.timers.clearTimeout(t.checkTimer);
      t.epoch++;
      const fresh = this.config.inUse ? (t.health.state === 'unused' ? registering : t.health) : notInUse;
      if (fresh !== t.health) {
        t.health = fresh;
        this.deps.onChange(this.arn, t, false);
      }
      if (this.config.inUse) this.scheduleCheck(t, 0);
    }
  }

  private scheduleCheck(t: TargetRuntime, delayMs: number): void {
    t.checkTimer = this.deps.timers.setTimeout(() => this.runCheck(t), delayMs);
  }

  private runCheck(t: TargetRuntime): void {
    const hc = this.config.healthCheck;
    const epoch = t.epoch;
    this.scheduleCheck(t, hc.intervalMs);
    const port = hc.port === 'traffic-port' ? t.port : hc.port;
    this.deps.probe(t.id, port, hc).then(
      (result) => {
        if (t.epoch !== epoch || this.targets.get(t.key) !== t) return;
        const before = t.health.state;
        t.health = afterCheck(t.health, result, { healthy: hc.healthyThreshold, unhealthy: hc.unhealthyThreshold });
        if (t.health.state !== before) {
          this.refresh();
          this.deps.onChange(this.arn, t, false);
        }
      },
      (err: unknown) => this.deps.logger.error('lb: health check failed to run', { err, target: t.key }),
    );
  }

  private refresh(): void {
    const live = [...this.targets.values()].filter((t) => !t.draining && t.health.state !== 'unused');
    const healthy = live.filter((t) => t.health.state === 'healthy');
    this.routable = healthy.length > 0 ? healthy : live;
  }
}

function healthCheckChanged(a: TargetGroupConfig, b: TargetGroupConfig): boolean {
  const x = a.healthCheck;
  const y = b.healthCheck;
  return x.path !== y.path || x.port !== y.port || x.intervalMs !== y.intervalMs || x.timeoutMs !== y.timeoutMs || x.matcher !== y.matcher;
}

/** The target with the fewest requests in flight; ties go round robin from `start`. */
export function leastOutstanding<T extends { counters: { inFlight: number } }>(list: readonly T[], start: number): T | undefined {
  let best: T | undefined;
  for (let i = 0; i < list.length; i++) {
    const t = list[(start + i) % list.length]!;
    if (best === undefined || t.counters.inFlight < best.counters.inFlight) best = t;
  }
  return best;
}
