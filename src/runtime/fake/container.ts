import type { Clock } from '../../core/clock.js';
import {
  ContainerStartError,
  type ContainerState,
  type ContainerStats,
  type HealthCheckSpec,
} from '../contract.js';
import { LogBuffer } from './logs.js';
import type { FakeScript } from './script.js';
import { fakeStats } from './stats.js';
import type { TimerHandle, Timers } from './timers.js';

export interface FakeContainerDeps {
  clock: Clock;
  timers: Timers;
  /** Told of every state change (the driver turns it into watch callbacks). */
  changed: () => void;
}

export interface FakeContainerInit {
  id: string;
  name: string;
  labels: Record<string, string>;
  script: FakeScript;
  healthCheck?: HealthCheckSpec | undefined;
  memoryMiB?: number | undefined;
  cpuUnits?: number | undefined;
  cpuLimit?: boolean | undefined;
}

const KILLED = 137;

/**
 * One simulated process: the state machine created → running → exited, driven by its
 * script and by timers. Everything that can happen later (output, exit, health probes,
 * the KILL after a stop timeout) is a timer it owns, so exit or dispose cancels it all.
 */
export class FakeContainer {
  readonly logs = new LogBuffer();
  readonly state: ContainerState;
  private readonly handles = new Set<TimerHandle>();
  private exitWaiters: (() => void)[] = [];
  private failedProbes = 0;
  private probes = 0;

  constructor(
    readonly init: FakeContainerInit,
    private readonly deps: FakeContainerDeps,
  ) {
    this.state = {
      id: init.id,
      name: init.name,
      status: 'created',
      labels: init.labels,
      exitCode: undefined,
      oomKilled: false,
      error: undefined,
      startedAt: undefined,
      finishedAt: undefined,
      health: undefined,
    };
  }

  start(): void {
    const { state, init } = this;
    if (state.status === 'running') return;
    if (state.status === 'exited') {
      throw new ContainerStartError(`container ${state.name} has already run; create a new one`);
    }
    if (init.script.failStart !== undefined) {
      state.error = init.script.failStart;
      this.logs.end();
      this.deps.changed();
      throw new ContainerStartError(init.script.failStart);
    }
    state.status = 'running';
    state.startedAt = this.deps.clock.now();
    state.health = init.healthCheck ? 'starting' : undefined;
    this.deps.changed();
    this.scheduleOutput();
    this.scheduleHealth();
    this.scheduleExit();
  }

  /** SIGTERM, then SIGKILL after `timeoutSeconds`; resolves once exited. */
  stop(timeoutSeconds: number): Promise<void> {
    if (this.state.status !== 'running') return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    const { script } = this.init;
    const timeoutMs = Math.max(0, timeoutSeconds * 1000);
    if (!script.ignoreSigterm && script.termDelayMs <= timeoutMs) {
      this.at(script.termDelayMs, () => this.exit(script.termExitCode));
    }
    this.at(timeoutMs, () => this.exit(KILLED));
    return exited;
  }

  /** SIGKILL now (remove of a running container). */
  kill(): void {
    this.exit(KILLED);
  }

  /** Stops every timer and ends log readers; the container is gone or the driver closed. */
  dispose(): void {
    this.clearTimers();
    this.logs.end();
    this.resolveExitWaiters();
  }

  stats(): ContainerStats | undefined {
    if (this.state.status !== 'running' || !this.state.startedAt) return undefined;
    return fakeStats(this.init, this.state.startedAt, this.deps.clock.now());
  }

  private exit(code: number, oomKilled = false): void {
    const { state } = this;
    if (state.status !== 'running') return;
    state.status = 'exited';
    state.exitCode = code;
    state.oomKilled = oomKilled;
    state.finishedAt = this.deps.clock.now();
    this.dispose();
    this.deps.changed();
  }

  private scheduleOutput(): void {
    for (const line of this.init.script.lines) {
      this.at(line.atMs, () =>
        this.logs.push({ stream: line.stream, message: line.message, timestamp: this.deps.clock.now() }),
      );
    }
  }

  private scheduleExit(): void {
    const { script, memoryMiB } = this.init;
    if (memoryMiB !== undefined && script.memoryMiB !== undefined && script.memoryMiB > memoryMiB) {
      this.at(0, () => this.exit(KILLED, true));
    } else if (script.runMs !== undefined) {
      this.at(script.runMs, () => this.exit(script.exitCode));
    }
  }

  /** Docker's rules: a probe every interval; failures count only after the start period. */
  private scheduleHealth(): void {
    const check = this.init.healthCheck;
    if (!check) return;
    // A zero interval would spin; Docker's own minimum is 1 ms.
    const intervalMs = Math.max(1, check.intervalSeconds * 1000);
    const probe = (): void => {
      this.probe(check, intervalMs);
      this.at(intervalMs, probe);
    };
    this.at(intervalMs, probe);
  }

  private probe(check: HealthCheckSpec, intervalMs: number): void {
    const { script } = this.init;
    // Elapsed time is counted in probes, not read from the clock, so an injected clock
    // that does not move with the timers cannot stall the health state.
    const elapsedMs = ++this.probes * intervalMs;
    const failing =
      script.health === 'unhealthy' ||
      (script.unhealthyAfterMs !== undefined && elapsedMs >= script.unhealthyAfterMs);
    let next = this.state.health;
    if (!failing) {
      this.failedProbes = 0;
      next = 'healthy';
    } else if (elapsedMs >= check.startPeriodSeconds * 1000) {
      this.failedProbes++;
      if (this.failedProbes >= Math.max(1, check.retries)) next = 'unhealthy';
    }
    if (next !== this.state.health) {
      this.state.health = next;
      this.deps.changed();
    }
  }

  /** Runs `fn` now for a zero delay (so ManualTimers users need not advance by 0), else later. */
  private at(ms: number, fn: () => void): void {
    // Whatever a process would do later, it no longer does once it has exited.
    if (this.state.status !== 'running') return;
    if (ms <= 0) {
      fn();
      return;
    }
    const handle = this.deps.timers.setTimeout(() => {
      this.handles.delete(handle);
      fn();
    }, ms);
    this.handles.add(handle);
  }

  private clearTimers(): void {
    for (const handle of this.handles) this.deps.timers.clearTimeout(handle);
    this.handles.clear();
  }

  private resolveExitWaiters(): void {
    const waiters = this.exitWaiters;
    this.exitWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
