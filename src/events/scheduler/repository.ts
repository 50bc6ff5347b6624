import type { Db } from '../../store/index.js';
import type { StoredGroup, StoredSchedule } from './model.js';

interface Doc {
  doc: string;
}

/** Scheduler groups and schedules in SQLite. Callers own the transactions. */
export class SchedulerRepository {
  private readonly s;

  constructor(readonly db: Db) {
    this.s = {
      putGroup: db.prepare<[string, string, number, string]>(
        'INSERT INTO scheduler_groups (name, arn, created_at, doc) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET doc = excluded.doc',
      ),
      getGroup: db.prepare<[string], Doc>('SELECT doc FROM scheduler_groups WHERE name = ?'),
      listGroups: db.prepare<[], Doc>('SELECT doc FROM scheduler_groups ORDER BY name'),
      deleteGroup: db.prepare<[string]>('DELETE FROM scheduler_groups WHERE name = ?'),
      putSchedule: db.prepare<[string, string, string, string, number | null, string]>(
        `INSERT INTO scheduler_schedules (group_name, name, arn, state, next_fire_at, doc) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (group_name, name) DO UPDATE SET state = excluded.state, next_fire_at = excluded.next_fire_at, doc = excluded.doc`,
      ),
      getSchedule: db.prepare<[string, string], Doc & { next_fire_at: number | null }>(
        'SELECT doc, next_fire_at FROM scheduler_schedules WHERE group_name = ? AND name = ?',
      ),
      listSchedules: db.prepare<[], Doc>('SELECT doc FROM scheduler_schedules ORDER BY group_name, name'),
      deleteSchedule: db.prepare<[string, string]>('DELETE FROM scheduler_schedules WHERE group_name = ? AND name = ?'),
      deleteGroupSchedules: db.prepare<[string]>('DELETE FROM scheduler_schedules WHERE group_name = ?'),
      due: db.prepare<[number], Doc & { next_fire_at: number }>(
        'SELECT doc, next_fire_at FROM scheduler_schedules WHERE next_fire_at IS NOT NULL AND next_fire_at <= ? ORDER BY next_fire_at',
      ),
      setNext: db.prepare<[number | null, string, string]>('UPDATE scheduler_schedules SET next_fire_at = ? WHERE group_name = ? AND name = ?'),
    };
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  putGroup(g: StoredGroup): void {
    this.s.putGroup.run(g.Name, g.Arn, g.CreationDate, JSON.stringify(g));
  }

  getGroup(name: string): StoredGroup | undefined {
    const row = this.s.getGroup.get(name);
    return row ? (JSON.parse(row.doc) as StoredGroup) : undefined;
  }

  listGroups(): StoredGroup[] {
    return this.s.listGroups.all().map((r) => JSON.parse(r.doc) as StoredGroup);
  }

  deleteGroup(name: string): void {
    this.s.deleteGroupSchedules.run(name);
    this.s.deleteGroup.run(name);
  }

  putSchedule(s: StoredSchedule, nextFireAt: number | undefined): void {
    this.s.putSchedule.run(s.GroupName, s.Name, s.Arn, s.State, nextFireAt ?? null, JSON.stringify(s));
  }

  getSchedule(group: string, name: string): { schedule: StoredSchedule; nextFireAt: number | undefined } | undefined {
    const row = this.s.getSchedule.get(group, name);
    return row ? { schedule: JSON.parse(row.doc) as StoredSchedule, nextFireAt: row.next_fire_at ?? undefined } : undefined;
  }

  listSchedules(): StoredSchedule[] {
    return this.s.listSchedules.all().map((r) => JSON.parse(r.doc) as StoredSchedule);
  }

  deleteSchedule(group: string, name: string): boolean {
    return this.s.deleteSchedule.run(group, name).changes > 0;
  }

  due(now: number): { schedule: StoredSchedule; dueAt: number }[] {
    return this.s.due.all(now).map((r) => ({ schedule: JSON.parse(r.doc) as StoredSchedule, dueAt: r.next_fire_at }));
  }

  setNext(group: string, name: string, at: number | undefined): void {
    this.s.setNext.run(at ?? null, group, name);
  }
}
