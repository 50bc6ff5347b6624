import type { Migration } from './types.js';

export const m005: Migration = {
  version: 5,
  name: 'ecs services',
  sql: `
    CREATE TABLE IF NOT EXISTS services (
      arn        TEXT PRIMARY KEY,
      cluster    TEXT NOT NULL,
      name       TEXT NOT NULL,
      status     TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      doc        TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS services_by_cluster ON services (cluster, status, arn);
    CREATE INDEX IF NOT EXISTS tasks_by_group ON tasks (cluster, task_group, created_at);
  `,
};
