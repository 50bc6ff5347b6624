import type { Migration } from './types.js';

export const m002: Migration = {
  version: 2,
  name: 'ecs tasks and RunTask client tokens',
  sql: `
    CREATE TABLE tasks (
      task_id        TEXT PRIMARY KEY,
      arn            TEXT NOT NULL UNIQUE,
      cluster        TEXT NOT NULL,
      family         TEXT NOT NULL,
      started_by     TEXT,
      task_group     TEXT,
      desired_status TEXT NOT NULL,
      last_status    TEXT NOT NULL,
      created_at     INTEGER NOT NULL,
      doc            TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX tasks_by_cluster ON tasks (cluster, desired_status, arn);
    CREATE INDEX tasks_unfinished ON tasks (last_status) WHERE last_status <> 'STOPPED';
    CREATE TABLE run_task_tokens (
      client_token TEXT PRIMARY KEY,
      request_hash TEXT NOT NULL,
      task_arns    TEXT NOT NULL,
      created_at   INTEGER NOT NULL
    ) WITHOUT ROWID;
  `,
};
