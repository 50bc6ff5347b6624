import type { Migration } from './types.js';

/**
 * CloudWatch Logs: groups, streams and events. Independent of every other migration
 * (it only creates its own tables, `IF NOT EXISTS`), so it can be renumbered or
 * re-applied without harm. Log group tags live in the shared `tags` table by ARN.
 *
 * Events carry an AUTOINCREMENT `seq` so ids never repeat after deletes: tokens and
 * eventIds are built from (timestamp, seq) and must stay unique for a data directory's
 * life. Groups and streams have integer ids so events do not repeat their names.
 */
export const m003: Migration = {
  version: 3,
  name: 'cloudwatch logs groups, streams, events',
  sql: `
    CREATE TABLE IF NOT EXISTS log_groups (
      id               INTEGER PRIMARY KEY,
      name             TEXT NOT NULL UNIQUE,
      creation_time    INTEGER NOT NULL,
      retention_days   INTEGER,
      log_group_class  TEXT NOT NULL DEFAULT 'STANDARD',
      kms_key_id       TEXT,
      stored_bytes     INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS log_streams (
      id                    INTEGER PRIMARY KEY,
      group_id              INTEGER NOT NULL REFERENCES log_groups (id) ON DELETE CASCADE,
      name                  TEXT NOT NULL,
      creation_time         INTEGER NOT NULL,
      first_event_timestamp INTEGER,
      last_event_timestamp  INTEGER,
      last_ingestion_time   INTEGER,
      upload_sequence_token TEXT,
      stored_bytes          INTEGER NOT NULL DEFAULT 0,
      UNIQUE (group_id, name)
    );
    CREATE TABLE IF NOT EXISTS log_events (
      seq            INTEGER PRIMARY KEY AUTOINCREMENT,
      group_id       INTEGER NOT NULL,
      stream_id      INTEGER NOT NULL REFERENCES log_streams (id) ON DELETE CASCADE,
      timestamp      INTEGER NOT NULL,
      ingestion_time INTEGER NOT NULL,
      message        TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS log_events_by_stream ON log_events (stream_id, timestamp, seq);
    CREATE INDEX IF NOT EXISTS log_events_by_group ON log_events (group_id, timestamp, seq);
  `,
};
