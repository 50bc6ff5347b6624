import type { Migration } from './types.js';

/**
 * EventBridge (buses, rules, targets), EventBridge Scheduler (groups, schedules) and
 * their shared durable delivery queue and dead-letter list. Independent of every other
 * migration but 001 (tags live in the shared `tags` table by ARN); `IF NOT EXISTS`
 * throughout so it can be renumbered or re-applied without harm.
 *
 * `next_fire_at` (epoch ms) is the one clock-driven column: the rule and schedule loops
 * select on it, and move it forward in the same transaction that queues the deliveries.
 */
export const m009: Migration = {
  version: 9,
  name: 'eventbridge buses, rules, targets, schedules, delivery queue, dead letters',
  sql: `
    CREATE TABLE IF NOT EXISTS events_buses (
      name       TEXT PRIMARY KEY,
      arn        TEXT NOT NULL UNIQUE,
      created_at INTEGER NOT NULL,
      doc        TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS events_rules (
      arn          TEXT PRIMARY KEY,
      bus          TEXT NOT NULL,
      name         TEXT NOT NULL,
      state        TEXT NOT NULL,
      has_pattern  INTEGER NOT NULL,
      next_fire_at INTEGER,
      doc          TEXT NOT NULL,
      UNIQUE (bus, name)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS events_rules_due ON events_rules (next_fire_at) WHERE next_fire_at IS NOT NULL;
    CREATE TABLE IF NOT EXISTS events_targets (
      rule_arn   TEXT NOT NULL,
      id         TEXT NOT NULL,
      arn        TEXT NOT NULL,
      doc        TEXT NOT NULL,
      PRIMARY KEY (rule_arn, id)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS events_targets_by_arn ON events_targets (arn, rule_arn);
    CREATE TABLE IF NOT EXISTS scheduler_groups (
      name       TEXT PRIMARY KEY,
      arn        TEXT NOT NULL UNIQUE,
      created_at INTEGER NOT NULL,
      doc        TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS scheduler_schedules (
      group_name   TEXT NOT NULL,
      name         TEXT NOT NULL,
      arn          TEXT NOT NULL UNIQUE,
      state        TEXT NOT NULL,
      next_fire_at INTEGER,
      doc          TEXT NOT NULL,
      PRIMARY KEY (group_name, name)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS scheduler_schedules_due ON scheduler_schedules (next_fire_at) WHERE next_fire_at IS NOT NULL;
    CREATE TABLE IF NOT EXISTS events_deliveries (
      seq             INTEGER PRIMARY KEY AUTOINCREMENT,
      id              TEXT NOT NULL UNIQUE,
      next_attempt_at INTEGER NOT NULL,
      doc             TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS events_deliveries_due ON events_deliveries (next_attempt_at, seq);
    CREATE TABLE IF NOT EXISTS events_dead_letters (
      seq             INTEGER PRIMARY KEY AUTOINCREMENT,
      id              TEXT NOT NULL UNIQUE,
      dead_letter_arn TEXT,
      source_arn      TEXT NOT NULL,
      dead_at         INTEGER NOT NULL,
      doc             TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS events_dead_letters_by_queue ON events_dead_letters (dead_letter_arn, seq);
    CREATE TABLE IF NOT EXISTS events_ingested (
      source     TEXT NOT NULL,
      source_id  TEXT NOT NULL,
      at         INTEGER NOT NULL,
      PRIMARY KEY (source, source_id)
    ) WITHOUT ROWID;
  `,
};
