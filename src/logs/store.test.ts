import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/index.js';
import { openDatabase, type Db } from '../store/index.js';
import { StoreSink, splitMessage } from './sink.js';
import { LogStore } from './store.js';
import { MAX_SEQ } from './tokens.js';

let dir: string;
let db: Db;
let store: LogStore;
let clock: ManualClock;
let sink: StoreSink;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-logs-'));
  db = openDatabase(dir);
  store = new LogStore(db);
  clock = new ManualClock(Date.UTC(2026, 0, 10));
  sink = new StoreSink(store, clock);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 0, 10);

describe('the log sink', () => {
  it('creates groups and streams idempotently and stores batches', () => {
    sink.ensureGroup('/ecs/app');
    sink.ensureGroup('/ecs/app');
    sink.ensureStream('/ecs/app', 'ecs/web/1');
    sink.ensureStream('/ecs/app', 'ecs/web/1');
    expect(sink.append('/ecs/app', 'ecs/web/1', [{ timestamp: T0 + 2, message: 'b' }, { timestamp: T0 + 1, message: 'a' }])).toBe(2);
    expect(sink.lastTimestamp('/ecs/app', 'ecs/web/1')).toBe(T0 + 2);
    const group = store.getGroup('/ecs/app');
    const stream = group && store.getStream(group.id, 'ecs/web/1');
    expect(stream).toMatchObject({ firstEventTimestamp: T0 + 1, lastEventTimestamp: T0 + 2, lastIngestionTime: T0, storedBytes: 2 });
    expect(group?.storedBytes).toBe(2);
  });

  it('needs the group for a stream, recreates a deleted stream and drops batches of a deleted group', () => {
    expect(sink.hasGroup('g')).toBe(false);
    expect(() => sink.ensureStream('g', 's')).toThrow(/log group does not exist/);
    sink.ensureGroup('g');
    expect(sink.append('g', 'never-created', [{ timestamp: T0, message: 'x' }])).toBe(1);
    const g = store.getGroup('g');
    if (!g) throw new Error('group missing');
    store.deleteGroup(g.id);
    expect(sink.append('g', 'never-created', [{ timestamp: T0, message: 'y' }])).toBe(0);
    expect(sink.lastTimestamp('g', 'never-created')).toBeUndefined();
  });

  it('drops empty lines, splits oversized ones and clamps timestamps', () => {
    sink.ensureGroup('g');
    const big = 'é'.repeat(600_000);
    expect(sink.append('g', 's', [{ timestamp: -5, message: '' }, { timestamp: Number.NaN, message: big }])).toBe(2);
    const g = store.getGroup('g');
    const s = g && store.getStream(g.id, 's');
    if (!s) throw new Error('stream missing');
    const rows = [...store.readStream(s.id, { direction: 'forward', cut: { timestamp: 0, seq: 0 }, from: 0, toExclusive: 10 ** 15 })];
    expect(rows.map((r) => r.message).join('')).toBe(big);
    expect(rows.every((r) => r.timestamp === T0)).toBe(true);
    expect(splitMessage('aé', 2)).toEqual(['a', 'é']);
  });
});

describe('reading events', () => {
  it('reads a stream in (timestamp, seq) order both ways from a cut', () => {
    sink.ensureGroup('g');
    sink.append('g', 's', [1, 3, 2, 3].map((t, i) => ({ timestamp: t, message: `m${i}` })));
    const s = store.getStream(store.getGroup('g')?.id ?? 0, 's');
    if (!s) throw new Error('stream missing');
    const all = (direction: 'forward' | 'backward', timestamp: number, seq: number): string[] =>
      [...store.readStream(s.id, { direction, cut: { timestamp, seq }, from: 0, toExclusive: 100 })].map((r) => r.message);
    expect(all('forward', 0, 0)).toEqual(['m0', 'm2', 'm1', 'm3']);
    expect(all('backward', 99, MAX_SEQ)).toEqual(['m3', 'm1', 'm2', 'm0']);
    const m1 = [...store.readStream(s.id, { direction: 'forward', cut: { timestamp: 3, seq: 0 }, from: 0, toExclusive: 100 })][0];
    expect(m1?.message).toBe('m1');
    expect(all('forward', 3, m1?.seq ?? 0)).toEqual(['m3']);
  });

  it('interleaves a group across streams, filtered by names or prefix', () => {
    sink.ensureGroup('g');
    sink.append('g', 'a/1', [{ timestamp: 1, message: 'a1' }, { timestamp: 4, message: 'a4' }]);
    sink.append('g', 'b/1', [{ timestamp: 2, message: 'b2' }]);
    sink.append('g', 'a/2', [{ timestamp: 3, message: 'a3' }]);
    const id = store.getGroup('g')?.id ?? 0;
    const read = (streams: Parameters<LogStore['readGroup']>[2]): string[] =>
      [...store.readGroup(id, { direction: 'forward', cut: { timestamp: 0, seq: 0 }, from: 0, toExclusive: 100 }, streams)].map(
        (r) => `${r.stream}:${r.message}`,
      );
    expect(read(undefined)).toEqual(['a/1:a1', 'b/1:b2', 'a/2:a3', 'a/1:a4']);
    expect(read({ prefix: 'a/' })).toEqual(['a/1:a1', 'a/2:a3', 'a/1:a4']);
    expect(read({ names: ['b/1', 'a/2'] })).toEqual(['b/1:b2', 'a/2:a3']);
  });

  it('uses the indexes for reads (no full scan, no sort)', () => {
    const plan = (sql: string): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1, 0, 0, 0, 100) as { detail: string }[]).map((r) => r.detail).join('; ');
    const stream = plan('SELECT * FROM log_events e WHERE e.stream_id = ? AND (e.timestamp, e.seq) > (?, ?) AND e.timestamp >= ? AND e.timestamp < ? ORDER BY e.timestamp, e.seq');
    expect(stream).toMatch(/USING INDEX log_events_by_stream/);
    expect(stream).not.toMatch(/TEMP B-TREE/);
    const group = plan(
      'SELECT * FROM log_events e CROSS JOIN log_streams s ON s.id = e.stream_id WHERE e.group_id = ? AND (e.timestamp, e.seq) <= (?, ?) AND e.timestamp >= ? AND e.timestamp < ? ORDER BY e.timestamp DESC, e.seq DESC',
    );
    expect(group).toMatch(/USING INDEX log_events_by_group/);
    expect(group).not.toMatch(/TEMP B-TREE/);
  });
});

describe('retention sweep', () => {
  it('deletes events older than the retention and keeps the byte counters right', () => {
    sink.ensureGroup('kept');
    sink.ensureGroup('short');
    const day = 86_400_000;
    const batch = [{ timestamp: T0 - 3 * day, message: 'old' }, { timestamp: T0 - day / 2, message: 'new' }];
    sink.append('kept', 's', batch);
    sink.append('short', 's', batch);
    const short = store.getGroup('short');
    if (!short) throw new Error('group missing');
    store.setRetention(short.id, 1);
    expect(store.sweep(T0)).toBe(1);
    expect(store.getGroup('short')?.storedBytes).toBe(3);
    expect(store.getGroup('kept')?.storedBytes).toBe(6);
    expect(store.getStream(short.id, 's')).toMatchObject({ storedBytes: 3, firstEventTimestamp: T0 - day / 2 });
    expect(store.sweep(T0)).toBe(0);
  });
});
