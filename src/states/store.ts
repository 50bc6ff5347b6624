import { createHash } from 'node:crypto';
import { SqlStore } from '../store/index.js';
import type { Activation, ExecutionStatus, HistoryEvent } from './engine/index.js';
import { packEvents, unpackEvents } from './packing.js';

/** A state machine as stored: the API's description plus Skiff's bookkeeping. */
export interface MachineDoc {
  name: string;
  arn: string;
  type: 'STANDARD' | 'EXPRESS';
  definition: string;
  roleArn: string;
  description?: string | undefined;
  loggingConfiguration?: unknown;
  tracingConfiguration?: unknown;
  revisionId: string;
  createdAt: number;
  updatedAt: number;
  /** The last published version number, 0 if none. */
  lastVersion: number;
}

export interface VersionDoc {
  version: number;
  definition: string;
  roleArn: string;
  description?: string | undefined;
  revisionId: string;
  createdAt: number;
  type: 'STANDARD' | 'EXPRESS';
  loggingConfiguration?: unknown;
  tracingConfiguration?: unknown;
}

export interface ExecutionRow {
  arn: string;
  machineArn: string;
  name: string;
  status: ExecutionStatus;
  startMs: number;
  stopMs?: number | undefined;
  doc: ExecutionDoc;
}

export interface ExecutionDoc {
  input: string;
  output?: string | undefined;
  error?: string | undefined;
  cause?: string | undefined;
  roleArn: string;
  definitionHash: string;
  /** The version ARN the execution was started with, if any. */
  versionArn?: string | undefined;
  /** The secret seed of the execution's randomness and task tokens. */
  seed: string;
}

/** A task handed to a worker (activity) or an integration. */
export interface TaskRow {
  id: string;
  executionArn: string;
  key: string;
  token?: string | undefined;
  service: string;
  activityArn?: string | undefined;
  status: 'SCHEDULED' | 'STARTED' | 'DONE' | 'TIMED_OUT' | 'CANCELLED';
  ref?: string | undefined;
  createdMs: number;
  doc: TaskDoc;
}

export interface TaskDoc {
  resource: string;
  action: string;
  pattern: string;
  state: string;
  input: string;
  worker?: string | undefined;
  timeoutSeconds?: number | undefined;
  heartbeatSeconds?: number | undefined;
}

interface RawTask {
  id: string;
  execution_arn: string;
  task_key: string;
  token: string | null;
  service: string;
  activity_arn: string | null;
  status: TaskRow['status'];
  ref: string | null;
  created_ms: number;
  doc: string;
}

function taskOf(r: RawTask): TaskRow {
  return {
    id: r.id, executionArn: r.execution_arn, key: r.task_key, token: r.token ?? undefined, service: r.service,
    activityArn: r.activity_arn ?? undefined, status: r.status, ref: r.ref ?? undefined, createdMs: r.created_ms, doc: JSON.parse(r.doc) as TaskDoc,
  };
}

interface RawExecution {
  arn: string;
  machine_arn: string;
  name: string;
  status: ExecutionStatus;
  start_ms: number;
  stop_ms: number | null;
  doc: string;
  seq: number;
}

function executionOf(r: RawExecution): ExecutionRow & { seq: number } {
  return {
    arn: r.arn, machineArn: r.machine_arn, name: r.name, status: r.status, startMs: r.start_ms, stopMs: r.stop_ms ?? undefined,
    doc: JSON.parse(r.doc) as ExecutionDoc, seq: r.seq,
  };
}

export function definitionHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Every SQL statement of Step Functions. Writes that belong together (an activation,
 * the events it produced and the timers/tasks it changed) run in one transaction the
 * runtime opens.
 */
export class StatesStore extends SqlStore {
  // ---- state machines ----

  getMachine(arn: string): MachineDoc | undefined {
    const r = this.stmt('SELECT doc FROM states_machines WHERE arn = ?').get(arn) as { doc: string } | undefined;
    return r ? (JSON.parse(r.doc) as MachineDoc) : undefined;
  }

