import type { Migration } from './types.js';

/**
 * ECS task scale-in protection (UpdateTaskProtection): until when a service's task may
 * not be stopped by a scale-in or a deployment. Apart from the task document, so the API
 * and the task runner never overwrite each other's writes.
 */
export const m013: Migration = {
  version: 13,
  name: 'ecs task scale-in protection',
  sql: `
    CREATE TABLE IF NOT EXISTS ecs_task_protection (
      task_arn   TEXT PRIMARY KEY,
      expires_at INTEGER NOT NULL
    ) WITHOUT ROWID;
  `,
};
