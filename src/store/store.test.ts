import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore, migrate, migrations, openDatabase, type StoredTask, type StoredTaskDefinition } from './index.js';

const LATEST = Math.max(...migrations.map((m) => m.version));

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'skiff-store-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const CLUSTER = 'arn:aws:ecs:us-east-1:000000000000:cluster/c';

function task(n: number, o: { family?: string; group?: string; last?: string; desired?: string; createdAt?: number } = {}): StoredTask {
  const id = n.toString(16).padStart(32, '0');
  return {
    taskArn: `arn:aws:ecs:us-east-1:000000000000:task/c/${id}`,
    clusterArn: CLUSTER,
    taskDefinitionArn: `arn:aws:ecs:us-east-1:000000000000:task-definition/${o.family ?? 'a'}:1`,
    group: o.group ?? `family:${o.family ?? 'a'}`,
    lastStatus: o.last ?? 'STOPPED',
    desiredStatus: o.desired ?? 'STOPPED',
    createdAt: new Date(o.createdAt ?? 1_000),
    version: 1,
    runtime: {},
  };
}

function td(family: string, revision: number): StoredTaskDefinition {
  return {
    family,
    revision,
    taskDefinitionArn: `arn:aws:ecs:us-east-1:000000000000:task-definition/${family}:${revision}`,
    status: 'ACTIVE',
    registeredAt: new Date(1_000 * revision),
    containerDefinitions: [],
  };
}

describe('the SQLite store', () => {
  it('opens in WAL mode and records the schema version', () => {
    const db = openDatabase(tempDir());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST);
    db.close();
  });

  it('applies only new migrations, late-numbered ones too, and refuses a newer schema', () => {
    const db = openDatabase(tempDir());
    const again = { version: LATEST, name: 'x', sql: 'this would fail if run again' };
    const extra = { version: LATEST + 2, name: 'y', sql: 'CREATE TABLE extra (a)' };
    migrate(db, [again, extra]);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST + 2);
    // a migration merged later with a lower number than one applied still runs
    migrate(db, [again, { version: LATEST + 1, name: 'late', sql: 'CREATE TABLE late (a)' }, extra]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'late'").get()).toBeDefined();
    expect(() => migrate(db, [{ version: 1, name: 'x', sql: '' }])).toThrow(/newer than this skiff/);
    db.close();
  });

  it('rolls a failed migration back whole', () => {
    const db = openDatabase(tempDir());
    expect(() => migrate(db, [{ version: LATEST + 1, name: 'bad', sql: 'CREATE TABLE t2 (a); SELECT nope FROM missing;' }])).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't2'").get()).toBeUndefined();
    db.close();
  });

  it('numbers revisions per family from 1 and never reuses a number', () => {
    const dir = tempDir();
    const store = createStore(openDatabase(dir));
    const a1 = store.taskDefinitions.register('a', (r) => td('a', r));
    const a2 = store.taskDefinitions.register('a', (r) => td('a', r));
    const b1 = store.taskDefinitions.register('b', (r) => td('b', r));
    expect([a1.revision, a2.revision, b1.revision]).toEqual([1, 2, 1]);
    store.db.prepare("DELETE FROM task_definitions WHERE family = 'a' AND revision = 2").run();
    expect(store.taskDefinitions.register('a', (r) => td('a', r)).revision).toBe(3);
    store.db.close();
    const reopened = createStore(openDatabase(dir));
    expect(reopened.taskDefinitions.get('a', 1)?.registeredAt).toEqual(new Date(1000));
    expect(reopened.taskDefinitions.latestActive('a')?.revision).toBe(3);
    reopened.db.close();
  });

  it('stores nothing of a registration whose follow-up write fails', () => {
    const store = createStore(openDatabase(tempDir()));
    expect(() =>
      store.taskDefinitions.register('a', (r) => td('a', r), () => {
        throw new Error('tag write failed');
      }),
    ).toThrow('tag write failed');
    expect(store.taskDefinitions.list({ status: 'ALL' })).toEqual([]);
    expect(store.taskDefinitions.register('a', (r) => td('a', r)).revision).toBe(1);
    store.db.close();
  });

  it('keeps tags per resource, overwriting by key', () => {
    const store = createStore(openDatabase(tempDir()));
    store.tags.put('arn:x', [{ key: 'b', value: '1' }, { key: 'a', value: '2' }]);
    store.tags.put('arn:x', [{ key: 'b', value: '3' }]);
    store.tags.remove('arn:x', ['a', 'missing']);
    expect(store.tags.list('arn:x')).toEqual([{ key: 'b', value: '3' }]);
    expect(store.tags.list('arn:y')).toEqual([]);
    store.db.close();
  });

  it('pages task ARNs in ARN order with filters, and says when more follow', () => {
    const store = createStore(openDatabase(tempDir()));
    store.tasks.create([5, 1, 4, 2, 3].map((n) => task(n, { family: n % 2 ? 'odd' : 'even' })));
    store.tasks.put(task(6, { last: 'RUNNING', desired: 'RUNNING' }));
    const filter = { cluster: CLUSTER, desiredStatus: 'STOPPED' };
    const first = store.tasks.pageArns(filter, undefined, 2);
    expect(first.arns.map((a) => Number.parseInt(a.slice(-32), 16))).toEqual([1, 2]);
    expect(first.more).toBe(true);
    const rest = store.tasks.pageArns(filter, first.arns[1], 3);
    expect(rest.arns.map((a) => Number.parseInt(a.slice(-32), 16))).toEqual([3, 4, 5]);
    expect(rest.more).toBe(false);
    expect(store.tasks.pageArns({ ...filter, family: 'odd' }, undefined, 10).arns).toHaveLength(3);
    expect(store.tasks.pageArns({ ...filter, desiredStatus: 'RUNNING' }, undefined, 10).arns).toHaveLength(1);
    store.db.close();
  });

  it("finds a group's recent tasks and its older unfinished ones, and counts a cluster's unfinished tasks", () => {
    const store = createStore(openDatabase(tempDir()));
    store.tasks.create([
      task(1, { group: 'service:s', createdAt: 1_000 }),
      task(2, { group: 'service:s', createdAt: 1_000, last: 'RUNNING', desired: 'RUNNING' }),
      task(3, { group: 'service:s', createdAt: 9_000 }),
      task(4, { group: 'service:s', createdAt: 9_000, last: 'PENDING', desired: 'RUNNING' }),
      task(5, { group: 'service:other', createdAt: 9_000, last: 'RUNNING', desired: 'RUNNING' }),
    ]);
    const ids = store.tasks.inGroup(CLUSTER, 'service:s', new Date(5_000)).map((t) => Number.parseInt(t.taskArn.slice(-32), 16));
    expect(ids.sort()).toEqual([2, 3, 4]);
    const live = store.tasks.unfinishedInGroup(CLUSTER, 'service:s').map((t) => Number.parseInt(t.taskArn.slice(-32), 16));
    expect(live.sort()).toEqual([2, 4]);
    expect(store.tasks.counts(CLUSTER)).toEqual({ running: 2, pending: 1 });
    expect(store.tasks.unfinished().map((t) => t.lastStatus).sort()).toEqual(['PENDING', 'RUNNING', 'RUNNING']);
    store.db.close();
  });
});