  insertMachine(m: MachineDoc): boolean {
    const r = this.stmt('INSERT INTO states_machines (arn, name, type, created_at, doc) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(m.arn, m.name, m.type, m.createdAt, JSON.stringify(m));
    return r.changes > 0;
  }

  updateMachine(m: MachineDoc): void {
    this.stmt('UPDATE states_machines SET doc = ? WHERE arn = ?').run(JSON.stringify(m), m.arn);
  }

  deleteMachine(arn: string): void {
    this.stmt('DELETE FROM states_machines WHERE arn = ?').run(arn);
    this.stmt('DELETE FROM states_machine_versions WHERE machine_arn = ?').run(arn);
  }

  listMachines(after: string | undefined, limit: number): MachineDoc[] {
    const rows = this.stmt('SELECT doc FROM states_machines WHERE name > ? ORDER BY name LIMIT ?').all(after ?? '', limit) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as MachineDoc);
  }

  putVersion(machineArn: string, v: VersionDoc): void {
    this.stmt('INSERT INTO states_machine_versions (machine_arn, version, created_at, doc) VALUES (?, ?, ?, ?)')
      .run(machineArn, v.version, v.createdAt, JSON.stringify(v));
  }

  getVersion(machineArn: string, version: number): VersionDoc | undefined {
    const r = this.stmt('SELECT doc FROM states_machine_versions WHERE machine_arn = ? AND version = ?').get(machineArn, version) as { doc: string } | undefined;
    return r ? (JSON.parse(r.doc) as VersionDoc) : undefined;
  }

