/**
 * The Docker Engine driver: a task is a pause container (the sandbox: network namespace
 * and published ports) plus containers joined to its network namespace.
 */
import Dockerode from 'dockerode';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ContainerStartError, ImagePullError, LINK_LOCAL_ENDPOINT, MANAGED_LABEL } from '../contract.js';
import type {
  ContainerDriver,
  ContainerSpec,
  ContainerState,
  ContainerStats,
  LogLine,
  Sandbox,
  SandboxSpec,
} from '../contract.js';
import { silentLogger } from '../../core/logger.js';
import type { Logger } from '../../core/logger.js';
import { EventWatcher } from './events.js';
import { ensureImage, pullErrorMessage } from './images.js';
import { dockerSince, followLogs, frames, logLines } from './logs.js';
import type { LogFetch } from './logs.js';
import { containerCreateOptions, sandboxCreateOptions, sandboxFromInspect, stateFromInspect } from './mapping.js';
import type { HostLimits } from './mapping.js';
import { OomLedger } from './oom.js';
import { ensurePauseImage } from './pause-image.js';
import type { PauseImage } from './pause-image.js';
import { statsFromDocker } from './stats.js';
import type { DockerStats } from './stats.js';
import { dockerMessage, dockerStatus, sleep, tolerate, withTimeout } from './util.js';

const execFileAsync = promisify(execFile);

/** The newest Engine API this driver speaks (Docker 20.10); newer engines accept it too. */
export const DOCKER_API_VERSION = 'v1.41';
const PING_TIMEOUT_MS = 5_000;
/** How often `logs` with follow re-checks a container's state. */
const STATE_POLL_MS = 100;
/** How long a follow whose stream ended waits for the container to be seen stopped. */
const STOP_WAIT_MS = 2_000;

export interface DockerDriverOptions {
  /** Defaults to the engine at DOCKER_HOST, else /var/run/docker.sock. */
  docker?: Dockerode;
  logger?: Logger;
  /** The sandbox image to build and use; tests give a private tag. */
  pauseImage?: PauseImage;
}

export class DockerDriver implements ContainerDriver {
  readonly name = 'docker';
  private readonly docker: Dockerode;
  private readonly logger: Logger;
  private readonly pauseImage: PauseImage | undefined;
  private readonly watchers = new Set<EventWatcher>();
  /** Open log follows: closed with the driver, or they would keep the process alive. */
  private readonly follows = new Set<{ destroy(): void }>();
  private closed = false;
  private readonly oom: OomLedger;
  private forwardWarned = false;
  private pauseTag: Promise<string> | undefined;
  private hostLimits: Promise<HostLimits> | undefined;

  constructor(options: DockerDriverOptions = {}) {
    this.docker = options.docker ?? new Dockerode({ version: DOCKER_API_VERSION });
    this.logger = options.logger ?? silentLogger;
    this.pauseImage = options.pauseImage;
    this.oom = new OomLedger(this.docker);
  }

  async ping(): Promise<void> {
    try {
      // a wedged engine accepts the connection and never answers: bound the wait
      await withTimeout(this.docker.ping() as Promise<unknown>, PING_TIMEOUT_MS, 'no answer to ping');
    } catch (err) {
      throw new Error(
        `Docker Engine does not answer at ${this.address()}: start it (make setup starts dockerd) or use \`skiff up --driver fake\``,
        { cause: err },
      );
    }
  }

  async hostAddress(): Promise<string> {
    const bridge = (await this.docker.getNetwork('bridge').inspect()) as { IPAM?: { Config?: Array<{ Gateway?: string }> } };
    const gateway = bridge.IPAM?.Config?.find((c) => c.Gateway)?.Gateway;
    if (!gateway) throw new Error("Docker's bridge network has no gateway address: containers could not reach skiff");
    return gateway;
  }

  ensureImage(image: string): Promise<void> {
    return ensureImage(this.docker, image);
  }

