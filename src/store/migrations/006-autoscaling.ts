import type { Migration } from './types.js';

/**
 * Application Auto Scaling: scalable targets, their policies, scheduled actions,
 * scaling activities and per-target evaluation state (datapoints, cooldowns).
 * Independent of every other migration (only its own tables, `IF NOT EXISTS`).
 * Target tags live in the shared `tags` table by the target's ARN.
 *
 * Policies, scheduled actions and state go with their target (ON DELETE CASCADE);
 * activities outlive it, as AWS keeps them describable, and are trimmed per target.
 */
export const m006: Migration = {
  version: 6,
  name: 'application auto scaling targets, policies, scheduled actions, activities',
  sql: `
    CREATE TABLE IF NOT EXISTS autoscaling_targets (
      target_key   TEXT PRIMARY KEY,
      namespace    TEXT NOT NULL,
      resource_id  TEXT NOT NULL,
      dimension    TEXT NOT NULL,
      arn          TEXT NOT NULL UNIQUE,
      doc          TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS autoscaling_targets_by_namespace ON autoscaling_targets (namespace, resource_id, dimension);
    CREATE TABLE IF NOT EXISTS autoscaling_policies (
      target_key TEXT NOT NULL REFERENCES autoscaling_targets (target_key) ON DELETE CASCADE,
      name       TEXT NOT NULL,
      doc        TEXT NOT NULL,
      PRIMARY KEY (target_key, name)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS autoscaling_scheduled_actions (
      target_key TEXT NOT NULL REFERENCES autoscaling_targets (target_key) ON DELETE CASCADE,
      name       TEXT NOT NULL,
      doc        TEXT NOT NULL,
      PRIMARY KEY (target_key, name)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS autoscaling_state (
      target_key TEXT PRIMARY KEY REFERENCES autoscaling_targets (target_key) ON DELETE CASCADE,
      doc        TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS autoscaling_activities (
      seq         INTEGER PRIMARY KEY AUTOINCREMENT,
      activity_id TEXT NOT NULL UNIQUE,
      target_key  TEXT NOT NULL,
      namespace   TEXT NOT NULL,
      resource_id TEXT NOT NULL,
      dimension   TEXT NOT NULL,
      status      TEXT NOT NULL,
      not_scaled  INTEGER NOT NULL,
      doc         TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS autoscaling_activities_by_target ON autoscaling_activities (target_key, seq);
    CREATE INDEX IF NOT EXISTS autoscaling_activities_by_namespace ON autoscaling_activities (namespace, seq);
    CREATE INDEX IF NOT EXISTS autoscaling_activities_open ON autoscaling_activities (target_key) WHERE status = 'InProgress';
  `,
};