  listVersions(machineArn: string): VersionDoc[] {
    const rows = this.stmt('SELECT doc FROM states_machine_versions WHERE machine_arn = ? ORDER BY version DESC').all(machineArn) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as VersionDoc);
  }

  deleteVersion(machineArn: string, version: number): void {
    this.stmt('DELETE FROM states_machine_versions WHERE machine_arn = ? AND version = ?').run(machineArn, version);
  }

  putDefinition(text: string): string {
    const hash = definitionHash(text);
    this.stmt('INSERT INTO states_definitions (hash, text) VALUES (?, ?) ON CONFLICT DO NOTHING').run(hash, text);
    return hash;
  }

  getDefinition(hash: string): string | undefined {
    return (this.stmt('SELECT text FROM states_definitions WHERE hash = ?').get(hash) as { text: string } | undefined)?.text;
  }

  // ---- activities ----

  insertActivity(arn: string, name: string, createdAt: number): boolean {
    return this.stmt('INSERT INTO states_activities (arn, name, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(arn, name, createdAt).changes > 0;
  }

  getActivity(arn: string): { arn: string; name: string; createdAt: number } | undefined {
    return this.stmt('SELECT arn, name, created_at AS createdAt FROM states_activities WHERE arn = ?').get(arn) as
      | { arn: string; name: string; createdAt: number }
      | undefined;
  }

  deleteActivity(arn: string): void {
    this.stmt('DELETE FROM states_activities WHERE arn = ?').run(arn);
  }

  listActivities(after: string | undefined, limit: number): { arn: string; name: string; createdAt: number }[] {
    return this.stmt('SELECT arn, name, created_at AS createdAt FROM states_activities WHERE name > ? ORDER BY name LIMIT ?').all(after ?? '', limit) as {
      arn: string;
      name: string;
      createdAt: number;
    }[];
  }

  // ---- executions ----

  insertExecution(e: ExecutionRow): void {
    this.stmt('INSERT INTO states_executions (arn, machine_arn, name, status, start_ms, stop_ms, doc) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(e.arn, e.machineArn, e.name, e.status, e.startMs, e.stopMs ?? null, JSON.stringify(e.doc));
  }

  getExecution(arn: string): (ExecutionRow & { seq: number }) | undefined {
    const r = this.stmt('SELECT * FROM states_executions WHERE arn = ?').get(arn) as RawExecution | undefined;
    return r ? executionOf(r) : undefined;
  }

  finishExecution(arn: string, status: ExecutionStatus, stopMs: number, doc: ExecutionDoc): void {
    this.stmt('UPDATE states_executions SET status = ?, stop_ms = ?, doc = ? WHERE arn = ?').run(status, stopMs, JSON.stringify(doc), arn);
  }

  /** Newest first, continuing strictly before `beforeSeq`. */
  listExecutions(machineArn: string, status: string | undefined, beforeSeq: number | undefined, limit: number, versionArn?: string): (ExecutionRow & { seq: number })[] {
    const rows = this.stmt(
      `SELECT * FROM states_executions WHERE machine_arn = ? AND (? IS NULL OR status = ?) AND seq < ?
       AND (? IS NULL OR json_extract(doc, '$.versionArn') = ?) ORDER BY seq DESC LIMIT ?`,
    ).all(machineArn, status ?? null, status ?? null, beforeSeq ?? Number.MAX_SAFE_INTEGER, versionArn ?? null, versionArn ?? null, limit) as RawExecution[];
    return rows.map(executionOf);
  }

  runningExecutions(): (ExecutionRow & { seq: number })[] {
    return (this.stmt("SELECT * FROM states_executions WHERE status = 'RUNNING' ORDER BY seq").all() as RawExecution[]).map(executionOf);
  }

  // ---- asynchronous EXPRESS executions in flight (run again from the start after a restart) ----

  putExpressPending(e: Omit<ExecutionRow, 'status' | 'stopMs'>): void {
    this.stmt('INSERT OR REPLACE INTO states_express_pending (arn, machine_arn, name, start_ms, doc) VALUES (?, ?, ?, ?, ?)')
      .run(e.arn, e.machineArn, e.name, e.startMs, JSON.stringify(e.doc));
  }

  deleteExpressPending(arn: string): void {
    this.stmt('DELETE FROM states_express_pending WHERE arn = ?').run(arn);
  }

  expressPending(): Omit<ExecutionRow, 'status' | 'stopMs'>[] {
    const rows = this.stmt('SELECT arn, machine_arn, name, start_ms, doc FROM states_express_pending ORDER BY start_ms').all() as Array<{
      arn: string;
      machine_arn: string;
      name: string;
      start_ms: number;
      doc: string;
    }>;
    return rows.map((r) => ({ arn: r.arn, machineArn: r.machine_arn, name: r.name, startMs: r.start_ms, doc: JSON.parse(r.doc) as ExecutionDoc }));
  }

  countRunning(machineArn: string): number {
    return (this.stmt("SELECT count(*) AS n FROM states_executions WHERE machine_arn = ? AND status = 'RUNNING'").get(machineArn) as { n: number }).n;
  }

  // ---- activations and history ----

  appendActivation(arn: string, seq: number, act: Activation): void {
    this.stmt('INSERT INTO states_activations (execution_arn, seq, doc) VALUES (?, ?, ?)').run(arn, seq, JSON.stringify(act));
  }

  activations(arn: string): Activation[] {
    const rows = this.stmt('SELECT doc FROM states_activations WHERE execution_arn = ? ORDER BY seq').all(arn) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as Activation);
  }

  /** Writes a step's events (consecutive ids), packed into a few rows (see packing.ts). */
  appendEvents(arn: string, events: readonly HistoryEvent[]): void {
    const s = this.stmt('INSERT INTO states_history (execution_arn, id, doc) VALUES (?, ?, ?)');
    for (const [lastId, text] of packEvents(events)) s.run(arn, lastId, text);
  }

  /** Events after `afterId` (ascending) or before it (descending). */
  history(arn: string, afterId: number, descending: boolean, limit: number): HistoryEvent[] {
    const out: HistoryEvent[] = [];
    if (limit <= 0) return out;
    // a row holds the events up to its key; descending, the row holding `afterId - 1` may have a key above it
    const sql = descending
      ? `SELECT doc FROM states_history WHERE execution_arn = @arn
           AND id <= coalesce((SELECT min(id) FROM states_history WHERE execution_arn = @arn AND id >= @id - 1), @id) ORDER BY id DESC`
      : 'SELECT doc FROM states_history WHERE execution_arn = @arn AND id > @id ORDER BY id';
    for (const r of this.stmt(sql).iterate({ arn, id: afterId }) as IterableIterator<{ doc: string }>) {
      const events = unpackEvents(r.doc);
      if (descending) events.reverse();
      for (const e of events) {
        if (descending ? e.id >= afterId : e.id <= afterId) continue;
        out.push(e);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  /** The id of the last stored event of an execution, 0 if none. */
  lastEventId(arn: string): number {
    return (this.stmt('SELECT max(id) AS id FROM states_history WHERE execution_arn = ?').get(arn) as { id: number | null }).id ?? 0;
  }

  // ---- timers ----

  putTimer(arn: string, key: string, dueMs: number): void {
    this.stmt('INSERT INTO states_timers (execution_arn, key, due_ms) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET due_ms = excluded.due_ms').run(arn, key, dueMs);
  }

  deleteTimer(arn: string, key: string): void {
    this.stmt('DELETE FROM states_timers WHERE execution_arn = ? AND key = ?').run(arn, key);
  }

  timers(arn: string): { key: string; dueMs: number }[] {
    return this.stmt('SELECT key, due_ms AS dueMs FROM states_timers WHERE execution_arn = ?').all(arn) as { key: string; dueMs: number }[];
  }

  // ---- tasks ----

  insertTask(t: TaskRow): void {
    this.stmt(
      `INSERT INTO states_tasks (id, execution_arn, task_key, token, service, activity_arn, status, ref, created_ms, doc)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(t.id, t.executionArn, t.key, t.token ?? null, t.service, t.activityArn ?? null, t.status, t.ref ?? null, t.createdMs, JSON.stringify(t.doc));
  }

  taskByKey(arn: string, key: string): TaskRow | undefined {
    const r = this.stmt('SELECT * FROM states_tasks WHERE execution_arn = ? AND task_key = ?').get(arn, key) as RawTask | undefined;
    return r ? taskOf(r) : undefined;
  }

  taskByToken(token: string): TaskRow | undefined {
    const r = this.stmt('SELECT * FROM states_tasks WHERE token = ?').get(token) as RawTask | undefined;
    return r ? taskOf(r) : undefined;
  }

  tasksByRef(ref: string): TaskRow[] {
    return (this.stmt("SELECT * FROM states_tasks WHERE ref = ? AND status IN ('SCHEDULED', 'STARTED')").all(ref) as RawTask[]).map(taskOf);
  }

  openTasks(): TaskRow[] {
    return (this.stmt("SELECT * FROM states_tasks WHERE status IN ('SCHEDULED', 'STARTED') ORDER BY created_ms").all() as RawTask[]).map(taskOf);
  }

  setTaskStatus(arn: string, key: string, status: TaskRow['status']): void {
    this.stmt('UPDATE states_tasks SET status = ? WHERE execution_arn = ? AND task_key = ?').run(status, arn, key);
  }

  setTaskRef(arn: string, key: string, ref: string): void {
    this.stmt('UPDATE states_tasks SET ref = ? WHERE execution_arn = ? AND task_key = ?').run(ref, arn, key);
  }

  /** Claims the oldest queued task of an activity for a worker; undefined when none. */
  claimActivityTask(activityArn: string, worker: string | undefined): TaskRow | undefined {
    return this.transaction(() => {
      const r = this.stmt("SELECT * FROM states_tasks WHERE activity_arn = ? AND status = 'SCHEDULED' ORDER BY created_ms LIMIT 1").get(activityArn) as RawTask | undefined;
      if (!r) return undefined;
      const t = taskOf(r);
      t.doc.worker = worker;
      t.status = 'STARTED';
      this.stmt("UPDATE states_tasks SET status = 'STARTED', doc = ? WHERE id = ?").run(JSON.stringify(t.doc), t.id);
      return t;
    });
  }
}
