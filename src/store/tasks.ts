import type { Task } from '@aws-sdk/client-ecs';
import type { Db } from './db.js';
import type { PublishedPort } from '../runtime/index.js';

/** What Skiff keeps about a task beyond the ECS `Task` shape: where it runs. */
export interface TaskRuntime {
  /** The sandbox (network namespace holder) id, once provisioned. */
  sandboxId?: string | undefined;
  /** Published ports: container port → 127.0.0.1 host port. */
  ports?: PublishedPort[] | undefined;
  /** The container's address on the runtime network, if any. */
  ipAddress?: string | undefined;
  /** Container names in the order they were started (stops go in reverse). */
  startOrder?: string[] | undefined;
  /** When a dependency wait began, per container, for startTimeout. */
  waitingSince?: Record<string, string> | undefined;
}

export interface StoredTask extends Task {
  taskArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  lastStatus: string;
  desiredStatus: string;
  createdAt: Date;
  version: number;
  /** Skiff's own bookkeeping; not part of the API response. */
  runtime: TaskRuntime;
}

export interface TaskFilter {
  cluster: string;
  desiredStatus: string;
  family?: string | undefined;
  startedBy?: string | undefined;
  group?: string | undefined;
}

const DATE_FIELDS = [
  'createdAt', 'pullStartedAt', 'pullStoppedAt', 'startedAt', 'connectivityAt', 'stoppingAt',
  'executionStoppedAt', 'stoppedAt',
] as const;

