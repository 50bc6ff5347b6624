import { createHash } from 'node:crypto';
import type {
  DescribeTasksRequest,
  DescribeTasksResponse,
  Failure,
  ListTasksRequest,
  ListTasksResponse,
  RunTaskRequest,
  RunTaskResponse,
  StopTaskRequest,
  StopTaskResponse,
  Task,
} from '@aws-sdk/client-ecs';
import { decodeToken, encodeToken, isArn } from '../../core/index.js';
import { taskIdOf, type StoredTask, type StoredTaskDefinition, type Tag } from '../../store/index.js';
import { placeOn, strategyFor } from '../capacity.js';
import type { Clusters } from '../clusters.js';
import type { EcsDeps } from '../context.js';
import { EcsErrors, ecsError } from '../errors.js';
import { checkMaxResults } from '../paging.js';
import type { TaskDefinitions } from '../task-definitions/service.js';
import { isFargateSize, parseTaskCpu, parseTaskMemory, validateTags } from '../task-definitions/validate.js';
import { newTask } from './build.js';

const TASK_ID = /^[0-9a-f]{32}$/;

/** RunTask, StopTask, DescribeTasks, ListTasks: intent recorded here, carried out by the task runner. */
export class Tasks {
  constructor(
    private readonly deps: EcsDeps,
    private readonly clusters: Clusters,
    private readonly taskDefinitions: TaskDefinitions,
  ) {}

  run(asked: RunTaskRequest): RunTaskResponse {
    const cluster = this.clusters.require(asked.cluster);
    const td = this.requireRunnable(asked.taskDefinition);
    const strategy = strategyFor(asked, cluster);
    const req = strategy ? { ...asked, capacityProviderStrategy: strategy } : asked;
    checkRunRequest(req, td);
    const { store, clock, ids, scope } = this.deps;
    const hash = createHash('sha256').update(JSON.stringify({ ...req, clientToken: undefined })).digest('hex');
    if (req.clientToken) {
      const seen = store.tasks.clientToken(req.clientToken);
      if (seen) {
        if (seen.requestHash !== hash) {
          throw ecsError('InvalidParameterException', 'The clientToken was already used with different RunTask parameters; use a new token.');
        }
        return { tasks: seen.taskArns.map((arn) => this.view(store.tasks.get(taskIdOf(arn)))).filter(isTask), failures: [] };
      }
    }
    const now = clock.now();
    const placed = new Map<string, number>();
    const created = Array.from({ length: req.count ?? 1 }, () => {
      const provider = req.capacityProviderStrategy ? placeOn(req.capacityProviderStrategy, placed) : undefined;
      if (provider) placed.set(provider, (placed.get(provider) ?? 0) + 1);
      return newTask({ req, td, clusterArn: cluster.clusterArn, clusterName: cluster.clusterName, now, ids, scope, provider });
    });
    store.tasks.create(created, req.clientToken ? { clientToken: req.clientToken, requestHash: hash, now } : undefined);
    for (const t of created) this.deps.onTaskChanged?.(taskIdOf(t.taskArn));
    return { tasks: created.map((t) => this.view(t)).filter(isTask), failures: [] };
  }

  /** Starts a service's tasks as RunTask would, tagged with the service's group and deployment. */
  launchForService(
    service: {
      clusterArn: string;
      serviceName: string;
      launchType?: string | undefined;
      capacityProviderStrategy?: RunTaskRequest['capacityProviderStrategy'];
      networkConfiguration?: RunTaskRequest['networkConfiguration'];
    },
    deploymentId: string,
    taskDefinition: string,
    count: number,
  ): string[] {
    const arns: string[] = [];
    for (let left = count; left > 0; left -= 10) {
      const out = this.run({
        cluster: service.clusterArn,
        taskDefinition,
        count: Math.min(10, left),
        startedBy: deploymentId,
        group: `service:${service.serviceName}`,
        launchType: service.launchType as RunTaskRequest['launchType'],
        capacityProviderStrategy: service.capacityProviderStrategy,
        networkConfiguration: service.networkConfiguration,
      });
      arns.push(...(out.tasks ?? []).map((t) => t.taskArn ?? ''));
    }
    return arns;
  }

