/** Translations between the driver contract's shapes and Docker Engine API documents. */
import type Dockerode from 'dockerode';
import { MANAGED_LABEL } from '../contract.js';
import type {
  ContainerSpec,
  ContainerState,
  HealthCheckSpec,
  PortRequest,
  RuntimeHealth,
  RuntimeStatus,
  Sandbox,
  SandboxSpec,
} from '../contract.js';
import { parseDockerTime } from './util.js';

const MIB = 1024 * 1024;
const NS_PER_SECOND = 1e9;
/** Docker's smallest CPU shares value; ECS gives containers with cpu 0 the same. */
const MIN_CPU_SHARES = 2;
/** Docker refuses NanoCpus under 0.01 CPU. */
const MIN_NANO_CPUS = 1e7;
/** Enough for the pause program (it uses a few KiB) with Docker's 6 MiB minimum met. */
const SANDBOX_MEMORY = 8 * MIB;

/** Every object Skiff creates gets these hardening settings. */
const HARDENING = {
  SecurityOpt: ['no-new-privileges'],
  Privileged: false,
  RestartPolicy: { Name: 'no' },
  // json-file whatever the daemon's default: Skiff reads logs back through the API
  LogConfig: { Type: 'json-file', Config: {} },
} as const;

export const managedLabels = (labels: Record<string, string>): Record<string, string> => ({
  ...labels,
  [MANAGED_LABEL]: 'true',
});

export const portKey = (port: PortRequest): string => `${port.containerPort}/${port.protocol}`;

export function sandboxCreateOptions(spec: SandboxSpec, image: string): Dockerode.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const port of spec.ports) {
    exposed[portKey(port)] = {};
    // HostPort '' asks Docker for an ephemeral port; loopback only, as the contract says
    bindings[portKey(port)] = [{ HostIp: '127.0.0.1', HostPort: '' }];
  }
  return {
    name: spec.name,
    Image: image,
    Labels: managedLabels(spec.labels),
    ExposedPorts: exposed,
    Tty: false,
    HostConfig: {
      ...HARDENING,
      NetworkMode: 'bridge',
      PortBindings: bindings,
      Init: false,
      Memory: SANDBOX_MEMORY,
      MemorySwap: SANDBOX_MEMORY,
      CpuShares: MIN_CPU_SHARES,
    },
  };
}

/** The sandbox as started: the host ports Docker picked and the bridge address. */
export function sandboxFromInspect(info: Dockerode.ContainerInspectInfo, spec: SandboxSpec): Sandbox {
  const bound = info.NetworkSettings.Ports;
  const ports = spec.ports.map((port) => {
    const binding = bound[portKey(port)]?.find((b) => b.HostIp === '127.0.0.1') ?? bound[portKey(port)]?.[0];
    if (!binding) throw new Error(`Docker published no host port for ${portKey(port)} of sandbox ${spec.name}`);
    return { ...port, hostIp: '127.0.0.1', hostPort: Number(binding.HostPort) };
  });
  const ip = info.NetworkSettings.Networks['bridge']?.IPAddress;
  return { id: info.Id, ports, ipAddress: ip || undefined };
}

export interface HostLimits {
  /** CPUs the engine has: Docker refuses NanoCpus above it. */
  cpus: number;
}

export function containerCreateOptions(
  sandbox: Sandbox,
  spec: ContainerSpec,
  host: HostLimits,
): Dockerode.ContainerCreateOptions {
  return {
    name: spec.name,
    Image: spec.image,
    Entrypoint: spec.entryPoint,
    Cmd: spec.command,
    Env: Object.entries(spec.environment).map(([k, v]) => `${k}=${v}`),
    WorkingDir: spec.workingDirectory,
    User: spec.user,
    Labels: managedLabels(spec.labels),
    Tty: false,
    OpenStdin: false,
    AttachStdin: false,
    Healthcheck: spec.healthCheck ? healthcheck(spec.healthCheck) : undefined,
    HostConfig: {
      ...HARDENING,
      // joins the sandbox's network namespace: localhost is shared, no ports of its own
      NetworkMode: `container:${sandbox.id}`,
      ReadonlyRootfs: spec.readonlyRootFilesystem ?? false,
      ...cpu(spec, host),
      ...memory(spec),
      Ulimits: spec.ulimits?.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
    },
  };
}

function cpu(spec: ContainerSpec, host: HostLimits): Dockerode.HostConfig {
  if (spec.cpuUnits === undefined) return {};
  if (spec.cpuLimit) {
    const wanted = (spec.cpuUnits / 1024) * NS_PER_SECOND;
    // a task sized for more CPUs than this host has gets all of them rather than a refusal
    const nano = Math.round(Math.min(Math.max(wanted, MIN_NANO_CPUS), host.cpus * NS_PER_SECOND));
    return { NanoCpus: nano };
  }
  return { CpuShares: Math.max(MIN_CPU_SHARES, Math.round(spec.cpuUnits)) };
}

function memory(spec: ContainerSpec): Dockerode.HostConfig {
  const config: Dockerode.HostConfig = {};
  if (spec.memoryMiB !== undefined) {
    config.Memory = Math.round(spec.memoryMiB * MIB);
    // swap limit equal to the memory limit: no swap, so going over the limit is an OOM kill
    config.MemorySwap = config.Memory;
  }
  if (spec.memoryReservationMiB !== undefined) config.MemoryReservation = Math.round(spec.memoryReservationMiB * MIB);
  return config;
}

function healthcheck(check: HealthCheckSpec): Dockerode.HealthConfig {
  const seconds = (s: number): number => Math.round(s * NS_PER_SECOND);
  return {
    Test: check.command,
    Interval: seconds(check.intervalSeconds),
    Timeout: seconds(check.timeoutSeconds),
    StartPeriod: seconds(check.startPeriodSeconds),
    Retries: check.retries,
  };
}

export function stateFromInspect(info: Dockerode.ContainerInspectInfo): ContainerState {
  const s = info.State;
  const status = runtimeStatus(s);
  // Docker stamps StartedAt when runc returns and FinishedAt with the exit time reported by
  // containerd, so a process that exits at once can seem to finish before it started
  const startedAt = parseDockerTime(s.StartedAt);
  const finishedAt = parseDockerTime(s.FinishedAt);
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    status,
    labels: info.Config.Labels ?? {},
    exitCode: status === 'exited' ? s.ExitCode : undefined,
    oomKilled: s.OOMKilled,
    error: s.Error || undefined,
    startedAt,
    finishedAt: finishedAt && startedAt && finishedAt < startedAt ? startedAt : finishedAt,
    health: runtimeHealth(s.Health?.Status),
  };
}

/**
 * A container whose start Docker refused stays "created" there, with ExitCode 127/128 and
 * the reason in Error. It will never run, so it is reported as exited: reconcilers then see
 * a final state instead of waiting for a start that cannot come.
 */
function runtimeStatus(s: Dockerode.ContainerInspectInfo['State']): RuntimeStatus {
  switch (s.Status) {
    case 'created':
      return s.Error ? 'exited' : 'created';
    case 'running':
    case 'paused':
    case 'restarting':
      return 'running';
    case 'removing':
      return s.Running ? 'running' : 'exited';
    default: // exited, dead
      return 'exited';
  }
}

function runtimeHealth(status: string | undefined): RuntimeHealth | undefined {
  return status === 'starting' || status === 'healthy' || status === 'unhealthy' ? status : undefined;
}
