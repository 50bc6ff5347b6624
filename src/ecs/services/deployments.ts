import type { Deployment } from '@aws-sdk/client-ecs';
import type { StoredService } from '../../store/index.js';

/*
 * A service's deployments and events, written by the ECS API (CreateService,
 * UpdateService, DeleteService) and by the service scheduler (rollouts, the circuit
 * breaker, steady state); the scheduler takes them from ecs's index.
 */

/** Events newest first, at most 100 kept. */
export function addEvent(service: StoredService, now: Date, message: string, id?: string): void {
  const event = { id: id ?? `${now.getTime().toString(16)}-${(service.events?.length ?? 0).toString(16)}-${Math.abs(hash(message)).toString(16)}`, createdAt: now, message };
  service.events = [event, ...(service.events ?? [])].slice(0, 100);
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}

/** Deployment ids look like ECS's: `ecs-svc/` and 19 digits. */
export function nextDeploymentId(service: StoredService, now: Date): string {
  const n = (service.deployments?.length ?? 0) + (service.events?.length ?? 0);
  return `ecs-svc/${String(now.getTime()).padStart(13, '0')}${String(n % 1_000_000).padStart(6, '0')}`;
}

export function newDeployment(service: StoredService, taskDefinition: string, now: Date, desired: number, id: string): Deployment {
  return {
    id,
    status: 'PRIMARY',
    taskDefinition,
    desiredCount: desired,
    pendingCount: 0,
    runningCount: 0,
    failedTasks: 0,
    createdAt: now,
    updatedAt: now,
    launchType: service.launchType,
    platformVersion: service.platformVersion,
    platformFamily: 'Linux',
    networkConfiguration: service.networkConfiguration,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: 'ECS deployment in progress.',
  };
}
