import type { Migration } from './types.js';

/**
 * The S3-compatible object store: buckets, objects, multipart uploads and parts, and
 * the outbox of object events. Independent of every other migration (only its own
 * tables, `IF NOT EXISTS`).
 *
 * Object bytes live in files under `<dataDir>/s3/blobs/`, named by content-independent
 * ids; a row lists its blobs in `segments` (one for a PUT, one per part for a completed
 * multipart upload). Keys are TEXT compared with SQLite's BINARY collation, i.e. in
 * UTF-8 byte order, which is the order S3 lists keys in. `s3_outbox.id` is
 * AUTOINCREMENT so a sequencer is never reused after events are acknowledged.
 */
export const m007: Migration = {
  version: 7,
  name: 's3 buckets, objects, multipart uploads, event outbox',
  sql: `
    CREATE TABLE IF NOT EXISTS s3_buckets (
      name          TEXT PRIMARY KEY,
      region        TEXT NOT NULL,
      created_at    INTEGER NOT NULL,
      notification  TEXT,
      eventbridge   INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS s3_objects (
      bucket        TEXT NOT NULL REFERENCES s3_buckets (name),
      key           TEXT NOT NULL,
      size          INTEGER NOT NULL,
      etag          TEXT NOT NULL,
      last_modified INTEGER NOT NULL,
      headers       TEXT NOT NULL,
      checksum      TEXT,
      segments      TEXT NOT NULL,
      PRIMARY KEY (bucket, key)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS s3_uploads (
      upload_id     TEXT PRIMARY KEY,
      bucket        TEXT NOT NULL REFERENCES s3_buckets (name),
      key           TEXT NOT NULL,
      initiated     INTEGER NOT NULL,
      headers       TEXT NOT NULL,
      checksum_algo TEXT
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS s3_uploads_by_key ON s3_uploads (bucket, key, initiated, upload_id);
    CREATE TABLE IF NOT EXISTS s3_parts (
      upload_id     TEXT NOT NULL REFERENCES s3_uploads (upload_id),
      part_number   INTEGER NOT NULL,
      size          INTEGER NOT NULL,
      md5           TEXT NOT NULL,
      last_modified INTEGER NOT NULL,
      checksum      TEXT,
      blob          TEXT NOT NULL,
      PRIMARY KEY (upload_id, part_number)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS s3_outbox (
      id            INTEGER PRIMARY KEY AUTOINCREMENT,
      created_at    INTEGER NOT NULL,
      event         TEXT NOT NULL
    );
  `,
};