  async createSandbox(spec: SandboxSpec): Promise<Sandbox> {
    let container: Dockerode.Container;
    try {
      container = await this.create(sandboxCreateOptions(spec, await this.sandboxImage()));
    } catch (err) {
      // the pause image was deleted behind our back (docker rmi): build it again, once
      if (!(err instanceof ContainerStartError && dockerStatus(err.cause) === 404)) throw err;
      this.pauseTag = undefined;
      container = await this.create(sandboxCreateOptions(spec, await this.sandboxImage()));
    }
    try {
      await container.start();
      const info = await container.inspect();
      if (spec.endpointForward) await this.forwardEndpoint(info.State.Pid, spec.endpointForward);
      return sandboxFromInspect(info, spec);
    } catch (err) {
      // a sandbox that could not start (e.g. no free port) is of no use to anyone
      await this.remove(container.id).catch(() => undefined);
      throw new ContainerStartError(dockerMessage(err), { cause: err });
    }
  }

  /**
   * Points 169.254.170.2:80 at the agent inside the sandbox's network namespace: one DNAT
   * rule in that namespace's own nat table, so nothing on the host changes and each Skiff
   * sharing a Docker host forwards its own tasks to its own agent. Needs root (as Docker
   * does) and iptables; without them tasks run, but their SDKs find no credentials.
   */
  private async forwardEndpoint(pid: number, to: { host: string; port: number }): Promise<void> {
    const args = ['--target', String(pid), '--net', '--', 'iptables', '-w', '-t', 'nat', '-A', 'OUTPUT', '-d', `${LINK_LOCAL_ENDPOINT}/32`];
    args.push('-p', 'tcp', '--dport', '80', '-j', 'DNAT', '--to-destination', `${to.host}:${to.port}`);
    try {
      await execFileAsync('nsenter', args, { timeout: 10_000 });
    } catch (err) {
      if (!this.forwardWarned) {
        this.forwardWarned = true;
        this.logger.warn(`tasks cannot reach ${LINK_LOCAL_ENDPOINT} (credentials, AWS_ENDPOINT_URL): nsenter/iptables failed; run skiff as root with iptables installed`, { err });
      }
    }
  }

  async createContainer(sandbox: Sandbox, spec: ContainerSpec): Promise<string> {
    const options = containerCreateOptions(sandbox, spec, await this.limits());
    try {
      return (await this.create(options)).id;
    } catch (err) {
      if (err instanceof ContainerStartError && dockerStatus(err.cause) === 404) {
        throw new ImagePullError(pullErrorMessage(spec.image, err.message), { cause: err.cause });
      }
      throw err;
    }
  }