/** ECS tasks by id; every write replaces the whole document in one statement. */
export class TaskRepository {
  private readonly getStmt;
  private readonly upsertStmt;
  private readonly unfinishedStmt;
  private readonly listStmt;
  private readonly groupStmt;
  private readonly unfinishedInGroupStmt;
  private readonly countStmt;
  private readonly onProviderStmt;
  private readonly tokenGetStmt;
  private readonly tokenPutStmt;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare<[string], { doc: string }>('SELECT doc FROM tasks WHERE task_id = ?');
    this.upsertStmt = db.prepare(
      `INSERT INTO tasks (task_id, arn, cluster, family, started_by, task_group, desired_status, last_status, created_at, doc)
       VALUES (@taskId, @arn, @cluster, @family, @startedBy, @group, @desired, @last, @createdAt, @doc)
       ON CONFLICT (task_id) DO UPDATE SET desired_status = excluded.desired_status,
         last_status = excluded.last_status, doc = excluded.doc`,
    );
    this.unfinishedStmt = db.prepare<[], { doc: string }>("SELECT doc FROM tasks WHERE last_status <> 'STOPPED'");
    // Every column this reads is in tasks_listing (migration 010): a page touches only the
    // index entries up to its last ARN, however long the STOPPED history is.
    this.listStmt = db.prepare<[Record<string, string | number | null>], { arn: string }>(
      `SELECT arn FROM tasks WHERE cluster = @cluster AND desired_status = @desired AND arn > @after
         AND (@family IS NULL OR family = @family) AND (@startedBy IS NULL OR started_by = @startedBy)
         AND (@group IS NULL OR task_group = @group)
       ORDER BY arn LIMIT @limit`,
    );
    // Recent tasks by tasks_by_group's created_at; older ones only if unfinished, from the
    // partial index (the unary + keeps the planner off tasks_by_group's created_at range,
    // which would read every old STOPPED row of the group).
    this.unfinishedInGroupStmt = db.prepare<[string, string], { doc: string }>(
      "SELECT doc FROM tasks WHERE cluster = ? AND task_group = ? AND last_status <> 'STOPPED'",
    );
    this.groupStmt = db.prepare<[Record<string, string | number>], { doc: string }>(
      `SELECT doc FROM tasks WHERE cluster = @cluster AND task_group = @group AND created_at >= @since
       UNION ALL
       SELECT doc FROM tasks WHERE cluster = @cluster AND task_group = @group AND last_status <> 'STOPPED' AND +created_at < @since`,
    );
    this.countStmt = db.prepare<[string], { running: number; pending: number }>(
      `SELECT COALESCE(SUM(last_status = 'RUNNING'), 0) AS running,
              COALESCE(SUM(last_status IN ('PROVISIONING', 'PENDING', 'ACTIVATING')), 0) AS pending
       FROM tasks WHERE cluster = ? AND last_status <> 'STOPPED'`,
    );
    this.onProviderStmt = db.prepare<[string, string], { n: number }>(
      "SELECT count(*) AS n FROM tasks WHERE cluster = ? AND last_status <> 'STOPPED' AND json_extract(doc, '$.capacityProviderName') = ?",
    );
    this.tokenGetStmt = db.prepare<[string], { request_hash: string; task_arns: string }>(
      'SELECT request_hash, task_arns FROM run_task_tokens WHERE client_token = ?',
    );
    this.tokenPutStmt = db.prepare('INSERT INTO run_task_tokens (client_token, request_hash, task_arns, created_at) VALUES (?, ?, ?, ?)');
  }

  get(taskId: string): StoredTask | undefined {
    const row = this.getStmt.get(taskId);
    return row ? decode(row.doc) : undefined;
  }

  put(task: StoredTask): void {
    this.upsertStmt.run({
      taskId: taskIdOf(task.taskArn),
      arn: task.taskArn,
      cluster: task.clusterArn,
      family: familyOf(task.taskDefinitionArn),
      startedBy: task.startedBy ?? null,
      group: task.group ?? null,
      desired: task.desiredStatus,
      last: task.lastStatus,
      createdAt: task.createdAt.getTime(),
      doc: JSON.stringify(task),
    });
  }

  /** Every task not yet STOPPED: what reconcilers pick up after a restart. */
  unfinished(): StoredTask[] {
    return this.unfinishedStmt.all().map((r) => decode(r.doc));
  }

  /**
   * One page of a cluster's task ARNs in ARN order, continuing strictly after `after`;
   * `more` when at least one more matches.
   */
  pageArns(filter: TaskFilter, after: string | undefined, limit: number): { arns: string[]; more: boolean } {
    const arns = this.listStmt
      .all({
        cluster: filter.cluster,
        desired: filter.desiredStatus,
        family: filter.family ?? null,
        startedBy: filter.startedBy ?? null,
        group: filter.group ?? null,
        after: after ?? '',
        limit: limit + 1,
      })
      .map((r) => r.arn);
    const more = arns.length > limit;
    return { arns: more ? arns.slice(0, limit) : arns, more };
  }

  /** A group's tasks (`service:<name>`): every unfinished one, and those created since `since`. */
  inGroup(clusterArn: string, group: string, since: Date): StoredTask[] {
    return this.groupStmt.all({ cluster: clusterArn, group, since: since.getTime() }).map((r) => decode(r.doc));
  }

  /** A group's unfinished tasks only. */
  unfinishedInGroup(clusterArn: string, group: string): StoredTask[] {
    return this.unfinishedInGroupStmt.all(clusterArn, group).map((r) => decode(r.doc));
  }

  /** A cluster's running and pending tasks, as DescribeClusters counts them. */
  counts(clusterArn: string): { running: number; pending: number } {
    return this.countStmt.get(clusterArn) ?? { running: 0, pending: 0 };
  }

  /** Whether a task of the cluster placed on this capacity provider is not yet STOPPED. */
  unfinishedOnProvider(clusterArn: string, provider: string): boolean {
    return (this.onProviderStmt.get(clusterArn, provider)?.n ?? 0) > 0;
  }

  /** RunTask idempotency: the tasks a client token already started, with the request it came with. */
  clientToken(token: string): { requestHash: string; taskArns: string[] } | undefined {
    const row = this.tokenGetStmt.get(token);
    return row ? { requestHash: row.request_hash, taskArns: JSON.parse(row.task_arns) as string[] } : undefined;
  }

  /** Stores new tasks (and the client token that made them) in one transaction. */
  create(tasks: StoredTask[], token?: { clientToken: string; requestHash: string; now: Date }): void {
    this.db.transaction(() => {
      for (const t of tasks) this.put(t);
      if (token) {
        this.tokenPutStmt.run(token.clientToken, token.requestHash, JSON.stringify(tasks.map((t) => t.taskArn)), token.now.getTime());
      }
    })();
  }
}

export function taskIdOf(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}

function familyOf(taskDefinitionArn: string): string {
  const name = taskDefinitionArn.slice(taskDefinitionArn.lastIndexOf('/') + 1);
  return name.slice(0, name.lastIndexOf(':'));
}

function decode(doc: string): StoredTask {
  const t = JSON.parse(doc) as StoredTask & Record<string, unknown>;
  for (const f of DATE_FIELDS) if (typeof t[f] === 'string') (t as Record<string, unknown>)[f] = new Date(t[f] as string);
  return t;
}
