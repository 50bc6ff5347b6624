import type { Logger } from '../core/index.js';
import type { BucketRecord, ObjectEvent, ObjectEventListener, ObjectEventReason, ObjectRecord, OutboxEntry } from './model.js';
import { sequencerOf, type S3Store } from './store.js';

/** An event recorded in a transaction, to announce once that transaction has committed. */
export interface PendingEvent {
  readonly id: number;
  readonly event: ObjectEvent;
}

/**
 * Object events for buckets whose notification configuration enables EventBridge.
 * `record` runs inside the transaction that changes the object, writing the event to
 * the outbox table, so an acknowledged change always has its event on disk; `announce`
 * runs after the commit and tells in-process listeners, which then drain the outbox
 * with `take` and `ack` (at-least-once: whatever is not acknowledged is taken again,
 * also after a restart).
 */
export class ObjectEvents {
  private readonly listeners = new Set<ObjectEventListener>();

  constructor(
    private readonly store: S3Store,
    private readonly logger: Logger,
  ) {}

  on(listener: ObjectEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Writes the event to the outbox when the bucket sends events; call inside the object's transaction. */
  record(bucket: BucketRecord, type: ObjectEvent['type'], reason: ObjectEventReason, object: ObjectRecord, now: Date): PendingEvent | undefined {
    if (!bucket.eventBridge) return undefined;
    const draft: Omit<ObjectEvent, 'sequencer'> = {
      type,
      bucket: object.bucket,
      key: object.key,
      size: object.size,
      etag: object.etag.replace(/"/g, ''),
      reason,
      time: now.toISOString(),
    };
    const id = this.store.appendEvent(draft, now);
    return { id, event: { ...draft, sequencer: sequencerOf(id) } };
  }

  /** Tells listeners about committed events; a listener's failure is logged, never the request's. */
  announce(pending: readonly (PendingEvent | undefined)[]): void {
    for (const p of pending) {
      if (!p) continue;
      for (const listener of this.listeners) {
        try {
          listener(p.event, p.id);
        } catch (err) {
          this.logger.error('s3: an object event listener failed', { err });
        }
      }
    }
  }

  take(limit: number): OutboxEntry[] {
    return this.store.takeEvents(Math.max(1, Math.min(limit, 10_000)));
  }

  ack(ids: readonly number[]): void {
    this.store.ackEvents(ids);
  }
}
