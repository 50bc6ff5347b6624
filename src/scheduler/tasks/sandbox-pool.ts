import type { Logger } from '../../core/index.js';
import { INSTANCE_LABEL, type ContainerDriver, type Sandbox } from '../../runtime/contract.js';

/** Marks a sandbox started ahead of any task; it belongs to a task only once a task record names its id. */
export const POOL_LABEL = 'dev.skiff.pool';

export interface SandboxPoolDeps {
  driver: ContainerDriver;
  instanceId: string;
  logger: Logger;
  /** How many started sandboxes to keep ready (0: none). */
  size: number;
  /** Where 169.254.170.2:80 leads inside each sandbox (the agent). */
  endpointForward: () => { host: string; port: number } | undefined;
  /** How long after a claim the pool waits before starting a replacement, so as not to slow the task that claimed. */
  refillDelayMs?: number;
}

/**
 * Sandboxes (the pause container holding a task's network namespace) started before any
 * task asks, so that RunTask of a task without port mappings pays one container start,
 * not two: the sandbox's start, with its bridge endpoint, is the slower one. Port
 * mappings are fixed when a container is created, so tasks that publish ports still get
 * a sandbox of their own.
 *
 * A pooled sandbox carries POOL_LABEL and no task label. Claiming it is writing its id
 * into the task record (the executor does); after a restart, the runner's clean-up
 * removes every sandbox no unfinished task names, claimed-but-unsaved ones included, and
 * the pool starts afresh.
 */
export class SandboxPool {
  private readonly ready: Sandbox[] = [];
  private creating = 0;
  private seq = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: SandboxPoolDeps) {}

  /** Starts filling the pool (after the runner removed leftovers of an earlier run). */
  start(): void {
    this.fill();
  }

  /** A started sandbox for a task without port mappings, or undefined when none is ready. */
  async take(): Promise<Sandbox | undefined> {
    for (;;) {
      const sandbox = this.ready.shift();
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
    const left = this.ready.splice(0);
    await Promise.all(left.map((s) => this.deps.driver.remove(s.id).catch(() => undefined)));
  }

  private scheduleFill(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fill();
    }, this.deps.refillDelayMs ?? 1000);
    this.timer.unref();
  }

  private fill(): void {
    while (!this.stopped && this.ready.length + this.creating < this.deps.size) {
      this.creating++;
      this.create()
        .then((sandbox) => {
          if (this.stopped) return this.deps.driver.remove(sandbox.id);
          this.ready.push(sandbox);
        })
        .catch((err: unknown) => this.deps.logger.warn('sandbox pool: could not start a sandbox; tasks start their own', { err }))
        .finally(() => this.creating--);
    }
  }

  private create(): Promise<Sandbox> {
    const { instanceId } = this.deps;
    return this.deps.driver.createSandbox({
      name: `skiff-pool-${instanceId}-${process.pid}-${++this.seq}`,
      labels: { [INSTANCE_LABEL]: instanceId, [POOL_LABEL]: 'true' },
      ports: [],
      endpointForward: this.deps.endpointForward(),
    });
  }
}
