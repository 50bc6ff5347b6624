/**
 * The container driver contract: everything the task runner needs from a container
 * runtime, and nothing more. `docker` (dockerode) and `fake` implement it and pass one
 * conformance suite (`conformance.ts`); a Kubernetes driver will later.
 *
 * A task is one **sandbox** (holding the network namespace and the published ports, a
 * pause container under Docker) plus its **containers**, which join the sandbox's
 * network so they reach each other on localhost (awsvpc).
 */

/** Every runtime object Skiff creates carries this label (value "true"); nothing else is ever touched. */
export const MANAGED_LABEL = 'dev.skiff.managed';
/**
 * Label naming the skiff instance (one per data directory) that created the object:
 * several skiff servers can share one Docker host and each only ever touches its own.
 */
export const INSTANCE_LABEL = 'dev.skiff.instance';
/** Label naming the task (32-hex id) a runtime object belongs to. */
export const TASK_LABEL = 'dev.skiff.task';
/** Label naming the container (task definition container name), or "~sandbox" for the sandbox. */
export const CONTAINER_LABEL = 'dev.skiff.container';
export const SANDBOX_CONTAINER_NAME = '~sandbox';

export type Protocol = 'tcp' | 'udp';

export interface PortRequest {
  containerPort: number;
  protocol: Protocol;
}

/** A container port published on the host; always on 127.0.0.1, on an ephemeral port. */
export interface PublishedPort extends PortRequest {
  hostIp: string;
  hostPort: number;
}

export interface SandboxSpec {
  /** Runtime name, unique on the host. */
  name: string;
  labels: Record<string, string>;
  ports: PortRequest[];
  /**
   * Inside the sandbox's network, TCP to LINK_LOCAL_ENDPOINT port 80 reaches this host
   * address and port (Skiff's agent: credentials, metadata, API), as 169.254.170.2 reaches
   * the ECS agent in a Fargate task. A driver without networking ignores it.
   */
  endpointForward?: { host: string; port: number } | undefined;
}

/** The link-local address AWS SDKs accept plain-HTTP container credentials from. */
export const LINK_LOCAL_ENDPOINT = '169.254.170.2';

export interface Sandbox {
  id: string;
  ports: PublishedPort[];
  /** The sandbox's address on the runtime's network, when it has one. */
  ipAddress: string | undefined;
}

export interface HealthCheckSpec {
  /** `["CMD", ...]` or `["CMD-SHELL", "..."]`, as in the task definition. */
  command: string[];
  intervalSeconds: number;
  timeoutSeconds: number;
  retries: number;
  startPeriodSeconds: number;
}

export interface UlimitSpec {
  name: string;
  soft: number;
  hard: number;
}

export interface ContainerSpec {
  /** Runtime name, unique on the host. */
  name: string;
  image: string;
  entryPoint?: string[] | undefined;
  command?: string[] | undefined;
  environment: Record<string, string>;
  workingDirectory?: string | undefined;
  user?: string | undefined;
  readonlyRootFilesystem?: boolean | undefined;
  /** ECS cpu units (1024 = one vCPU): a hard limit when `cpuLimit`, else relative shares. */
  cpuUnits?: number | undefined;
  cpuLimit?: boolean | undefined;
  /** Hard memory limit in MiB; the container is OOM-killed above it. */
  memoryMiB?: number | undefined;
  /** Soft limit (reservation) in MiB. */
  memoryReservationMiB?: number | undefined;
  ulimits?: UlimitSpec[] | undefined;
  healthCheck?: HealthCheckSpec | undefined;
  labels: Record<string, string>;
}

export type RuntimeStatus = 'created' | 'running' | 'exited';
export type RuntimeHealth = 'starting' | 'healthy' | 'unhealthy';

export interface ContainerState {
  id: string;
  name: string;
  status: RuntimeStatus;
  labels: Record<string, string>;
  /** Set once exited. */
  exitCode: number | undefined;
  /** true when the kernel killed it for exceeding its memory limit. */
  oomKilled: boolean;
  /** The runtime's error when the container could not start. */
  error: string | undefined;
  startedAt: Date | undefined;
  finishedAt: Date | undefined;
  /** undefined when the container has no health check. */
  health: RuntimeHealth | undefined;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  timestamp: Date;
  message: string;
}

export interface ContainerStats {
  read: Date;
  /** CPU used since the previous sample, in ECS cpu units (1024 = one full core busy). */
  cpuUnitsUsed: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  /** The runtime's own stats document (Docker's, for the task metadata endpoint's /stats). */
  raw: unknown;
}

/** The image is not present and cannot be pulled: becomes `CannotPullContainerError: ...`. */
export class ImagePullError extends Error {
  override name = 'ImagePullError';
}

/** The runtime refused to create or start a container (bad command, bad user, ...). */
export class ContainerStartError extends Error {
  override name = 'ContainerStartError';
}

export interface ContainerDriver {
  readonly name: string;
  /** Resolves when the runtime answers; rejects with a message saying how to start it. */
  ping(): Promise<void>;
  /**
   * The address at which containers reach the host (Docker's bridge gateway), where the
   * task metadata endpoint listens.
   */
  hostAddress(): Promise<string>;
  /** Makes the image available: present locally, else pulled. Fails fast with ImagePullError. */
  ensureImage(image: string): Promise<void>;
  /** Creates and starts a sandbox publishing `ports` on 127.0.0.1 ephemeral host ports. */
  createSandbox(spec: SandboxSpec): Promise<Sandbox>;
  /** Creates (not starts) a container inside a sandbox's network namespace; returns its runtime id. */
  createContainer(sandbox: Sandbox, spec: ContainerSpec): Promise<string>;
  /** Starts a created container; ContainerStartError when the runtime refuses. */
  start(id: string): Promise<void>;
  /**
   * Sends SIGTERM, then SIGKILL after `timeoutSeconds`; resolves once the container has
   * exited. A container that is not running (or is gone) is not an error.
   */
  stop(id: string, timeoutSeconds: number): Promise<void>;
  /** Removes a container or sandbox, killing it if needed; a missing one is not an error. */
  remove(id: string): Promise<void>;
  /** The container's state, or undefined when it no longer exists. */
  inspect(id: string): Promise<ContainerState | undefined>;
  /** Every managed container (sandboxes included) whose labels include all of `labels`. */
  list(labels?: Record<string, string>): Promise<ContainerState[]>;
  /**
   * Log lines in order. With `follow`, the iterable ends when the container exits (after
   * its last line); without, it ends at the current end. `since` skips earlier lines.
   */
  logs(id: string, options: { follow: boolean; since?: Date | undefined }): AsyncIterable<LogLine>;
  /** One stats sample, or undefined when the container is not running. */
  stats(id: string): Promise<ContainerStats | undefined>;
  /**
   * Calls `onChange(id)` whenever a managed container changes state (started, exited,
   * health changed, removed). A hint for reconcilers, which re-read with `inspect`.
   * Returns a function that stops watching.
   */
  watch(onChange: (id: string) => void): () => void;
  /** Releases connections and watchers. */
  close(): Promise<void>;
}