  /** Stops a task on the service scheduler's behalf (stop code ServiceSchedulerInitiated). */
  stopForService(taskArn: string, reason: string): void {
    const task = this.deps.store.tasks.get(taskIdOf(taskArn));
    if (!task || task.desiredStatus === 'STOPPED') return;
    task.desiredStatus = 'STOPPED';
    task.stopCode = 'ServiceSchedulerInitiated';
    task.stoppedReason = reason;
    task.version += 1;
    this.deps.store.tasks.put(task);
    this.deps.onTaskChanged?.(taskIdOf(taskArn));
  }

  stop(req: StopTaskRequest): StopTaskResponse {
    const cluster = this.clusters.require(req.cluster);
    if (req.reason !== undefined && req.reason.length > 255) throw ecsError('InvalidParameterException', 'reason can be at most 255 characters.');
    const task = this.find(cluster.clusterName, req.task ?? '');
    if (!task || task.clusterArn !== cluster.clusterArn) throw ecsError('InvalidParameterException', 'The referenced task was not found.');
    if (task.desiredStatus !== 'STOPPED') {
      task.desiredStatus = 'STOPPED';
      task.stopCode = 'UserInitiated';
      task.stoppedReason = req.reason ?? 'Task stopped by user';
      task.version += 1;
      this.deps.store.tasks.put(task);
      this.deps.onTaskChanged?.(taskIdOf(task.taskArn));
    }
    return { task: this.view(task) };
  }

  describe(req: DescribeTasksRequest): DescribeTasksResponse {
    const cluster = this.clusters.require(req.cluster);
    const refs = req.tasks ?? [];
    if (refs.length === 0 || refs.length > 100) throw ecsError('InvalidParameterException', 'tasks must name from 1 to 100 tasks.');
    const withTags = (req.include ?? []).includes('TAGS');
    const tasks: Task[] = [];
    const failures: Failure[] = [];
    for (const ref of refs) {
      const t = this.find(cluster.clusterName, ref);
      if (t && t.clusterArn === cluster.clusterArn) tasks.push(this.view(t, withTags) as Task);
      else failures.push({ arn: ref, reason: 'MISSING' });
    }
    return { tasks, failures };
  }

  list(req: ListTasksRequest): ListTasksResponse {
    const cluster = this.clusters.require(req.cluster);
    const desired = req.desiredStatus ?? 'RUNNING';
    if (!['RUNNING', 'PENDING', 'STOPPED'].includes(desired)) {
      throw ecsError('InvalidParameterException', 'desiredStatus must be RUNNING, PENDING or STOPPED.');
    }
    if (req.serviceName && req.startedBy) {
      throw ecsError('InvalidParameterException', 'serviceName and startedBy cannot both be given.');
    }
    const limit = checkMaxResults(req.maxResults, 100);
    const after = req.nextToken ? decodeToken(req.nextToken, EcsErrors.InvalidParameterException) : undefined;
    const page = this.deps.store.tasks.pageArns({
      cluster: cluster.clusterArn,
      desiredStatus: desired === 'PENDING' ? 'RUNNING' : desired,
      family: req.family,
      startedBy: req.startedBy,
      group: req.serviceName ? `service:${req.serviceName}` : undefined,
    }, after, limit);
    const last = page.arns[page.arns.length - 1];
    return { taskArns: page.arns, nextToken: page.more && last !== undefined ? encodeToken(last) : undefined };
  }

  /** A task by id or ARN within a cluster. */
  find(clusterName: string, ref: string): StoredTask | undefined {
    const id = isArn(ref) ? taskIdOf(ref) : ref;
    if (!TASK_ID.test(id)) return undefined;
    if (isArn(ref) && !ref.includes(`:task/${clusterName}/`) && !ref.endsWith(`:task/${id}`)) return undefined;
    return this.deps.store.tasks.get(id);
  }

  /** The API view: Skiff's bookkeeping removed, tags only when asked for. */
  view(task: StoredTask | undefined, withTags = false): Task | undefined {
    if (!task) return undefined;
    const { runtime: _runtime, tags, ...rest } = task;
    return { ...rest, tags: withTags ? tags : undefined };
  }

