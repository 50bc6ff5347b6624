import type { Clock } from '../core/index.js';
import { groupNotFound } from './errors.js';
import { checkGroupName, checkStreamName } from './names.js';
import type { LogStore, NewEvent } from './store.js';
import { MAX_TIMESTAMP } from './tokens.js';

export interface SinkEvent {
  /** When the line was written, epoch milliseconds. */
  timestamp: number;
  message: string;
}

/**
 * How the task runner writes container output (the awslogs driver's side of
 * CloudWatch Logs). Every method is synchronous and cheap when there is nothing to do;
 * `append` takes a batch and writes it in one transaction, so call it per batch
 * (every ~200 ms or ~100 lines), not per line.
 */
export interface LogSink {
  /** Creates the group when missing (`awslogs-create-group: true`); never fails on an existing one. */
  ensureGroup(name: string): void;
  /** For `awslogs-create-group: false`: a task whose group is missing fails to start, as on Fargate. */
  hasGroup(name: string): boolean;
  /** Creates the stream when missing; ResourceNotFoundException (an AwsError) when the group is missing. */
  ensureStream(group: string, stream: string): void;
  /**
   * Stores a batch, in any timestamp order; returns how many events were stored.
   * A stream deleted meanwhile is recreated; a group deleted meanwhile drops the batch
   * (returns 0), as the awslogs driver loses lines it cannot deliver.
   */
  append(group: string, stream: string, events: readonly SinkEvent[]): number;
  /** The newest event timestamp of a stream, to resume reading container output after a restart. */
  lastTimestamp(group: string, stream: string): number | undefined;
}

/** Largest message of one event: a batch is at most 1 MiB counting 26 bytes per event. */
export const MAX_MESSAGE_BYTES = 1_048_576 - 26;

export class StoreSink implements LogSink {
  constructor(
    private readonly store: LogStore,
    private readonly clock: Clock,
  ) {}

  ensureGroup(name: string): void {
    checkGroupName(name);
    this.store.createGroup({
      name,
      creationTime: this.clock.now().getTime(),
      retentionDays: null,
      logGroupClass: 'STANDARD',
      kmsKeyId: null,
    });
  }

  hasGroup(name: string): boolean {
    return this.store.getGroup(name) !== undefined;
  }

  ensureStream(group: string, stream: string): void {
    checkStreamName(stream);
    const g = this.store.getGroup(group);
    if (!g) throw groupNotFound();
    this.store.createStream(g.id, stream, this.clock.now().getTime());
  }

  append(group: string, stream: string, events: readonly SinkEvent[]): number {
    const now = this.clock.now().getTime();
    const batch = normalize(events, now);
    if (batch.length === 0) return 0;
    return this.store.transaction(() => {
      const g = this.store.getGroup(group);
      if (!g) return 0;
      this.store.createStream(g.id, stream, now);
      const s = this.store.getStream(g.id, stream);
      if (!s) return 0;
      this.store.insertEvents(s, batch, now);
      return batch.length;
    });
  }

  lastTimestamp(group: string, stream: string): number | undefined {
    const g = this.store.getGroup(group);
    const s = g ? this.store.getStream(g.id, stream) : undefined;
    return s?.lastEventTimestamp ?? undefined;
  }
}

/**
 * Makes container output storable as CloudWatch events: empty lines dropped (an event
 * message has at least one character), oversized lines split, timestamps clamped.
 */
function normalize(events: readonly SinkEvent[], now: number): NewEvent[] {
  const out: NewEvent[] = [];
  for (const e of events) {
    if (e.message.length === 0) continue;
    const timestamp = Number.isFinite(e.timestamp) ? Math.min(Math.max(Math.trunc(e.timestamp), 0), MAX_TIMESTAMP) : now;
    for (const message of splitMessage(e.message, MAX_MESSAGE_BYTES)) out.push({ timestamp, message });
  }
  return out;
}

/** Splits a message into pieces of at most `maxBytes` UTF-8 bytes, never inside a character. */
export function splitMessage(message: string, maxBytes: number): string[] {
  if (Buffer.byteLength(message, 'utf8') <= maxBytes) return [message];
  const pieces: string[] = [];
  let current = '';
  let size = 0;
  for (const ch of message) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (size + n > maxBytes) {
      pieces.push(current);
      current = '';
      size = 0;
    }
    current += ch;
    size += n;
  }
  if (current.length > 0) pieces.push(current);
  return pieces;
}
