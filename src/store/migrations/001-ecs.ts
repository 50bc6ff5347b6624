import type { Migration } from './types.js';

export const m001: Migration = {
  version: 1,
  name: 'ecs clusters, task definitions, tags',
  sql: `
    CREATE TABLE clusters (
      name       TEXT PRIMARY KEY,
      arn        TEXT NOT NULL UNIQUE,
      status     TEXT NOT NULL,
      doc        TEXT NOT NULL
    );
    CREATE TABLE task_definition_families (
      family        TEXT PRIMARY KEY,
      last_revision INTEGER NOT NULL
    );
    CREATE TABLE task_definitions (
      family        TEXT NOT NULL,
      revision      INTEGER NOT NULL,
      arn           TEXT NOT NULL UNIQUE,
      status        TEXT NOT NULL,
      registered_at INTEGER NOT NULL,
      doc           TEXT NOT NULL,
      PRIMARY KEY (family, revision)
    ) WITHOUT ROWID;
    CREATE INDEX task_definitions_status ON task_definitions (status, family, revision);
    CREATE TABLE tags (
      resource_arn TEXT NOT NULL,
      key          TEXT NOT NULL,
      value        TEXT NOT NULL,
      PRIMARY KEY (resource_arn, key)
    ) WITHOUT ROWID;
  `,
};
