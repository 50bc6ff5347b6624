import type { Migration } from './types.js';

/**
 * Asynchronous EXPRESS executions in flight. AWS runs them at least once and keeps no
 * history of them; Skiff runs them in memory, so each keeps one row here from its start
 * until it ends, and a restart runs what is left again from the start (its input, its
 * definition by hash in `states_definitions`, its seed).
 */
export const m011: Migration = {
  version: 11,
  name: 'step functions asynchronous express executions in flight',
  sql: `
    CREATE TABLE IF NOT EXISTS states_express_pending (
      arn         TEXT PRIMARY KEY,
      machine_arn TEXT NOT NULL,
      name        TEXT NOT NULL,
      start_ms    INTEGER NOT NULL,
      doc         TEXT NOT NULL
    );
  `,
};
