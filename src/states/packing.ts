import type { HistoryEvent } from './engine/index.js';

/**
 * How history events are stored: one `states_history` row holds up to PACK_LIMIT
 * consecutive events sharing one timestamp (every event of a step carries the step's
 * time), keyed by its last event id. Per event only what varies is kept:
 *
 *   row   { f: first id, t: timestamp, e: [event, …] }
 *   event [type, details?, detailsKey?, previousEventId?]
 *
 * `detailsKey` is 0 (or left off) when the event has details under the key derived from
 * its type, null when it has no key; `previousEventId` is left off when it is `id - 1`. A history of Pass
 * states is then about half the bytes of one JSON object per event, and the bytes are
 * what a step's commit costs (WAL pages, fsync, checkpoints).
 * Rows written one event per row, as a plain event object, still read.
 */
export const PACK_LIMIT = 100;

type Packed = [type: string, details?: Record<string, unknown> | null, detailsKey?: string | 0 | null, previousEventId?: number];

interface Row {
  f: number;
  t: number;
  e: Packed[];
}

/** The details key AWS's history uses for an event type (`stateEnteredEventDetails`, `taskScheduledEventDetails`, …). */
function derivedKey(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

function pack(e: HistoryEvent): Packed {
  const key = e.detailsKey === undefined ? null : e.details && e.detailsKey === derivedKey(e.type) ? 0 : e.detailsKey;
  const p: Packed = [e.type, e.details ?? null, key];
  if (e.previousEventId !== e.id - 1) p.push(e.previousEventId);
  else if (key === 0) p.length = 2;
  else if (key === null && !e.details) p.length = 1;
  return p;
}

function unpack(p: Packed, id: number, timestamp: number): HistoryEvent {
  const [type, details, key, previous] = p;
  const detailsKey = key === undefined || key === 0 ? (details ? derivedKey(type) : undefined) : (key ?? undefined);
  const e: HistoryEvent = { id, previousEventId: previous ?? id - 1, timestamp, type };
  if (detailsKey !== undefined) e.detailsKey = detailsKey;
  if (details) e.details = details;
  return e;
}

/** Splits consecutive events into rows: [key (the last event id), stored text]. */
export function packEvents(events: readonly HistoryEvent[]): [number, string][] {
  const rows: [number, string][] = [];
  let row: Row | undefined;
  let last = 0;
  const flush = (): void => {
    if (row) rows.push([last, JSON.stringify(row)]);
    row = undefined;
  };
  for (const e of events) {
    if (row && (row.t !== e.timestamp || row.e.length >= PACK_LIMIT || e.id !== last + 1)) flush();
    row ??= { f: e.id, t: e.timestamp, e: [] };
    row.e.push(pack(e));
    last = e.id;
  }
  flush();
  return rows;
}

/** The events of one stored row, in id order. */
export function unpackEvents(text: string): HistoryEvent[] {
  const v = JSON.parse(text) as Row | HistoryEvent;
  if (!('e' in v)) return [v];
  return v.e.map((p, i) => unpack(p, v.f + i, v.t));
}
