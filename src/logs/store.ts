import { SqlStore } from '../store/index.js';
import { sequenceTokenOf, type Cut, type Direction } from './tokens.js';

/** A log group row. Times are epoch milliseconds, as the Logs API has them. */
export interface GroupRow {
  id: number;
  name: string;
  creationTime: number;
  retentionDays: number | null;
  logGroupClass: string;
  kmsKeyId: string | null;
  storedBytes: number;
}

export interface StreamRow {
  id: number;
  groupId: number;
  name: string;
  creationTime: number;
  firstEventTimestamp: number | null;
  lastEventTimestamp: number | null;
  lastIngestionTime: number | null;
  uploadSequenceToken: string | null;
  storedBytes: number;
}

export interface EventRow {
  seq: number;
  timestamp: number;
  ingestionTime: number;
  message: string;
}

export interface NewEvent {
  timestamp: number;
  message: string;
}

/** Which events a read covers: a direction from a cut, and a time window [from, to). */
export interface EventRange {
  direction: Direction;
  cut: Cut;
  from: number;
  toExclusive: number;
}

/** Restricts a group read to named streams or to streams whose name has a prefix. */
export type StreamSelector = { names: readonly string[] } | { prefix: string } | undefined;

export interface GroupQuery {
  prefix?: string | undefined;
  contains?: string | undefined;
  names?: readonly string[] | undefined;
  classes?: readonly string[] | undefined;
  after?: string | undefined;
  limit: number;
}

export interface StreamQuery {
  orderBy: 'LogStreamName' | 'LastEventTime';
  descending: boolean;
  prefix?: string | undefined;
  /** Keyset: the last row of the previous page. */
  after?: { lastEvent: number; name: string } | undefined;
  limit: number;
}

const GROUP_COLUMNS = `id, name, creation_time AS creationTime, retention_days AS retentionDays,
  log_group_class AS logGroupClass, kms_key_id AS kmsKeyId, stored_bytes AS storedBytes`;
const STREAM_COLUMNS = `id, group_id AS groupId, name, creation_time AS creationTime,
  first_event_timestamp AS firstEventTimestamp, last_event_timestamp AS lastEventTimestamp,
  last_ingestion_time AS lastIngestionTime, upload_sequence_token AS uploadSequenceToken, stored_bytes AS storedBytes`;
const EVENT_COLUMNS = 'e.seq, e.timestamp, e.ingestion_time AS ingestionTime, e.message';
/** Rows deleted per retention transaction, so a large sweep never holds the write lock long. */
const SWEEP_CHUNK = 5_000;

/**
 * The log store: every SQL statement over `log_groups`, `log_streams` and `log_events`.
 * Writes that belong together (events and the stream/group counters) share one
 * transaction. Callers validate input; this layer trusts it.
 */
export class LogStore extends SqlStore {
  getGroup(name: string): GroupRow | undefined {
    return this.stmt(`SELECT ${GROUP_COLUMNS} FROM log_groups WHERE name = ?`).get(name) as GroupRow | undefined;
  }

  /** Inserts a group; false when one of that name exists. */
  createGroup(g: Omit<GroupRow, 'id' | 'storedBytes'>): boolean {
    const r = this.stmt(
      `INSERT INTO log_groups (name, creation_time, retention_days, log_group_class, kms_key_id)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`,
    ).run(g.name, g.creationTime, g.retentionDays, g.logGroupClass, g.kmsKeyId);
    return r.changes > 0;
  }

  listGroups(q: GroupQuery): GroupRow[] {
    const w = new Where();
    if (q.prefix !== undefined) w.add('substr(name, 1, ?) = ?', q.prefix.length, q.prefix);
    if (q.contains !== undefined) w.add('instr(name, ?) > 0', q.contains);
    if (q.names) w.add('name IN (SELECT value FROM json_each(?))', JSON.stringify(q.names));
    if (q.classes) w.add('log_group_class IN (SELECT value FROM json_each(?))', JSON.stringify(q.classes));
    if (q.after !== undefined) w.add('name > ?', q.after);
    const sql = `SELECT ${GROUP_COLUMNS} FROM log_groups WHERE ${w.sql()} ORDER BY name LIMIT ?`;
    return this.stmt(sql).all(...w.params, q.limit) as GroupRow[];
  }

