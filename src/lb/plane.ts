import type { Clock, IdGenerator, Logger } from '../core/index.js';
import type { PlaneConfig } from './config.js';
import { httpProbe, realTimers, type Probe, type Timers } from './health-check.js';
import { ListenerRuntime, type ListenerEnv } from './listener.js';
import { PortServer } from './port-server.js';
import { TargetGroupRuntime } from './target-group.js';
import type { TargetRuntime } from './target.js';

export interface PlaneDeps {
  readonly logger: Logger;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Address listeners bind (default 127.0.0.1). */
  readonly host?: string;
  readonly timers?: Timers;
  readonly probe?: Probe;
  /** How often ports that could not be bound are tried again (default 5 s). */
  readonly rebindMs?: number;
}

export type HealthListener = (targetGroupArn: string, target: TargetRuntime, removed: boolean) => void;

/**
 * The load balancer data plane: one HTTP server per listener port, target groups with
 * their health checks and keep-alive pools. `apply` installs a complete routing table
 * (the control plane calls it after every change); routing never reads the database.
 */
export class DataPlane implements ListenerEnv {
  private readonly groups = new Map<string, TargetGroupRuntime>();
  private readonly ports = new Map<number, PortServer>();
  private readonly healthListeners = new Set<HealthListener>();
  private readonly host: string;
  private readonly timers: Timers;
  private readonly probe: Probe;
  private readonly tracePrefix: string;
  private traceSeq = 0;
  private dateSecond = -1;
  private dateText = '';
  private rebindTimer: unknown;
  private closed = false;

  constructor(private readonly deps: PlaneDeps) {
    this.host = deps.host ?? '127.0.0.1';
    this.timers = deps.timers ?? realTimers;
    this.probe = deps.probe ?? httpProbe;
    this.tracePrefix = deps.ids.hex32().slice(-12);
  }

  /** Installs a new routing table: target groups first, then listeners and their ports. */
  apply(config: PlaneConfig): void {
    if (this.closed) return;
    this.applyGroups(config);
    const byPort = new Map<number, ListenerRuntime[]>();
    for (const l of config.listeners) {
      const list = byPort.get(l.port) ?? [];
      list.push(new ListenerRuntime(l));
      byPort.set(l.port, list);
    }
    for (const [port, listeners] of byPort) {
      const server = this.portServer(port);
      server.listeners = listeners;
      if (!server.isBound) this.bindInBackground(server);
    }
    for (const [port, server] of this.ports) {
      if (byPort.has(port)) continue;
      this.ports.delete(port);
      void server.close();
    }
  }

  /** Opens a listener port now (CreateListener needs to know it can); throws PortUnavailableError. */
  async reservePort(port: number): Promise<void> {
    await this.portServer(port).bind();
  }

  /** Waits until every port of the current table is bound or has failed once (failures are retried). */
  async settled(): Promise<void> {
    await Promise.all([...this.ports.values()].map((s) => s.bind().catch(() => undefined)));
  }

  group(arn: string): TargetGroupRuntime | undefined {
    return this.groups.get(arn);
  }

  boundPorts(): number[] {
    return [...this.ports.values()].filter((s) => s.isBound).map((s) => s.port);
  }

  onHealthChange(fn: HealthListener): () => void {
    this.healthListeners.add(fn);
    return () => this.healthListeners.delete(fn);
  }

  /** `Root=1-<epoch seconds, hex>-<24 hex>`; an incoming Root is kept and this hop added as Self. */
  traceId(incoming: string | string[] | undefined): string {
    const seconds = Math.floor(this.deps.clock.now().getTime() / 1000).toString(16).padStart(8, '0');
    const id = `1-${seconds}-${this.tracePrefix}${(this.traceSeq++ % 0x1000000000000).toString(16).padStart(12, '0')}`;
    const prior = Array.isArray(incoming) ? incoming[0] : incoming;
    return prior && prior.includes('Root=') ? `Self=${id};${prior.replace(/Self=[^;]*;?/, '')}` : `Root=${id}`;
  }

  httpDate(): string {
    const ms = this.deps.clock.now().getTime();
    const second = Math.floor(ms / 1000);
    if (second !== this.dateSecond) {
      this.dateSecond = second;
      this.dateText = new Date(second * 1000).toUTCString();
    }
    return this.dateText;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timers.clearTimeout(this.rebindTimer);
    for (const g of this.groups.values()) g.close();
    this.groups.clear();
    const servers = [...this.ports.values()];
    this.ports.clear();
    await Promise.all(servers.map((s) => s.close()));
  }

  private applyGroups(config: PlaneConfig): void {
    const wanted = new Set<string>();
    for (const tg of config.targetGroups) {
      wanted.add(tg.arn);
      const existing = this.groups.get(tg.arn);
      if (existing) existing.update(tg);
      else this.groups.set(tg.arn, new TargetGroupRuntime(tg, this.groupDeps()));
    }
    for (const [arn, g] of this.groups) {
      if (wanted.has(arn)) continue;
      g.close();
      this.groups.delete(arn);
    }
  }

  private groupDeps(): ConstructorParameters<typeof TargetGroupRuntime>[1] {
    return {
      timers: this.timers,
      probe: this.probe,
      logger: this.deps.logger,
      onChange: (arn, t, removed) => {
        for (const fn of this.healthListeners) fn(arn, t, removed);
      },
    };
  }

  private portServer(port: number): PortServer {
    let s = this.ports.get(port);
    if (!s) {
      s = new PortServer(port, this.host, this);
      this.ports.set(port, s);
    }
    return s;
  }

  private bindInBackground(server: PortServer): void {
    server.bind().then(
      () => {
        if (this.ports.get(server.port) !== server) void server.close();
      },
      (err: unknown) => {
        this.deps.logger.error('lb: listener port unavailable; retrying', { port: server.port, err: (err as Error).message });
        this.scheduleRebind();
      },
    );
  }

  private scheduleRebind(): void {
    if (this.rebindTimer !== undefined || this.closed) return;
    this.rebindTimer = this.timers.setTimeout(() => {
      this.rebindTimer = undefined;
      for (const s of this.ports.values()) if (!s.isBound && s.listeners.length > 0) this.bindInBackground(s);
    }, this.deps.rebindMs ?? 5000);
  }
}
