import type { Container, ContainerDefinition, ContainerDependency, TaskStopCode } from '@aws-sdk/client-ecs';
import type { StoredTask, StoredTaskDefinition } from '../../store/index.js';

/**
 * The next thing to do for one task, decided from its recorded state alone (the runner
 * records what it observed from the driver before asking). Pure: no I/O, no clock but
 * the `now` passed in, so every branch is testable with plain objects.
 */
export type Step =
  | { kind: 'provision' }
  | { kind: 'pull' }
  | { kind: 'start'; containers: string[] }
  | { kind: 'status'; lastStatus: 'ACTIVATING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'DEPROVISIONING' | 'STOPPED' }
  | { kind: 'stopTask'; stopCode: TaskStopCode; reason: string; containerReasons?: Record<string, string> }
  | { kind: 'stopContainers'; containers: string[] }
  | { kind: 'deprovision' }
  | { kind: 'wait' };

/** How long a container waits for its dependencies when it sets no startTimeout. */
export const DEFAULT_START_TIMEOUT_SECONDS = 180;

const STOPPING_PHASES = ['DEACTIVATING', 'STOPPING', 'DEPROVISIONING'];

export function planTask(task: StoredTask, td: StoredTaskDefinition, now: Date): Step {
  if (task.lastStatus === 'STOPPED') return { kind: 'wait' };
  if (task.desiredStatus === 'STOPPED' || STOPPING_PHASES.includes(task.lastStatus)) return planStop(task);
  if (task.lastStatus === 'PROVISIONING') return { kind: 'provision' };
  if (!task.pullStoppedAt) return { kind: 'pull' };
  const defs = new Map((td.containerDefinitions ?? []).map((cd) => [cd.name ?? '', cd]));
  const containers = task.containers ?? [];
  // a task whose containers all started reaches RUNNING even if one has exited already
  const allStarted = containers.every((c) => c.runtimeId !== undefined || c.lastStatus !== 'PENDING');
  if (allStarted && task.lastStatus === 'PENDING') return { kind: 'status', lastStatus: 'ACTIVATING' };
  if (allStarted && task.lastStatus === 'ACTIVATING') return { kind: 'status', lastStatus: 'RUNNING' };
  const exited = containers.find((c) => c.lastStatus === 'STOPPED' && defs.get(c.name ?? '')?.essential !== false);
  if (exited) {
    return { kind: 'stopTask', stopCode: 'EssentialContainerExited', reason: 'Essential container in task exited' };
  }
  const startable: string[] = [];
  for (const c of containers) {
    if (c.runtimeId || c.lastStatus !== 'PENDING') continue;
    const cd = defs.get(c.name ?? '');
    const verdict = dependencyVerdict(cd?.dependsOn ?? [], containers);
    if (verdict.kind === 'failed') {
      return failStart(c.name ?? '', verdict.reason);
    }
    if (verdict.kind === 'ready') startable.push(c.name ?? '');
    else if (waitedTooLong(task, c.name ?? '', cd, now)) {
      return failStart(c.name ?? '', `timed out waiting for ${verdict.waitingFor}`);
    }
  }
  if (startable.length > 0) return { kind: 'start', containers: startable };
  return { kind: 'wait' };
}

function planStop(task: StoredTask): Step {
  const phase = task.lastStatus;
  if (!STOPPING_PHASES.includes(phase)) return { kind: 'status', lastStatus: 'DEACTIVATING' };
  if (phase === 'DEACTIVATING') return { kind: 'status', lastStatus: 'STOPPING' };
  if (phase === 'STOPPING') {
    const running = new Set((task.containers ?? []).filter((c) => c.runtimeId && c.lastStatus !== 'STOPPED').map((c) => c.name ?? ''));
    if (running.size > 0) {
      // reverse start order: a container stops before the ones it depends on
      const order = [...(task.runtime.startOrder ?? [])].reverse().filter((n) => running.has(n));
      const rest = [...running].filter((n) => !order.includes(n));
      return { kind: 'stopContainers', containers: [...order, ...rest] };
    }
    return { kind: 'status', lastStatus: 'DEPROVISIONING' };
  }
  return { kind: 'deprovision' };
}

type Verdict = { kind: 'ready' } | { kind: 'waiting'; waitingFor: string } | { kind: 'failed'; reason: string };

/** Whether a container's dependsOn conditions hold, can still hold, or never will. */
export function dependencyVerdict(deps: readonly ContainerDependency[], containers: readonly Container[]): Verdict {
  for (const dep of deps) {
    const other = containers.find((c) => c.name === dep.containerName);
    const name = dep.containerName ?? '';
    if (!other) return { kind: 'failed', reason: `dependency container '${name}' does not exist` };
    const exited = other.lastStatus === 'STOPPED';
    switch (dep.condition) {
      case 'START':
        if (!other.runtimeId || other.lastStatus === 'PENDING') return { kind: 'waiting', waitingFor: `'${name}' to start` };
        break;
      case 'COMPLETE':
        if (!exited) return { kind: 'waiting', waitingFor: `'${name}' to complete` };
        break;
      case 'SUCCESS':
        if (!exited) return { kind: 'waiting', waitingFor: `'${name}' to exit successfully` };
        if (other.exitCode !== 0) {
          return { kind: 'failed', reason: `dependency container '${name}' exited with code ${String(other.exitCode)} (condition SUCCESS)` };
        }
        break;
      case 'HEALTHY':
        if (other.healthStatus === 'UNHEALTHY') return { kind: 'failed', reason: `dependency container '${name}' is unhealthy (condition HEALTHY)` };
        if (exited) return { kind: 'failed', reason: `dependency container '${name}' exited before it became healthy` };
        if (other.healthStatus !== 'HEALTHY') return { kind: 'waiting', waitingFor: `'${name}' to become healthy` };
        break;
      default:
        return { kind: 'failed', reason: `unknown dependency condition ${String(dep.condition)}` };
    }
  }
  return { kind: 'ready' };
}

function waitedTooLong(task: StoredTask, name: string, cd: ContainerDefinition | undefined, now: Date): boolean {
  const since = task.runtime.waitingSince?.[name];
  if (!since) return false;
  const limit = (cd?.startTimeout ?? DEFAULT_START_TIMEOUT_SECONDS) * 1000;
  return now.getTime() - new Date(since).getTime() > limit;
}

function failStart(container: string, why: string): Step {
  return {
    kind: 'stopTask',
    stopCode: 'TaskFailedToStart',
    reason: `CannotStartContainerError: container '${container}' could not start: ${why}`,
    containerReasons: { [container]: `CannotStartContainerError: ${why}` },
  };
}
