import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';

/**
 * The base of a store that writes its SQL inline: each distinct SQL text is prepared once
 * per database and reused, and `transaction` runs a function in one SQLite transaction.
 */
export abstract class SqlStore {
  private readonly statements = new Map<string, Statement>();

  constructor(readonly db: Db) {}

  protected stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