  async start(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).start();
    } catch (err) {
      // 304: already running, which is what the caller wanted
      if (dockerStatus(err) === 304) return;
      throw new ContainerStartError(dockerMessage(err), { cause: err });
    }
  }

  async stop(id: string, timeoutSeconds: number): Promise<void> {
    // Docker sends the stop signal, waits `t`, sends SIGKILL, and answers once it exited;
    // 304: not running, 404: gone
    const t = Math.max(0, Math.ceil(timeoutSeconds));
    await tolerate([304, 404], undefined, () => this.docker.getContainer(id).stop({ t }));
  }

  async remove(id: string): Promise<void> {
    this.oom.forget(id);
    // 404: already gone; 409: another removal of it is under way
    await tolerate([404, 409], undefined, () => this.docker.getContainer(id).remove({ force: true, v: true }));
  }

  async inspect(id: string): Promise<ContainerState | undefined> {
    const info = await tolerate([404], undefined, () => this.docker.getContainer(id).inspect());
    if (!info) return undefined;
    return { ...stateFromInspect(info), oomKilled: await this.oom.oomKilled(info) };
  }

  async list(labels: Record<string, string> = {}): Promise<ContainerState[]> {
    const filters = [`${MANAGED_LABEL}=true`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)];
    const found = await this.docker.listContainers({ all: true, filters: { label: filters } });
    // the list entries lack exit codes, OOM and health details: inspect each
    const states = await Promise.all(found.map((c) => this.inspect(c.Id)));
    return states.filter((s): s is ContainerState => s !== undefined);
  }

  logs(id: string, options: { follow: boolean; since?: Date | undefined }): AsyncIterable<LogLine> {
    return this.readLogs(id, options.follow, options.since);
  }

  async stats(id: string): Promise<ContainerStats | undefined> {
    const state = await this.inspect(id);
    if (state?.status !== 'running') return undefined;
    // stream false: Docker takes two samples about a second apart, so precpu_stats is set
    const doc = await tolerate([404, 409], undefined, () => this.docker.getContainer(id).stats({ stream: false }));
    if (!doc || doc.read.startsWith('0001-01-01')) return undefined;
    return statsFromDocker(doc as DockerStats);
  }

  watch(onChange: (id: string) => void): () => void {
    const watcher = new EventWatcher(this.docker, onChange, this.logger, (id) => this.oom.sawOom(id));
    this.watchers.add(watcher);
    return () => {
      watcher.stop();
      this.watchers.delete(watcher);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const f of this.follows) f.destroy();
    this.follows.clear();
    const watchers = [...this.watchers];
    this.watchers.clear();
    for (const w of watchers) w.stop();
    await Promise.all(watchers.map((w) => w.done));
  }

  private async create(options: Dockerode.ContainerCreateOptions): Promise<Dockerode.Container> {
    try {
      return await this.docker.createContainer(options);
    } catch (err) {
      throw new ContainerStartError(dockerMessage(err), { cause: err });
    }
  }

  /** The pause image, built at most once per driver (again only if building failed). */
  private sandboxImage(): Promise<string> {
    if (!this.pauseTag) {
      this.pauseTag = ensurePauseImage(this.docker, this.pauseImage).then(
        (tag) => {
          this.logger.info('sandbox image ready', { image: tag });
          return tag;
        },
        (err: unknown) => {
          this.pauseTag = undefined;
          throw err;
        },
      );
    }
    return this.pauseTag;
  }

  private limits(): Promise<HostLimits> {
    this.hostLimits ??= this.docker.info().then(
      (info: { NCPU?: number }) => ({ cpus: info.NCPU || 1 }),
      (err: unknown) => {
        this.hostLimits = undefined;
        throw err;
      },
    );
    return this.hostLimits;
  }

  private async *readLogs(id: string, follow: boolean, since: Date | undefined): AsyncGenerator<LogLine> {
    const fetch: LogFetch = (followNow, from) => this.fetchLogs(id, followNow, from);
    if (!follow) {
      const body = await fetch(false, since);
      if (body) yield* logLines(frames(body), since);
      return;
    }
    // Docker's follow ends at once for a container that is not running; a follower asked
    // for the container's whole life, so wait for it to start first
    if (!(await this.waitWhile(id, (s) => s.status === 'created'))) return;
    yield* followLogs(fetch, since, async () => {
      await this.waitWhile(id, (s) => s.status === 'running', STOP_WAIT_MS);
    });
  }

  private async fetchLogs(id: string, follow: boolean, since: Date | undefined): ReturnType<LogFetch> {
    const container = this.docker.getContainer(id);
    const options = { stdout: true, stderr: true, timestamps: true, since: since ? dockerSince(since) : undefined };
    try {
      // dockerode streams a follow, and buffers any other answer whole
      if (follow) {
        if (this.closed) return undefined;
        const stream = (await container.logs({ ...options, follow: true })) as NodeJS.ReadableStream & { destroy(): void };
        this.follows.add(stream);
        stream.once('close', () => this.follows.delete(stream));
        return stream as AsyncIterable<Buffer>;
      }
      return [await container.logs({ ...options, follow: false })];
    } catch (err) {
      if (dockerStatus(err) === 404) return undefined;
      throw err;
    }
  }

  /** Polls while the container is in a state; false when it is gone. */
  private async waitWhile(id: string, inState: (s: ContainerState) => boolean, timeoutMs = Infinity): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.closed) return false;
      const state = await this.inspect(id);
      if (!state) return false;
      if (!inState(state) || Date.now() >= deadline) return true;
      await sleep(STATE_POLL_MS);
    }
  }

  private address(): string {
    const modem = (this.docker as unknown as { modem: { socketPath?: unknown; host?: unknown; port?: unknown; protocol?: unknown } }).modem;
    if (typeof modem.socketPath === 'string') return modem.socketPath;
    return `${String(modem.protocol ?? 'http')}://${String(modem.host)}:${String(modem.port)}`;
  }
}
