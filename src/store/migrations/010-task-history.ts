import type { Migration } from './types.js';

/**
 * Task queries that stay fast with a long STOPPED history. A task row carries its whole
 * JSON document (~2 KB), so an index that lacks a column a query filters on costs one
 * primary-key lookup into those rows per candidate: ListTasks (filters on family,
 * started_by, task_group), DescribeClusters' counts and a service's unfinished tasks
 * each read every task the cluster ever had. These indexes hold every column the
 * queries read, so the rows are touched only for the documents returned.
 *
 * - `tasks_by_cluster` (cluster, desired_status, arn) gives way to one that also holds
 *   ListTasks' filter columns; paging continues after the last ARN in the index itself.
 * - `tasks_unfinished` (last_status) becomes per cluster and group, still only for tasks
 *   not STOPPED: restart pick-up scans it, cluster counts and a group's unfinished tasks
 *   seek in it.
 */
export const m010: Migration = {
  version: 10,
  name: 'ecs task indexes that cover ListTasks, cluster counts and unfinished tasks',
  sql: `
    DROP INDEX IF EXISTS tasks_by_cluster;
    CREATE INDEX IF NOT EXISTS tasks_listing ON tasks (cluster, desired_status, arn, family, started_by, task_group);
    DROP INDEX IF EXISTS tasks_unfinished;
    CREATE INDEX IF NOT EXISTS tasks_unfinished_by_group ON tasks (cluster, task_group, last_status) WHERE last_status <> 'STOPPED';
  `,
};
