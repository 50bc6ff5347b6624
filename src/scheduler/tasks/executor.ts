import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import type { Clock, Logger } from '../../core/index.js';
import {
  CONTAINER_LABEL,
  ContainerStartError,
  INSTANCE_LABEL,
  ImagePullError,
  SANDBOX_CONTAINER_NAME,
  TASK_LABEL,
  type ContainerDriver,
  type PortRequest,
  type Sandbox,
} from '../../runtime/index.js';
import type { StoredTask, StoredTaskDefinition } from '../../store/index.js';
import { awslogsTarget, containerSpec, labelsFor, runtimeName, sandboxPorts } from './container-spec.js';
import { pumpLogs, type TaskLogSink } from './log-pump.js';
import { applyObservation } from './observe.js';
import type { Step } from './plan.js';
import type { SandboxPool } from './sandbox-pool.js';

export interface ExecutorDeps {
  /** This skiff's instance id, put on every runtime object it creates. */
  instanceId: string;
  driver: ContainerDriver;
  clock: Clock;
  logger: Logger;
  logs: TaskLogSink | undefined;
  /** Variables set in every container of a task (metadata endpoint, region, ...). */
  containerEnv: (task: StoredTask, taskId: string, container: string) => Record<string, string>;
  /** Where 169.254.170.2:80 leads inside the task's network (the agent). */
  endpointForward: () => { host: string; port: number } | undefined;
  /** Started sandboxes, kept per set of port mappings. */
  pool: SandboxPool | undefined;
  /**
   * Whether the task was unfinished when this process started: only then can the runtime
   * hold a container of it that the store does not name (created just before a crash).
   */
  mayHaveStrays: (taskId: string) => boolean;
  /** Saves the task (merging a concurrent StopTask) and returns the saved copy. */
  save: (task: StoredTask) => void;
  /** Remembers which task a runtime id belongs to, for driver events. */
  track: (runtimeId: string, taskId: string) => void;
}

const DEFAULT_STOP_TIMEOUT_SECONDS = 30;

/** Carries out one planned step through the driver, recording the result on the task. */
export class TaskExecutor {
  private readonly pumps = new Map<string, Promise<void>>();

  constructor(private readonly deps: ExecutorDeps) {}

  async execute(task: StoredTask, td: StoredTaskDefinition, taskId: string, step: Step): Promise<void> {
    const now = this.deps.clock.now();
    switch (step.kind) {
      case 'provision':
        return this.provision(task, td, taskId);
      case 'pull':
        return this.pull(task, td);
      case 'start':
        // containers whose dependencies are met start together (Docker runs them in parallel)
        await Promise.all(step.containers.map((name) => this.startContainer(task, td, taskId, name)));
        return;
      case 'status':
        setStatus(task, step.lastStatus, now);
        return this.deps.save(task);
      case 'stopTask':
        task.desiredStatus = 'STOPPED';
        task.stopCode ??= step.stopCode;
        task.stoppedReason ??= step.reason;
        for (const c of task.containers ?? []) {
          const r = step.containerReasons?.[c.name ?? ''];
          if (r) c.reason = r;
        }
        return this.deps.save(task);
      case 'stopContainers':
        return this.stopContainers(task, td, step.containers);
      case 'deprovision':
        return this.deprovision(task, now);
      case 'wait':
        return;
    }
  }

  /** Starts following the output of a container that runs (after a start or an adoption). */
  follow(runtimeId: string, cd: ContainerDefinition | undefined, taskId: string): void {
    const target = cd && awslogsTarget(cd, taskId);
    if (!target || !this.deps.logs || this.pumps.has(runtimeId)) return;
    const done = pumpLogs(this.deps.driver, runtimeId, this.deps.logs, target, this.deps.logger);
    this.pumps.set(runtimeId, done);
  }

  private mine(labels: Record<string, string>): Record<string, string> {
    return { ...labels, [INSTANCE_LABEL]: this.deps.instanceId };
  }

  private async provision(task: StoredTask, td: StoredTaskDefinition, taskId: string): Promise<void> {
    const ports = sandboxPorts(td);
    const sandbox = (await this.deps.pool?.take(ports)) ?? (await this.ownSandbox(task, taskId, ports));
    task.runtime.sandboxId = sandbox.id;
    task.runtime.ports = sandbox.ports;
    task.runtime.ipAddress = sandbox.ipAddress;
    const ip = sandbox.ipAddress ?? '127.0.0.1';
    const attachment = task.attachments?.[0];
    if (attachment) {
      attachment.status = 'ATTACHED';
      attachment.details = [...(attachment.details ?? []), { name: 'privateIPv4Address', value: ip }];
    }
    for (const c of task.containers ?? []) {
      const cd = td.containerDefinitions?.find((d) => d.name === c.name);
      c.networkInterfaces = attachment?.id ? [{ attachmentId: attachment.id, privateIpv4Address: ip }] : [];
      c.networkBindings = (cd?.portMappings ?? []).flatMap((pm) => {
        const p = sandbox.ports.find((x) => x.containerPort === pm.containerPort && x.protocol === (pm.protocol ?? 'tcp'));
        return p ? [{ bindIP: p.hostIp, containerPort: p.containerPort, hostPort: p.hostPort, protocol: p.protocol }] : [];
      });
    }
    this.deps.track(sandbox.id, taskId);
    task.lastStatus = 'PENDING';
    this.deps.save(task);
  }

