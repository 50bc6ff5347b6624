import http from 'node:http';
import { draining, notInUse, registering, type TargetHealth } from './health-state.js';
import { UpstreamPool } from './upstream-pool.js';

/** Per-target counters, kept in memory only (never a database write per request). */
export interface TargetCounters {
  requests: number;
  inFlight: number;
  http2xx: number;
  http3xx: number;
  http4xx: number;
  http5xx: number;
  /** Requests the load balancer answered itself because the target failed (502/504). */
  errors: number;
}

/** One registered target of one target group: its health, counters and keep-alive pool. */
export class TargetRuntime {
  health: TargetHealth;
  readonly counters: TargetCounters = { requests: 0, inFlight: 0, http2xx: 0, http3xx: 0, http4xx: 0, http5xx: 0, errors: 0 };
  /** Keep-alive connections to this target for requests node:http serves (see fast-path.ts). */
  readonly agent: http.Agent;
  /** Keep-alive connections to this target for the fast path. */
  readonly pool: UpstreamPool;
  checkTimer: unknown;
  drainTimer: unknown;
  /** Bumped to invalidate a health check still in flight (e.g. after the target began draining). */
  epoch = 0;

  constructor(
    readonly id: string,
    readonly port: number,
    inUse: boolean,
  ) {
    this.health = inUse ? registering : notInUse;
    this.agent = new http.Agent({ keepAlive: true, noDelay: true, maxFreeSockets: 1024, scheduling: 'lifo', keepAliveMsecs: 1000 });
    this.pool = new UpstreamPool(id, port);
  }

  get key(): string {
    return `${this.id}:${this.port}`;
  }

  get draining(): boolean {
    return this.health.state === 'draining';
  }

  startDraining(): void {
    this.health = draining;
    this.epoch++;
  }

  /** Counts a finished request by the status the client got. */
  record(status: number, fromTarget: boolean): void {
    const c = this.counters;
    if (!fromTarget) c.errors++;
    if (status >= 500) c.http5xx++;
    else if (status >= 400) c.http4xx++;
    else if (status >= 300) c.http3xx++;
    else c.http2xx++;
  }

  close(): void {
    this.agent.destroy();
    this.pool.close();
  }
}
