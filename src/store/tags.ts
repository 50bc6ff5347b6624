import type { Db } from './db.js';

export interface Tag {
  key: string;
  value: string;
}

/** Tags of any resource, by ARN. */
export class TagRepository {
  private readonly selectStmt;
  private readonly upsertStmt;
  private readonly deleteStmt;
  private readonly deleteAllStmt;

  constructor(private readonly db: Db) {
    this.selectStmt = db.prepare<[string], Tag>('SELECT key, value FROM tags WHERE resource_arn = ? ORDER BY key');
    this.upsertStmt = db.prepare<[string, string, string]>(
      'INSERT INTO tags (resource_arn, key, value) VALUES (?, ?, ?) ON CONFLICT (resource_arn, key) DO UPDATE SET value = excluded.value',
    );
    this.deleteStmt = db.prepare<[string, string]>('DELETE FROM tags WHERE resource_arn = ? AND key = ?');
    this.deleteAllStmt = db.prepare<[string]>('DELETE FROM tags WHERE resource_arn = ?');
  }

  list(arn: string): Tag[] {
    return this.selectStmt.all(arn);
  }

  /** Adds or overwrites tags; callers run it inside their transaction when it goes with other writes. */
  put(arn: string, tags: readonly Tag[]): void {
    for (const t of tags) this.upsertStmt.run(arn, t.key, t.value);
  }

  remove(arn: string, keys: readonly string[]): void {
    for (const k of keys) this.deleteStmt.run(arn, k);
  }

  removeAll(arn: string): void {
    this.deleteAllStmt.run(arn);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