  setRetention(groupId: number, days: number | null): void {
    this.stmt('UPDATE log_groups SET retention_days = ? WHERE id = ?').run(days, groupId);
  }

  /** Deletes a group with its streams and events. */
  deleteGroup(groupId: number): void {
    this.transaction(() => {
      this.stmt('DELETE FROM log_events WHERE group_id = ?').run(groupId);
      this.stmt('DELETE FROM log_streams WHERE group_id = ?').run(groupId);
      this.stmt('DELETE FROM log_groups WHERE id = ?').run(groupId);
    });
  }

  getStream(groupId: number, name: string): StreamRow | undefined {
    return this.stmt(`SELECT ${STREAM_COLUMNS} FROM log_streams WHERE group_id = ? AND name = ?`).get(groupId, name) as
      | StreamRow
      | undefined;
  }

  /** Inserts a stream; false when the group has one of that name. */
  createStream(groupId: number, name: string, creationTime: number): boolean {
    const r = this.stmt(
      'INSERT INTO log_streams (group_id, name, creation_time) VALUES (?, ?, ?) ON CONFLICT (group_id, name) DO NOTHING',
    ).run(groupId, name, creationTime);
    return r.changes > 0;
  }

  listStreams(groupId: number, q: StreamQuery): StreamRow[] {
    const byTime = q.orderBy === 'LastEventTime';
    const dir = q.descending ? 'DESC' : 'ASC';
    const w = new Where();
    w.add('group_id = ?', groupId);
    if (q.prefix !== undefined) w.add('substr(name, 1, ?) = ?', q.prefix.length, q.prefix);
    const beyond = q.descending ? '<' : '>';
    if (q.after && byTime) w.add(`(COALESCE(last_event_timestamp, 0), name) ${beyond} (?, ?)`, q.after.lastEvent, q.after.name);
    else if (q.after) w.add(`name ${beyond} ?`, q.after.name);
    const order = byTime ? `COALESCE(last_event_timestamp, 0) ${dir}, name ${dir}` : `name ${dir}`;
    const sql = `SELECT ${STREAM_COLUMNS} FROM log_streams WHERE ${w.sql()} ORDER BY ${order} LIMIT ?`;
    return this.stmt(sql).all(...w.params, q.limit) as StreamRow[];
  }

  deleteStream(stream: StreamRow): void {
    this.transaction(() => {
      this.stmt('DELETE FROM log_events WHERE stream_id = ?').run(stream.id);
      this.stmt('DELETE FROM log_streams WHERE id = ?').run(stream.id);
      this.stmt('UPDATE log_groups SET stored_bytes = max(0, stored_bytes - ?) WHERE id = ?').run(stream.storedBytes, stream.groupId);
    });
  }

  /**
   * Appends events (in any timestamp order) in one transaction and moves the stream's
   * first/last timestamps, ingestion time, sequence token and byte counters with them.
   */
  insertEvents(stream: StreamRow, events: readonly NewEvent[], ingestionTime: number): void {
    if (events.length === 0) return;
    this.transaction(() => {
      const insert = this.stmt('INSERT INTO log_events (group_id, stream_id, timestamp, ingestion_time, message) VALUES (?, ?, ?, ?, ?)');
      let lastSeq = 0;
      let bytes = 0;
      let first = Infinity;
      let last = -Infinity;
      for (const e of events) {
        lastSeq = Number(insert.run(stream.groupId, stream.id, e.timestamp, ingestionTime, e.message).lastInsertRowid);
        bytes += Buffer.byteLength(e.message, 'utf8');
        first = Math.min(first, e.timestamp);
        last = Math.max(last, e.timestamp);
      }
      this.stmt(
        `UPDATE log_streams SET
           first_event_timestamp = min(COALESCE(first_event_timestamp, ?), ?),
           last_event_timestamp = max(COALESCE(last_event_timestamp, ?), ?),
           last_ingestion_time = ?, upload_sequence_token = ?, stored_bytes = stored_bytes + ?
         WHERE id = ?`,
      ).run(first, first, last, last, ingestionTime, sequenceTokenOf(lastSeq), bytes, stream.id);
      this.stmt('UPDATE log_groups SET stored_bytes = stored_bytes + ? WHERE id = ?').run(bytes, stream.groupId);
    });
  }

