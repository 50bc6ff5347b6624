import type { Failure, GetTaskProtectionRequest, GetTaskProtectionResponse, ProtectedTask, UpdateTaskProtectionRequest, UpdateTaskProtectionResponse } from '@aws-sdk/client-ecs';
import type { StoredTask } from '../../store/index.js';
import type { Clusters } from '../clusters.js';
import type { EcsDeps } from '../context.js';
import { ecsError } from '../errors.js';
import type { Tasks } from './api.js';

const DEFAULT_MINUTES = 120;
const MAX_MINUTES = 2880;

/**
 * Task scale-in protection: a service's protected task is not stopped to scale in or to
 * make room for a deployment until its protection expires (default 2 h, at most 48 h).
 * Only tasks of a service can be protected (TASK_NOT_VALID otherwise), as on AWS.
 */
export class TaskProtection {
  constructor(
    private readonly deps: EcsDeps,
    private readonly clusters: Clusters,
    private readonly tasks: Tasks,
  ) {}

  update(req: UpdateTaskProtectionRequest): UpdateTaskProtectionResponse {
    const cluster = this.clusters.require(req.cluster);
    const refs = checkRefs(req.tasks);
    const minutes = req.expiresInMinutes ?? DEFAULT_MINUTES;
    if (req.protectionEnabled && (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES)) {
      throw ecsError('InvalidParameterException', `expiresInMinutes must be from 1 to ${MAX_MINUTES} (48 hours).`);
    }
    const until = this.deps.clock.now().getTime() + minutes * 60_000;
    return this.each(cluster.clusterName, cluster.clusterArn, refs, (task) => {
      if (req.protectionEnabled) this.deps.store.taskProtection.protect(task.taskArn, until);
      else this.deps.store.taskProtection.unprotect(task.taskArn);
      this.deps.onTaskChanged?.(task.taskArn.split('/').pop() ?? '');
      return this.view(task.taskArn);
    });
  }

  get(req: GetTaskProtectionRequest): GetTaskProtectionResponse {
    const cluster = this.clusters.require(req.cluster);
    return this.each(cluster.clusterName, cluster.clusterArn, checkRefs(req.tasks), (task) => this.view(task.taskArn));
  }

  private each(clusterName: string, clusterArn: string, refs: string[], fn: (task: StoredTask) => ProtectedTask): { protectedTasks: ProtectedTask[]; failures: Failure[] } {
    const protectedTasks: ProtectedTask[] = [];
    const failures: Failure[] = [];
    for (const ref of refs) {
      const task = this.tasks.find(clusterName, ref);
      if (!task || task.clusterArn !== clusterArn) failures.push({ arn: ref, reason: 'MISSING' });
      else if (!task.group?.startsWith('service:')) failures.push({ arn: task.taskArn, reason: 'TASK_NOT_VALID', detail: 'The task is not part of a service.' });
      else if (task.lastStatus === 'STOPPED') failures.push({ arn: task.taskArn, reason: 'TASK_NOT_VALID', detail: 'The task is stopped.' });
      else protectedTasks.push(fn(task));
    }
    return { protectedTasks, failures };
  }

  private view(taskArn: string): ProtectedTask {
    const until = this.deps.store.taskProtection.protectedUntil(taskArn, this.deps.clock.now().getTime());
    return { taskArn, protectionEnabled: until !== undefined, expirationDate: until === undefined ? undefined : new Date(until) };
  }
}

function checkRefs(tasks: string[] | undefined): string[] {
  const refs = tasks ?? [];
  if (refs.length === 0 || refs.length > 10) throw ecsError('InvalidParameterException', 'tasks must name from 1 to 10 tasks.');
  return refs;
}
