import type { Db } from '../../store/index.js';
import type { DeadLetter, Delivery } from '../delivery/model.js';

export interface DeadLetterFilter {
  readonly deadLetterArn?: string | undefined;
  readonly sourceArn?: string | undefined;
  /** Continue after this sequence number. */
  readonly afterSeq?: number | undefined;
  readonly limit: number;
}

/**
 * The durable delivery queue and dead-letter list. Rows are written in the transaction
 * that accepts the event (or fires the schedule); a row leaves the queue only when its
 * target took it or when it moves, in one transaction, to the dead-letter list.
 */
export class DeliveryQueue {
  private readonly s;

  constructor(readonly db: Db) {
    this.s = {
      insert: db.prepare<[string, number, string]>('INSERT INTO events_deliveries (id, next_attempt_at, doc) VALUES (?, ?, ?)'),
      due: db.prepare<[number, number], { doc: string }>(
        'SELECT doc FROM events_deliveries WHERE next_attempt_at <= ? ORDER BY next_attempt_at, seq LIMIT ?',
      ),
      update: db.prepare<[number, string, string]>('UPDATE events_deliveries SET next_attempt_at = ?, doc = ? WHERE id = ?'),
      remove: db.prepare<[string]>('DELETE FROM events_deliveries WHERE id = ?'),
      nextDue: db.prepare<[], { at: number | null }>('SELECT min(next_attempt_at) AS at FROM events_deliveries'),
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM events_deliveries'),
      insertDead: db.prepare<[string, string | null, string, number, string]>(
        'INSERT OR IGNORE INTO events_dead_letters (id, dead_letter_arn, source_arn, dead_at, doc) VALUES (?, ?, ?, ?, ?)',
      ),
      listDead: db.prepare<[{ dlq: string | null; source: string | null; after: number; limit: number }], { seq: number; doc: string }>(
        `SELECT seq, doc FROM events_dead_letters
         WHERE (@dlq IS NULL OR dead_letter_arn = @dlq) AND (@source IS NULL OR source_arn = @source) AND seq > @after
         ORDER BY seq LIMIT @limit`,
      ),
      getDead: db.prepare<[string], { doc: string }>('SELECT doc FROM events_dead_letters WHERE id = ?'),
      pruneIngested: db.prepare<[number]>('DELETE FROM events_ingested WHERE at < ?'),
      removeDead: db.prepare<[string]>('DELETE FROM events_dead_letters WHERE id = ?'),
      ingest: db.prepare<[string, string, number]>('INSERT OR IGNORE INTO events_ingested (source, source_id, at) VALUES (?, ?, ?)'),
    };
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  enqueue(d: Delivery): void {
    this.s.insert.run(d.id, d.nextAttemptAt, JSON.stringify(d));
  }

  /** Deliveries whose next attempt is due, oldest first. */
  due(now: number, limit: number): Delivery[] {
    return this.s.due.all(now, limit).map((r) => JSON.parse(r.doc) as Delivery);
  }

  /** Records a failed attempt and when to try again. */
  reschedule(d: Delivery): void {
    this.s.update.run(d.nextAttemptAt, JSON.stringify(d), d.id);
  }

  complete(id: string): void {
    this.s.remove.run(id);
  }

  /** Moves a delivery from the queue to the dead-letter list, in one transaction. */
  deadLetter(dl: DeadLetter): void {
    this.transaction(() => {
      this.s.remove.run(dl.id);
      this.s.insertDead.run(dl.id, dl.deadLetterArn ?? null, dl.sourceArn, dl.deadAt, JSON.stringify(dl));
    });
  }

  nextDueAt(): number | undefined {
    return this.s.nextDue.get()?.at ?? undefined;
  }

  size(): number {
    return this.s.count.get()?.n ?? 0;
  }

  listDeadLetters(f: DeadLetterFilter): { items: (DeadLetter & { seq: number })[] } {
    const rows = this.s.listDead.all({ dlq: f.deadLetterArn ?? null, source: f.sourceArn ?? null, after: f.afterSeq ?? 0, limit: f.limit });
    return { items: rows.map((r) => ({ ...(JSON.parse(r.doc) as DeadLetter), seq: r.seq })) };
  }

  getDeadLetter(id: string): DeadLetter | undefined {
    const row = this.s.getDead.get(id);
    return row ? (JSON.parse(row.doc) as DeadLetter) : undefined;
  }

  /** Forgets outside events taken in before `before` (their sources acknowledged them long ago). */
  pruneIngested(before: number): number {
    return this.s.pruneIngested.run(before).changes;
  }

  removeDeadLetter(id: string): boolean {
    return this.s.removeDead.run(id).changes > 0;
  }

  /** Records that an outside event (source, id) was taken in; false when it already was. */
  ingestOnce(source: string, id: string, at: number): boolean {
    return this.s.ingest.run(source, id, at).changes > 0;
  }
}
