import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/index.js';
import type { HistoryEvent } from './engine/index.js';
import { PACK_LIMIT, packEvents, unpackEvents } from './packing.js';
import { StatesStore } from './store.js';

const AT = 1_700_000_000_000;

function events(from: number, n: number, at = AT): HistoryEvent[] {
  return Array.from({ length: n }, (_, i): HistoryEvent => {
    const id = from + i;
    return id % 2
      ? { id, previousEventId: id - 1, timestamp: at, type: 'PassStateEntered', detailsKey: 'stateEnteredEventDetails', details: { name: `S${id}`, input: '{"n":1}', inputDetails: { truncated: false } } }
      : { id, previousEventId: id - 1, timestamp: at, type: 'PassStateExited', detailsKey: 'stateExitedEventDetails', details: { name: `S${id}`, output: '{"n":1}', outputDetails: { truncated: false } } };
  });
}

describe('history packing', () => {
  it('round-trips every shape of event', () => {
    const odd: HistoryEvent[] = [
      { id: 1, previousEventId: 0, timestamp: AT, type: 'ExecutionStarted', detailsKey: 'executionStartedEventDetails', details: { input: '{}', roleArn: 'r' } },
      { id: 2, previousEventId: 1, timestamp: AT, type: 'MapStateStarted', detailsKey: 'mapStateStartedEventDetails', details: { length: 2 } },
      { id: 3, previousEventId: 2, timestamp: AT, type: 'ParallelStateStarted' },
      { id: 4, previousEventId: 2, timestamp: AT, type: 'MapIterationStarted', detailsKey: 'mapIterationStartedEventDetails', details: { name: 'M', index: 1 } },
      { id: 5, previousEventId: 3, timestamp: AT, type: 'MapStateSucceeded' },
      { id: 6, previousEventId: 5, timestamp: AT, type: 'Custom', detailsKey: 'otherKey', details: {} },
      { id: 7, previousEventId: 1, timestamp: AT, type: 'Custom', details: { a: 1 } },
      { id: 8, previousEventId: 7, timestamp: AT, type: 'TaskStateEntered', detailsKey: 'stateEnteredEventDetails', details: { name: 'T' } },
    ];
    const rows = packEvents(odd);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.[0]).toBe(8);
    expect(unpackEvents(rows[0]?.[1] ?? '')).toEqual(odd);
  });

  it('starts a new row at PACK_LIMIT events, a new timestamp or a gap in ids', () => {
    const list = [...events(1, PACK_LIMIT + 3), ...events(PACK_LIMIT + 4, 2, AT + 5), ...events(PACK_LIMIT + 10, 1, AT + 5)];
    const rows = packEvents(list);
    expect(rows.map(([key]) => key)).toEqual([PACK_LIMIT, PACK_LIMIT + 3, PACK_LIMIT + 5, PACK_LIMIT + 10]);
    expect(rows.flatMap(([, text]) => unpackEvents(text))).toEqual(list);
  });

  it('reads rows written one event per row', () => {
    const [e] = events(1, 1);
    expect(unpackEvents(JSON.stringify(e))).toEqual([e]);
  });
});

describe('StatesStore.history over packed rows', () => {
  let dir: string;
  let db: Db;
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pages forwards and backwards from any event, as one event per row did', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-states-packing-'));
    db = openDatabase(dir);
    const store = new StatesStore(db);
    const all = [...events(1, 7), ...events(8, 250, AT + 1), ...events(258, 3, AT + 2)];
    store.transaction(() => {
      store.appendEvents('x', all.slice(0, 7));
      store.appendEvents('x', all.slice(7, 257));
      store.appendEvents('x', all.slice(257));
      store.appendEvents('other', events(1, 20));
    });
    const ids = (list: HistoryEvent[]): number[] => list.map((e) => e.id);
    const range = (from: number, to: number): number[] => Array.from({ length: Math.abs(to - from) + 1 }, (_, i) => (from < to ? from + i : from - i));
    expect(store.lastEventId('x')).toBe(260);
    expect(store.lastEventId('nothing')).toBe(0);
    expect(ids(store.history('x', 0, false, 1000))).toEqual(range(1, 260));
    expect(ids(store.history('x', Number.MAX_SAFE_INTEGER, true, 1000))).toEqual(range(260, 1));
    for (const from of [0, 1, 6, 7, 8, 99, 107, 108, 207, 256, 257, 258, 259, 260, 261]) {
      expect(ids(store.history('x', from, false, 30))).toEqual(range(from + 1, Math.min(from + 30, 260)).filter((id) => id <= 260 && id > from));
      expect(ids(store.history('x', from, true, 30))).toEqual(range(Math.min(from - 1, 260), Math.max(from - 30, 1)).filter((id) => id >= 1 && id < from));
    }
  });
});
