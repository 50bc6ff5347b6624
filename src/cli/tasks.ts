import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  type DesiredStatus,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { CliError, sleep, type Clients } from './client.js';

const TASK_ID = /^[0-9a-f]{32}$/;
const TASK_PREFIX = /^[0-9a-f]{6,32}$/;
/** DescribeTasks takes at most this many tasks a call. */
const DESCRIBE_BATCH = 100;

export function taskIdOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** The short form ps prints and stop and logs accept back. */
export function shortId(arnOrId: string): string {
  return taskIdOf(arnOrId).slice(0, 12);
}

/** `family:revision` from a task definition ARN. */
export function familyRevision(taskDefinitionArn: string | undefined): string {
  return taskDefinitionArn?.slice(taskDefinitionArn.indexOf('task-definition/') + 'task-definition/'.length) ?? '-';
}

/** Every task ARN with these desired statuses, all pages. */
export async function listTaskArns(c: Clients, statuses: DesiredStatus[]): Promise<string[]> {
  const arns: string[] = [];
  for (const desiredStatus of statuses) {
    let nextToken: string | undefined;
    do {
      const page = await c.ecs.send(new ListTasksCommand({ cluster: c.cluster, desiredStatus, nextToken }));
      arns.push(...(page.taskArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
  }
  return [...new Set(arns)];
}

/** DescribeTasks in batches; tasks that went missing meanwhile are left out. */
export async function describeTasks(c: Clients, refs: string[]): Promise<Task[]> {
  const tasks: Task[] = [];
  for (let i = 0; i < refs.length; i += DESCRIBE_BATCH) {
    const out = await c.ecs.send(new DescribeTasksCommand({ cluster: c.cluster, tasks: refs.slice(i, i + DESCRIBE_BATCH) }));
    tasks.push(...(out.tasks ?? []));
  }
  return tasks;
}

export async function describeTask(c: Clients, ref: string): Promise<Task> {
  const [task] = await describeTasks(c, [ref]);
  if (!task) throw new CliError(`no task ${ref} in cluster ${c.cluster ?? 'default'}`);
  return task;
}

/**
 * What a user typed for a task (a full ARN, a 32-hex id, or a unique prefix of at least
 * six hex digits of one) as something ECS accepts, given the ARNs it may be a prefix of.
 */
export function matchTaskRef(ref: string, knownArns: readonly string[]): string {
  if (ref.startsWith('arn:') || TASK_ID.test(ref)) return ref;
  if (!TASK_PREFIX.test(ref)) {
    throw new CliError(`'${ref}' is not a task: give its ARN, its 32-hex id, or at least the first 6 characters of the id`);
  }
  const matches = knownArns.filter((arn) => taskIdOf(arn).startsWith(ref));
  const [only] = matches;
  if (!only) throw new CliError(`no task id starts with ${ref} (skiff ps --all lists them)`);
  if (matches.length > 1) throw new CliError(`${ref} is the start of ${matches.length} task ids (${matches.map(shortId).join(', ')}): type more of it`);
  return only;
}

/** Resolves task references, listing tasks (running and stopped) only when a prefix needs it. */
export async function resolveTaskRefs(c: Clients, refs: string[]): Promise<string[]> {
  const needsList = refs.some((r) => !r.startsWith('arn:') && !TASK_ID.test(r));
  const known = needsList ? await listTaskArns(c, ['RUNNING', 'STOPPED']) : [];
  return refs.map((r) => matchTaskRef(r, known));
}

/** Task definitions by ARN, each described once per command run. */
export class TaskDefinitionCache {
  private readonly byRef = new Map<string, Promise<TaskDefinition>>();

  constructor(private readonly c: Clients) {}

  get(ref: string): Promise<TaskDefinition> {
    let td = this.byRef.get(ref);
    if (!td) {
      td = this.c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref })).then((out) => {
        if (!out.taskDefinition) throw new CliError(`DescribeTaskDefinition returned no task definition for ${ref}`);
        return out.taskDefinition;
      });
      this.byRef.set(ref, td);
    }
    return td;
  }
}

/** Names of the essential containers (ECS's default for `essential` is true). */
export function essentialNames(td: TaskDefinition): string[] {
  return (td.containerDefinitions ?? []).filter((cd) => cd.essential !== false).map((cd) => cd.name ?? '');
}

/** The essential containers' exit codes, in definition order; undefined for one that never exited. */
export function essentialExitCodes(task: Task, td: TaskDefinition): Array<number | undefined> {
  return essentialNames(td).map((name) => task.containers?.find((c) => c.name === name)?.exitCode);
}

/**
 * The exit code a command that waited for tasks ends with: the first essential container
 * that failed, else 0. A task whose essential container never exited (it failed to start)
 * counts as 1, since there is no code of its own to pass on.
 */
export function exitCodeOf(results: ReadonlyArray<{ task: Task; td: TaskDefinition }>): number {
  for (const { task, td } of results) {
    for (const code of essentialExitCodes(task, td)) {
      if (code === undefined) return 1;
      if (code !== 0) return code;
    }
  }
  return 0;
}

export const POLL_MS = 500;

/** Polls DescribeTasks until every task is STOPPED. */
export async function waitStopped(c: Clients, arns: string[]): Promise<Task[]> {
  for (;;) {
    const tasks = await describeTasks(c, arns);
    if (tasks.length === arns.length && tasks.every((t) => t.lastStatus === 'STOPPED')) return tasks;
    await sleep(POLL_MS);
  }
}
