import { createHash } from 'node:crypto';
import { systemClock, type Clock } from '../../core/clock.js';
import {
  ContainerStartError,
  ImagePullError,
  MANAGED_LABEL,
  type ContainerDriver,
  type ContainerSpec,
  type ContainerState,
  type ContainerStats,
  type LogLine,
  type PortRequest,
  type PublishedPort,
  type Sandbox,
  type SandboxSpec,
} from '../contract.js';
import { FakeContainer } from './container.js';
import { PortAllocator } from './ports.js';
import { IDLE_SCRIPT, parseFakeScript } from './script.js';
import { realTimers, type Timers } from './timers.js';

export interface FakeDriverOptions {
  /** Timestamps (startedAt, finishedAt, log lines, stats). Default: the system clock. */
  clock?: Clock;
  /** Every delay (run time, output, probes, stop timeouts). Default: the event loop's timers. */
  timers?: Timers;
  /** Images present locally; nothing else can be pulled. Default: every image whose name lacks "does-not-exist". */
  images?: string[];
}

/** The marker that makes an image unpullable when no image list is given. */
const MISSING_IMAGE_MARKER = 'does-not-exist';

/**
 * A container runtime that runs nothing: containers are state machines scripted by
 * their FAKE_* environment variables (see README.md), so the control plane can be
 * exercised — and demonstrated with `skiff up --driver fake` — on machines without Docker.
 * Deterministic for a given clock, timers and sequence of calls (ids, ports, timestamps).
 */
export class FakeDriver implements ContainerDriver {
  readonly name = 'fake';
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly images: Set<string> | undefined;
  private readonly containers = new Map<string, FakeContainer>();
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly ports = new PortAllocator();
  private readonly listeners = new Set<(id: string) => void>();
  private sequence = 0;
  private closed = false;

  constructor(options: FakeDriverOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? realTimers;
    this.images = options.images ? new Set(options.images) : undefined;
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('the fake container driver has been closed');
  }

  /** Fake containers are not isolated: they "reach" the host on loopback. */
  async hostAddress(): Promise<string> {
    return '127.0.0.1';
  }

  async ensureImage(image: string): Promise<void> {
    if (!this.hasImage(image)) {
      throw new ImagePullError(
        `pull access denied for ${image}: the fake driver has no registry and the image is not present`,
      );
    }
  }

  async createSandbox(spec: SandboxSpec): Promise<Sandbox> {
    const container = this.add(spec.name, spec.labels, (id, labels) => ({
      id,
      name: spec.name,
      labels,
      script: IDLE_SCRIPT,
    }));
    const ports = this.publish(container.state.id, spec.ports);
    // Nothing listens on the ports and there is no network, so no address is claimed.
    const sandbox: Sandbox = { id: container.state.id, ports, ipAddress: undefined };
    this.sandboxes.set(sandbox.id, sandbox);
    container.start();
    return { ...sandbox, ports: ports.map((p) => ({ ...p })) };
  }

  async createContainer(sandbox: Sandbox, spec: ContainerSpec): Promise<string> {
    if (!this.sandboxes.has(sandbox.id)) {
      throw new ContainerStartError(`sandbox ${sandbox.id} does not exist (removed, or from another driver)`);
    }
    if (!this.hasImage(spec.image)) {
      // As under Docker, where creating from an absent image is a 404 reported as a pull failure.
      throw new ImagePullError(`No such image: ${spec.image} (the fake driver has no registry to pull it from)`);
    }
    const script = parseFakeScript(spec.environment);
    const container = this.add(spec.name, spec.labels, (id, labels) => ({
      id,
      name: spec.name,
      labels,
      script,
      healthCheck: spec.healthCheck,
      memoryMiB: spec.memoryMiB,
      cpuUnits: spec.cpuUnits,
      cpuLimit: spec.cpuLimit,
    }));
    return container.state.id;
  }

  async start(id: string): Promise<void> {
    const container = this.containers.get(id);
    if (!container) throw new ContainerStartError(`no such container: ${id}`);
    container.start();
  }

  stop(id: string, timeoutSeconds: number): Promise<void> {
    return this.containers.get(id)?.stop(timeoutSeconds) ?? Promise.resolve();
  }

  async remove(id: string): Promise<void> {
    const container = this.containers.get(id);
    if (!container) return;
    container.kill();
    container.dispose();
    this.containers.delete(id);
    for (const port of this.sandboxes.get(id)?.ports ?? []) this.ports.release(port.hostPort);
    this.sandboxes.delete(id);
    this.notify(id);
  }

  async inspect(id: string): Promise<ContainerState | undefined> {
    const container = this.containers.get(id);
    return container ? snapshot(container.state) : undefined;
  }

  async list(labels: Record<string, string> = {}): Promise<ContainerState[]> {
    const wanted = Object.entries(labels);
    return [...this.containers.values()]
      .map((c) => c.state)
      .filter((state) => wanted.every(([k, v]) => state.labels[k] === v))
      .map(snapshot);
  }

  logs(id: string, options: { follow: boolean; since?: Date | undefined }): AsyncIterable<LogLine> {
    const container = this.containers.get(id);
    // A container that does not exist has no output; the iterable is simply empty.
    if (!container) return (async function* () {})();
    return container.logs.read(options.follow, options.since);
  }

  async stats(id: string): Promise<ContainerStats | undefined> {
    return this.containers.get(id)?.stats();
  }

  watch(onChange: (id: string) => void): () => void {
    // Wrapped so that watching twice with one function yields two independent subscriptions.
    const listener = (id: string): void => onChange(id);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    for (const container of this.containers.values()) container.dispose();
  }

  private publish(id: string, requests: PortRequest[]): PublishedPort[] {
    const ports: PublishedPort[] = [];
    try {
      for (const request of requests) ports.push({ ...request, hostIp: '127.0.0.1', hostPort: this.ports.allocate() });
      return ports;
    } catch (err) {
      for (const port of ports) this.ports.release(port.hostPort);
      this.containers.get(id)?.dispose();
      this.containers.delete(id);
      throw new ContainerStartError(`cannot publish ports: ${(err as Error).message}`, { cause: err });
    }
  }

  private hasImage(image: string): boolean {
    return this.images ? this.images.has(image) : !image.includes(MISSING_IMAGE_MARKER);
  }

  /** Registers a new container under a unique name, stamped with the managed label. */
  private add(
    name: string,
    specLabels: Record<string, string>,
    init: (id: string, labels: Record<string, string>) => FakeContainer['init'],
  ): FakeContainer {
    for (const existing of this.containers.values()) {
      if (existing.state.name === name) {
        throw new ContainerStartError(`the name "${name}" is already in use by container ${existing.state.id}`);
      }
    }
    const id = createHash('sha256').update(`skiff-fake-${++this.sequence}`).digest('hex');
    const labels = { ...specLabels, [MANAGED_LABEL]: 'true' };
    const container = new FakeContainer(init(id, labels), {
      clock: this.clock,
      timers: this.timers,
      changed: () => this.notify(id),
    });
    this.containers.set(id, container);
    this.notify(id);
    return container;
  }

  /**
   * Delivered in a microtask so that a listener never runs inside a driver call (where
   * re-entering the driver would see half-made state); listeners must not throw.
   */
  private notify(id: string): void {
    for (const listener of this.listeners) {
      queueMicrotask(() => {
        if (this.listeners.has(listener)) listener(id);
      });
    }
  }
}

function snapshot(state: ContainerState): ContainerState {
  return { ...state, labels: { ...state.labels } };
}
