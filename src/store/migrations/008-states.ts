import type { Migration } from './types.js';

/**
 * Step Functions: state machines (and their published versions), activities, and
 * executions with everything needed to resume them after a restart: the activations
 * the engine consumed (replayed to rebuild its state), the history it recorded, armed
 * timers with their deadlines, and tasks handed to workers or integrations (with the
 * task token, and the integration's own reference such as an ECS task ARN).
 * Independent of every other migration but 001 (tags live in the shared `tags` table).
 */
export const m008: Migration = {
  version: 8,
  name: 'step functions state machines, activities, executions',
  sql: `
    CREATE TABLE IF NOT EXISTS states_machines (
      arn         TEXT PRIMARY KEY,
      name        TEXT NOT NULL UNIQUE,
      type        TEXT NOT NULL,
      created_at  INTEGER NOT NULL,
      doc         TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS states_machine_versions (
      machine_arn TEXT NOT NULL,
      version     INTEGER NOT NULL,
      created_at  INTEGER NOT NULL,
      doc         TEXT NOT NULL,
      PRIMARY KEY (machine_arn, version)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS states_definitions (
      hash        TEXT PRIMARY KEY,
      text        TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS states_activities (
      arn         TEXT PRIMARY KEY,
      name        TEXT NOT NULL UNIQUE,
      created_at  INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS states_executions (
      seq         INTEGER PRIMARY KEY AUTOINCREMENT,
      arn         TEXT NOT NULL UNIQUE,
      machine_arn TEXT NOT NULL,
      name        TEXT NOT NULL,
      status      TEXT NOT NULL,
      start_ms    INTEGER NOT NULL,
      stop_ms     INTEGER,
      doc         TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS states_executions_by_machine ON states_executions (machine_arn, seq);
    CREATE INDEX IF NOT EXISTS states_executions_running ON states_executions (status) WHERE status = 'RUNNING';
    CREATE TABLE IF NOT EXISTS states_activations (
      execution_arn TEXT NOT NULL,
      seq           INTEGER NOT NULL,
      doc           TEXT NOT NULL,
      PRIMARY KEY (execution_arn, seq)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS states_history (
      execution_arn TEXT NOT NULL,
      id            INTEGER NOT NULL,
      doc           TEXT NOT NULL,
      PRIMARY KEY (execution_arn, id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS states_timers (
      execution_arn TEXT NOT NULL,
      key           TEXT NOT NULL,
      due_ms        INTEGER NOT NULL,
      PRIMARY KEY (execution_arn, key)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS states_tasks (
      id            TEXT PRIMARY KEY,
      execution_arn TEXT NOT NULL,
      task_key      TEXT NOT NULL,
      token         TEXT UNIQUE,
      service       TEXT NOT NULL,
      activity_arn  TEXT,
      status        TEXT NOT NULL,
      ref           TEXT,
      created_ms    INTEGER NOT NULL,
      doc           TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS states_tasks_queued ON states_tasks (activity_arn, status, created_ms);
    CREATE INDEX IF NOT EXISTS states_tasks_open ON states_tasks (status) WHERE status IN ('SCHEDULED', 'STARTED');
    CREATE INDEX IF NOT EXISTS states_tasks_by_ref ON states_tasks (ref) WHERE ref IS NOT NULL;
  `,
};