  /** A stream's events in key order (descending when reading backward), lazily. */
  readStream(streamId: number, r: EventRange): IterableIterator<EventRow> {
    const forward = r.direction === 'forward';
    const sql = `SELECT ${EVENT_COLUMNS} FROM log_events e
      WHERE e.stream_id = ? AND (e.timestamp, e.seq) ${forward ? '>' : '<='} (?, ?) AND e.timestamp >= ? AND e.timestamp < ?
      ORDER BY e.timestamp ${forward ? 'ASC' : 'DESC'}, e.seq ${forward ? 'ASC' : 'DESC'}`;
    return this.stmt(sql).iterate(streamId, r.cut.timestamp, r.cut.seq, r.from, r.toExclusive) as IterableIterator<EventRow>;
  }

  /**
   * A group's events across streams, interleaved in key order, with each event's stream
   * name. CROSS JOIN keeps events as the outer loop so the group index gives the order
   * and no sort of the whole group is needed.
   */
  readGroup(groupId: number, r: EventRange, streams: StreamSelector): IterableIterator<EventRow & { stream: string }> {
    const forward = r.direction === 'forward';
    const params: unknown[] = [groupId, r.cut.timestamp, r.cut.seq, r.from, r.toExclusive];
    let streamFilter = '';
    if (streams && 'names' in streams) {
      streamFilter = 'AND s.name IN (SELECT value FROM json_each(?))';
      params.push(JSON.stringify(streams.names));
    } else if (streams) {
      streamFilter = 'AND substr(s.name, 1, ?) = ?';
      params.push(streams.prefix.length, streams.prefix);
    }
    const sql = `SELECT ${EVENT_COLUMNS}, s.name AS stream FROM log_events e CROSS JOIN log_streams s ON s.id = e.stream_id
      WHERE e.group_id = ? AND (e.timestamp, e.seq) ${forward ? '>' : '<='} (?, ?) AND e.timestamp >= ? AND e.timestamp < ? ${streamFilter}
      ORDER BY e.timestamp ${forward ? 'ASC' : 'DESC'}, e.seq ${forward ? 'ASC' : 'DESC'}`;
    return this.stmt(sql).iterate(...params) as IterableIterator<EventRow & { stream: string }>;
  }

  /** Deletes events older than each group's retention; returns how many went. */
  sweep(nowMs: number): number {
    const groups = this.stmt('SELECT id, retention_days AS days FROM log_groups WHERE retention_days IS NOT NULL').all() as {
      id: number;
      days: number;
    }[];
    let deleted = 0;
    for (const g of groups) {
      const cutoff = nowMs - g.days * 86_400_000;
      for (let n = this.sweepChunk(g.id, cutoff); n > 0; n = this.sweepChunk(g.id, cutoff)) deleted += n;
    }
    return deleted;
  }

  private sweepChunk(groupId: number, cutoff: number): number {
    const chunk = `SELECT seq FROM log_events WHERE group_id = ? AND timestamp < ? ORDER BY timestamp, seq LIMIT ${SWEEP_CHUNK}`;
    return this.transaction(() => {
      const perStream = this.stmt(
        `SELECT stream_id AS streamId, sum(length(CAST(message AS BLOB))) AS bytes FROM log_events
         WHERE seq IN (${chunk}) GROUP BY stream_id`,
      ).all(groupId, cutoff) as { streamId: number; bytes: number }[];
      if (perStream.length === 0) return 0;
      const n = this.stmt(`DELETE FROM log_events WHERE seq IN (${chunk})`).run(groupId, cutoff).changes;
      for (const s of perStream) {
        this.stmt(
          `UPDATE log_streams SET stored_bytes = max(0, stored_bytes - ?),
             first_event_timestamp = (SELECT min(timestamp) FROM log_events WHERE stream_id = ?) WHERE id = ?`,
        ).run(s.bytes, s.streamId, s.streamId);
      }
      const bytes = perStream.reduce((sum, s) => sum + s.bytes, 0);
      this.stmt('UPDATE log_groups SET stored_bytes = max(0, stored_bytes - ?) WHERE id = ?').run(bytes, groupId);
      return n;
    });
  }
}

/** Builds a WHERE clause and its parameters together, so they cannot drift apart. */
class Where {
  private readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  add(clause: string, ...params: unknown[]): void {
    this.clauses.push(clause);
    this.params.push(...params);
  }

  sql(): string {
    return this.clauses.length === 0 ? '1 = 1' : this.clauses.join(' AND ');
  }
}