  private requireRunnable(ref: string | undefined): StoredTaskDefinition {
    const td = ref ? this.taskDefinitions.resolve(ref) : undefined;
    if (!td || td.status === 'DELETE_IN_PROGRESS') throw ecsError('InvalidParameterException', 'TaskDefinition not found.');
    if (td.status !== 'ACTIVE') throw ecsError('InvalidParameterException', 'TaskDefinition is inactive');
    return td;
  }
}

function isTask(t: Task | undefined): t is Task {
  return t !== undefined;
}

/** The parts of RunTask that do not depend on stored state beyond the task definition. */
function checkRunRequest(req: RunTaskRequest, td: StoredTaskDefinition): void {
  const count = req.count ?? 1;
  if (count < 1 || count > 10) throw ecsError('InvalidParameterException', 'count must be between 1 and 10.');
  const launchType = req.launchType ?? 'FARGATE';
  if (!['FARGATE', 'EC2', 'EXTERNAL'].includes(launchType)) throw ecsError('InvalidParameterException', `launchType must be FARGATE, EC2 or EXTERNAL.`);
  if (!req.capacityProviderStrategy && !(td.compatibilities ?? []).includes(launchType)) {
    throw ecsError('InvalidParameterException', `Task definition does not support launch_type ${launchType}.`);
  }
  if (td.networkMode === 'awsvpc' && !req.networkConfiguration?.awsvpcConfiguration) {
    throw ecsError('InvalidParameterException', "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
  if ((req.startedBy ?? '').length > 128) throw ecsError('InvalidParameterException', 'startedBy can be at most 128 characters.');
  if ((req.group ?? '').length > 255) throw ecsError('InvalidParameterException', 'group can be at most 255 characters.');
  if (req.clientToken !== undefined && (req.clientToken.length < 1 || req.clientToken.length > 64)) {
    throw ecsError('InvalidParameterException', 'clientToken must be 1 to 64 characters.');
  }
  validateTags((req.tags ?? []) as Tag[]);
  checkOverrides(req, td, launchType);
}

function checkOverrides(req: RunTaskRequest, td: StoredTaskDefinition, launchType: string): void {
  for (const cd of td.containerDefinitions ?? []) {
    if (cd.environmentFiles?.length) {
      throw ecsError('UnsupportedFeatureException', `Container ${cd.name ?? ''} uses environmentFiles, which skiff does not support yet: put the variables in environment instead.`);
    }
  }
  const names = new Set((td.containerDefinitions ?? []).map((c) => c.name));
  for (const o of req.overrides?.containerOverrides ?? []) {
    if (!o.name || !names.has(o.name)) {
      throw ecsError('InvalidParameterException', `Override for container named ${o.name ?? ''} is not a container in the TaskDefinition.`);
    }
    for (const e of o.environment ?? []) {
      if (!e.name) throw ecsError('InvalidParameterException', `Environment variable overrides for container ${o.name} need a name.`);
    }
    if (o.environmentFiles?.length) {
      throw ecsError('InvalidParameterException', 'environmentFiles are not supported by skiff: put the variables in environment instead.');
    }
  }
  const cpuText = req.overrides?.cpu ?? td.cpu;
  const memoryText = req.overrides?.memory ?? td.memory;
  const cpu = cpuText === undefined ? undefined : parseTaskCpu(cpuText);
  const memory = memoryText === undefined ? undefined : parseTaskMemory(memoryText);
  if (req.overrides?.cpu && cpu === undefined) throw ecsError('InvalidParameterException', `Invalid 'cpu' override: ${req.overrides.cpu}.`);
  if (req.overrides?.memory && memory === undefined) throw ecsError('InvalidParameterException', `Invalid 'memory' override: ${req.overrides.memory}.`);
  if (launchType === 'FARGATE' && (req.overrides?.cpu || req.overrides?.memory) && cpu !== undefined && memory !== undefined) {
    if (!isFargateSize(cpu, memory)) {
      throw ecsError('InvalidParameterException', `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory.`);
    }
  }
}
