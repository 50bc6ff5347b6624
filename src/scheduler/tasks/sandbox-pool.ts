import type { Logger } from '../../core/index.js';
import { INSTANCE_LABEL, type ContainerDriver, type PortRequest, type Sandbox } from '../../runtime/index.js';

/** Marks a sandbox started ahead of any task; it belongs to a task only once a task record names its id. */
export const POOL_LABEL = 'dev.skiff.pool';

/** Port sets the pool keeps sandboxes for at most, besides "no ports". */
export const MAX_PORT_SETS = 8;
/** A port set no task asked for within this long is forgotten, and its sandboxes removed. */
export const PORT_SET_IDLE_MS = 10 * 60_000;

export interface SandboxPoolDeps {
  driver: ContainerDriver;
  instanceId: string;
  logger: Logger;
  /** How many started sandboxes to keep ready for each port set (0: none). */
  size: number;
  /** Where 169.254.170.2:80 leads inside each sandbox (the agent). */
  endpointForward: () => { host: string; port: number } | undefined;
  /** How long after a claim the pool waits before starting a replacement, so as not to slow the task that claimed. */
  refillDelayMs?: number;
  /** Milliseconds since the epoch (tests pass their own). */
  now?: () => number;
}

/** The sandboxes ready for one set of port mappings. */
interface Shelf {
  readonly ports: PortRequest[];
  readonly ready: Sandbox[];
  creating: number;
  /** When a task last asked for this port set. */
  wantedAt: number;
}

/**
 * Sandboxes (the pause container holding a task's network namespace) started before any
 * task asks, so that RunTask pays one container start, not two: the sandbox's start, with
 * its bridge endpoint, is the slower one.
 *
 * Port mappings are fixed when a container is created, so sandboxes are kept per set of
 * port mappings: the set with no ports always, and each set a task asked for (a service's
 * tasks ask for the same one again: replacements, scale-outs, rollouts). The first task
 * of a set starts its own sandbox; the pool then keeps `size` ready for the set until no
 * task has asked for it in PORT_SET_IDLE_MS, for at most MAX_PORT_SETS sets (the least
 * recently asked for goes first).
 *
 * A pooled sandbox carries POOL_LABEL and no task label. Claiming it is writing its id
 * into the task record (the executor does); after a restart, the runner's clean-up
 * removes every sandbox no unfinished task names, claimed-but-unsaved ones included, and
 * the pool starts afresh.
 */
export class SandboxPool {
  private readonly shelves = new Map<string, Shelf>();
  private seq = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly deps: SandboxPoolDeps) {}

  /** Starts filling the pool (after the runner removed leftovers of an earlier run). */
  start(): void {
    if (this.deps.size <= 0) return;
    this.shelf([]);
    this.fill();
    this.sweeper = setInterval(() => this.fill(), Math.min(60_000, PORT_SET_IDLE_MS)).unref();
  }

  /**
   * A started sandbox publishing exactly `ports`, or undefined when none is ready (the
   * pool then learns the set and has one ready for the next task that asks).
   */
  async take(ports: readonly PortRequest[] = []): Promise<Sandbox | undefined> {
    if (this.stopped || this.deps.size <= 0) return undefined;
    const shelf = this.shelf(ports);
    shelf.wantedAt = this.now();
    for (;;) {
      const sandbox = shelf.ready.shift();
      this.scheduleFill();
      if (!sandbox) return undefined;
      // one that died meanwhile (an engine restart, a docker rm) is of no use
      const state = await this.deps.driver.inspect(sandbox.id).catch(() => undefined);
      if (state?.status === 'running') return sandbox;
      await this.deps.driver.remove(sandbox.id).catch(() => undefined);
    }
  }

  /** Stops filling and removes the sandboxes no task claimed. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.sweeper) clearInterval(this.sweeper);
    const left = [...this.shelves.values()].flatMap((s) => s.ready.splice(0));
    await Promise.all(left.map((s) => this.deps.driver.remove(s.id).catch(() => undefined)));
  }

  /** The port sets the pool keeps sandboxes for now ("" is the set with no ports). */
  portSets(): string[] {
    return [...this.shelves.keys()];
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** The shelf of a port set, learning the set when it is new. */
  private shelf(ports: readonly PortRequest[]): Shelf {
    const key = portSetKey(ports);
    let shelf = this.shelves.get(key);
    if (!shelf) {
      shelf = { ports: [...ports], ready: [], creating: 0, wantedAt: this.now() };
      this.shelves.set(key, shelf);
    }
    return shelf;
  }

  private scheduleFill(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fill();
    }, this.deps.refillDelayMs ?? 1000);
    this.timer.unref();
  }

  /** Forgets idle port sets (and those beyond the limit), then tops every shelf up. */
  private fill(): void {
    if (this.stopped) return;
    const learned = [...this.shelves.entries()].filter(([key]) => key !== '').sort(([, a], [, b]) => b.wantedAt - a.wantedAt);
    learned.forEach(([key, shelf], i) => {
      if (i < MAX_PORT_SETS && this.now() - shelf.wantedAt < PORT_SET_IDLE_MS) return;
      this.shelves.delete(key);
      for (const s of shelf.ready.splice(0)) this.deps.driver.remove(s.id).catch(() => undefined);
    });
    for (const shelf of this.shelves.values()) {
      while (shelf.ready.length + shelf.creating < this.deps.size) this.createFor(shelf);
    }
  }

  private createFor(shelf: Shelf): void {
    shelf.creating++;
    const { instanceId } = this.deps;
    this.deps.driver
      .createSandbox({
        name: `skiff-pool-${instanceId}-${process.pid}-${++this.seq}`,
        labels: { [INSTANCE_LABEL]: instanceId, [POOL_LABEL]: 'true' },
        ports: shelf.ports,
        endpointForward: this.deps.endpointForward(),
      })
      .then((sandbox) => {
        // stopped, or the set was forgotten while it started
        if (this.stopped || this.shelves.get(portSetKey(shelf.ports)) !== shelf) return this.deps.driver.remove(sandbox.id);
        shelf.ready.push(sandbox);
      })
      .catch((err: unknown) => this.deps.logger.warn('sandbox pool: could not start a sandbox; tasks start their own', { err }))
      .finally(() => shelf.creating--);
  }
}

/** One key per set of port mappings, whatever their order. */
export function portSetKey(ports: readonly PortRequest[]): string {
  return ports
    .map((p) => `${p.containerPort}/${p.protocol}`)
    .sort()
    .join(',');
}