  private async ownSandbox(task: StoredTask, taskId: string, ports: PortRequest[]): Promise<Sandbox> {
    // a sandbox from before a crash between create and save is not reusable (ports unknown)
    await this.removeStrays(taskId, SANDBOX_CONTAINER_NAME);
    return this.deps.driver.createSandbox({
      name: runtimeName(taskId),
      labels: labelsFor(this.deps.instanceId, task, taskId, SANDBOX_CONTAINER_NAME),
      ports,
      endpointForward: this.deps.endpointForward(),
    });
  }

  private async removeStrays(taskId: string, container: string): Promise<void> {
    if (!this.deps.mayHaveStrays(taskId)) return;
    for (const stray of await this.deps.driver.list(this.mine({ [TASK_LABEL]: taskId, [CONTAINER_LABEL]: container }))) {
      await this.deps.driver.remove(stray.id);
    }
  }

  private async pull(task: StoredTask, td: StoredTaskDefinition): Promise<void> {
    task.pullStartedAt = this.deps.clock.now();
    this.deps.save(task);
    const images = [...new Set((td.containerDefinitions ?? []).map((cd) => cd.image ?? ''))];
    try {
      for (const image of images) await this.deps.driver.ensureImage(image);
    } catch (err) {
      if (!(err instanceof ImagePullError)) throw err;
      const reason = `CannotPullContainerError: ${err.message}`;
      task.desiredStatus = 'STOPPED';
      task.stopCode = 'TaskFailedToStart';
      task.stoppedReason = reason;
      for (const c of task.containers ?? []) c.reason = reason;
    }
    task.pullStoppedAt = this.deps.clock.now();
    this.deps.save(task);
  }

  private async startContainer(task: StoredTask, td: StoredTaskDefinition, taskId: string, name: string): Promise<void> {
    const c = task.containers?.find((x) => x.name === name);
    const cd = td.containerDefinitions?.find((d) => d.name === name);
    if (!c || !cd || !task.runtime.sandboxId) return;
    await this.removeStrays(taskId, name);
    const sandbox: Sandbox = { id: task.runtime.sandboxId, ports: task.runtime.ports ?? [], ipAddress: task.runtime.ipAddress };
    try {
      const spec = containerSpec(this.deps.instanceId, task, taskId, cd, this.deps.containerEnv(task, taskId, name));
      const id = await this.deps.driver.createContainer(sandbox, spec);
      c.runtimeId = id;
      task.runtime.startOrder = [...(task.runtime.startOrder ?? []), name];
      this.deps.track(id, taskId);
      this.deps.save(task);
      await this.deps.driver.start(id);
      this.follow(id, cd, taskId);
      applyObservation(c, await this.deps.driver.inspect(id));
    } catch (err) {
      if (!(err instanceof ContainerStartError || err instanceof ImagePullError)) throw err;
      c.lastStatus = 'STOPPED';
      c.reason = `CannotStartContainerError: ${err.message}`;
      task.desiredStatus = 'STOPPED';
      task.stopCode ??= 'TaskFailedToStart';
      task.stoppedReason ??= `CannotStartContainerError: ${err.message}`;
    }
    this.deps.save(task);
  }

  private async stopContainers(task: StoredTask, td: StoredTaskDefinition, names: string[]): Promise<void> {
    for (const name of names) {
      const c = task.containers?.find((x) => x.name === name);
      if (!c?.runtimeId) continue;
      const cd = td.containerDefinitions?.find((d) => d.name === name);
      await this.deps.driver.stop(c.runtimeId, cd?.stopTimeout ?? DEFAULT_STOP_TIMEOUT_SECONDS);
      applyObservation(c, await this.deps.driver.inspect(c.runtimeId));
      this.deps.save(task);
    }
  }

  private async deprovision(task: StoredTask, now: Date): Promise<void> {
    const ids = (task.containers ?? []).map((c) => c.runtimeId).filter((id): id is string => id !== undefined);
    // the last lines of output are stored before the containers go away
    await Promise.race([Promise.all(ids.map((id) => this.pumps.get(id))), sleep(5000)]);
    for (const id of ids) {
      await this.deps.driver.remove(id);
      this.pumps.delete(id);
    }
    if (task.runtime.sandboxId) await this.deps.driver.remove(task.runtime.sandboxId);
    for (const c of task.containers ?? []) if (c.lastStatus !== 'STOPPED') c.lastStatus = 'STOPPED';
    const attachment = task.attachments?.[0];
    if (attachment) attachment.status = 'DELETED';
    setStatus(task, 'STOPPED', now);
    this.deps.save(task);
  }
}

function setStatus(task: StoredTask, status: string, now: Date): void {
  task.lastStatus = status;
  if (status === 'ACTIVATING') {
    task.connectivity = 'CONNECTED';
    task.connectivityAt = now;
  } else if (status === 'RUNNING') task.startedAt = now;
  else if (status === 'DEACTIVATING') task.stoppingAt = now;
  else if (status === 'DEPROVISIONING') task.executionStoppedAt = now;
  else if (status === 'STOPPED') {
    task.stoppedAt = now;
    task.executionStoppedAt ??= now;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
