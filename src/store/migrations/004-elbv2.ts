import type { Migration } from './types.js';

/**
 * Elastic Load Balancing v2: load balancers, listeners, rules, target groups and
 * registered targets. Independent of every other migration (only its own tables,
 * `IF NOT EXISTS`). Tags live in the shared `tags` table by ARN. Target health is not
 * stored: the data plane measures it again after a restart.
 *
 * A listener's default rule is not a row: it is the listener's DefaultActions under the
 * listener's `DefaultRuleArn`. Deleting a load balancer removes its listeners and their
 * rules (ON DELETE CASCADE); deleting a target group removes its registrations.
 */
export const m004: Migration = {
  version: 4,
  name: 'elbv2 load balancers, listeners, rules, target groups, targets',
  sql: `
    CREATE TABLE IF NOT EXISTS elbv2_load_balancers (
      arn        TEXT PRIMARY KEY,
      name       TEXT NOT NULL UNIQUE,
      created_at INTEGER NOT NULL,
      doc        TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS elbv2_listeners (
      arn               TEXT PRIMARY KEY,
      load_balancer_arn TEXT NOT NULL REFERENCES elbv2_load_balancers (arn) ON DELETE CASCADE,
      port              INTEGER NOT NULL,
      doc               TEXT NOT NULL,
      UNIQUE (load_balancer_arn, port)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS elbv2_rules (
      arn          TEXT PRIMARY KEY,
      listener_arn TEXT NOT NULL REFERENCES elbv2_listeners (arn) ON DELETE CASCADE,
      priority     INTEGER NOT NULL,
      doc          TEXT NOT NULL,
      UNIQUE (listener_arn, priority)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS elbv2_target_groups (
      arn  TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      doc  TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS elbv2_targets (
      target_group_arn  TEXT NOT NULL REFERENCES elbv2_target_groups (arn) ON DELETE CASCADE,
      id                TEXT NOT NULL,
      port              INTEGER NOT NULL,
      availability_zone TEXT,
      registered_at     INTEGER NOT NULL,
      PRIMARY KEY (target_group_arn, id, port)
    ) WITHOUT ROWID;
  `,
};
