/**
 * A versioned schema migration, applied in order inside one transaction and recorded
 * in `PRAGMA user_version`. Never edit a released migration; add one.
 *
 * Aggregates are stored as JSON documents (`doc`) with the columns queries filter and
 * sort on beside them. One file per migration, listed in `index.ts`.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
