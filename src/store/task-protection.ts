import type { Db } from './db.js';

/** Scale-in protection of tasks: the time (ms) each protection expires. */
export class TaskProtectionRepository {
  private readonly getStmt;
  private readonly putStmt;
  private readonly deleteStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], { expires_at: number }>('SELECT expires_at FROM ecs_task_protection WHERE task_arn = ?');
    this.putStmt = db.prepare<[string, number]>(
      'INSERT INTO ecs_task_protection (task_arn, expires_at) VALUES (?, ?) ON CONFLICT (task_arn) DO UPDATE SET expires_at = excluded.expires_at',
    );
    this.deleteStmt = db.prepare<[string]>('DELETE FROM ecs_task_protection WHERE task_arn = ?');
  }

  /** When the task's protection expires (ms), if it is protected at `now` (ms). */
  protectedUntil(taskArn: string, now: number): number | undefined {
    const expires = this.getStmt.get(taskArn)?.expires_at;
    return expires !== undefined && expires > now ? expires : undefined;
  }

  protect(taskArn: string, until: number): void {
    this.putStmt.run(taskArn, until);
  }

  unprotect(taskArn: string): void {
    this.deleteStmt.run(taskArn);
  }
}
