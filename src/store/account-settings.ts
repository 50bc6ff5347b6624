import type { Db } from './db.js';

/** The principal under which the account's defaults are kept. */
export const ACCOUNT_DEFAULT = 'default';

/** ECS account settings: a value per principal ARN (or ACCOUNT_DEFAULT) and setting name. */
export class AccountSettingRepository {
  private readonly getStmt;
  private readonly putStmt;
  private readonly deleteStmt;
  private readonly listStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string, string], { value: string }>('SELECT value FROM ecs_account_settings WHERE principal = ? AND name = ?');
    this.putStmt = db.prepare<[string, string, string]>(
      'INSERT INTO ecs_account_settings (principal, name, value) VALUES (?, ?, ?) ON CONFLICT (principal, name) DO UPDATE SET value = excluded.value',
    );
    this.deleteStmt = db.prepare<[string, string]>('DELETE FROM ecs_account_settings WHERE principal = ? AND name = ?');
    this.listStmt = db.prepare<[string], { name: string; value: string }>('SELECT name, value FROM ecs_account_settings WHERE principal = ? ORDER BY name');
  }

  get(principal: string, name: string): string | undefined {
    return this.getStmt.get(principal, name)?.value;
  }

  put(principal: string, name: string, value: string): void {
    this.putStmt.run(principal, name, value);
  }

  /** Whether there was a value to delete. */
  delete(principal: string, name: string): boolean {
    return this.deleteStmt.run(principal, name).changes > 0;
  }

  /** A principal's own values, by name. */
  list(principal: string): Array<{ name: string; value: string }> {
    return this.listStmt.all(principal);
  }
}
