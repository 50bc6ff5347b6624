import type { Container, HealthStatus } from '@aws-sdk/client-ecs';
import type { ContainerState } from '../../runtime/index.js';
import type { StoredTask } from '../../store/index.js';

/**
 * Folds what the driver reports about one container into the task's record. Pure;
 * returns whether anything changed, so the runner writes only real changes.
 */
export function applyObservation(container: Container, state: ContainerState | undefined): boolean {
  const before = JSON.stringify(container);
  if (!container.runtimeId) return false;
  if (!state) {
    // gone without us seeing it exit (removed by hand, or the engine lost it)
    if (container.lastStatus !== 'STOPPED') {
      container.lastStatus = 'STOPPED';
      container.reason ??= 'CannotInspectContainerError: the container no longer exists in the runtime';
    }
  } else if (state.status === 'running') {
    container.lastStatus = 'RUNNING';
  } else if (state.status === 'exited') {
    container.lastStatus = 'STOPPED';
    container.exitCode = state.exitCode;
    if (state.oomKilled) {
      container.reason = "OutOfMemoryError: Container killed due to memory usage";
      container.exitCode = 137;
    } else if (state.error) {
      container.reason ??= `CannotStartContainerError: ${state.error}`;
    }
  }
  if (state?.health && container.lastStatus === 'RUNNING') {
    container.healthStatus = state.health === 'healthy' ? 'HEALTHY' : state.health === 'unhealthy' ? 'UNHEALTHY' : 'UNKNOWN';
  }
  return JSON.stringify(container) !== before;
}

/**
 * The task's health: UNHEALTHY if an essential container with a health check is
 * unhealthy, HEALTHY if all of them are healthy, else UNKNOWN (as ECS reports it).
 */
export function taskHealth(task: StoredTask, essential: ReadonlySet<string>, withHealthCheck: ReadonlySet<string>): HealthStatus {
  const checked = (task.containers ?? []).filter((c) => essential.has(c.name ?? '') && withHealthCheck.has(c.name ?? ''));
  if (checked.length === 0) return 'UNKNOWN';
  if (checked.some((c) => c.healthStatus === 'UNHEALTHY')) return 'UNHEALTHY';
  return checked.every((c) => c.healthStatus === 'HEALTHY') ? 'HEALTHY' : 'UNKNOWN';
}

/** Starts the startTimeout clock of containers that wait on dependencies. */
export function markWaiting(task: StoredTask, now: Date): boolean {
  if (task.lastStatus !== 'PENDING' || !task.pullStoppedAt) return false;
  let changed = false;
  task.runtime.waitingSince ??= {};
  for (const c of task.containers ?? []) {
    const name = c.name ?? '';
    if (!c.runtimeId && c.lastStatus === 'PENDING' && !task.runtime.waitingSince[name]) {
      task.runtime.waitingSince[name] = now.toISOString();
      changed = true;
    }
  }
  return changed;
}
