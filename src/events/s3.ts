import type { AccountScope, Clock, Logger } from '../core/index.js';
import type { Envelope } from './enqueue.js';
import { eventTime } from './names.js';
import type { DeliveryQueue } from './store/queue.js';

/** An object event of the S3 store, for buckets that send events to EventBridge. */
export interface S3ObjectEvent {
  readonly type: 'Object Created' | 'Object Deleted';
  readonly bucket: string;
  readonly key: string;
  readonly size?: number | undefined;
  readonly etag?: string | undefined;
  readonly sequencer: string;
  readonly versionId?: string | undefined;
  /** The API call: PutObject, CopyObject, CompleteMultipartUpload, DeleteObject, … */
  readonly reason: string;
  readonly time: Date | string | number;
  readonly requestId?: string | undefined;
  readonly requester?: string | undefined;
  readonly sourceIpAddress?: string | undefined;
  /** For deletions: `Permanently Deleted` (default) or `Delete Marker Created`. */
  readonly deletionType?: string | undefined;
}

export interface S3OutboxEntry {
  readonly id: string | number;
  readonly event: S3ObjectEvent;
}

/**
 * What the events capability needs of the S3 store (written against this, not its
 * files): a wake-up when an object event is written, and the durable outbox the store
 * writes in the same transaction as the object.
 */
export interface S3EventSource {
  onObjectEvent(listener: (event: S3ObjectEvent) => void): unknown;
  /** The oldest unacknowledged outbox entries (entries stay until acknowledged). */
  takeOutbox(limit: number): readonly S3OutboxEntry[] | Promise<readonly S3OutboxEntry[]>;
  ackOutbox(ids: readonly (string | number)[]): unknown;
}

/** An S3 object event in the shape S3 sends to EventBridge (source `aws.s3`). */
export function s3Envelope(e: S3ObjectEvent, scope: AccountScope, id: string): Envelope {
  const deleted = e.type === 'Object Deleted';
  const object: Record<string, unknown> = { key: e.key };
  if (!deleted) {
    object['size'] = e.size ?? 0;
    object['etag'] = (e.etag ?? '').replace(/^"|"$/g, '');
  }
  if (e.versionId !== undefined) object['version-id'] = e.versionId;
  object['sequencer'] = e.sequencer;
  const detail: Record<string, unknown> = {
    version: '0',
    bucket: { name: e.bucket },
    object,
    'request-id': e.requestId ?? id.replace(/-/g, '').slice(0, 16).toUpperCase(),
    requester: e.requester ?? scope.account,
    'source-ip-address': e.sourceIpAddress ?? '127.0.0.1',
    reason: e.reason,
  };
  if (deleted) detail['deletion-type'] = e.deletionType ?? 'Permanently Deleted';
  return {
    version: '0',
    id,
    'detail-type': e.type,
    source: 'aws.s3',
    account: scope.account,
    time: eventTime(new Date(e.time)),
    region: scope.region,
    resources: [`arn:aws:s3:::${e.bucket}`],
    detail,
  };
}

export interface S3BridgeDeps {
  readonly source: S3EventSource;
  readonly queue: DeliveryQueue;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly scope: AccountScope;
  readonly newId: () => string;
  /** Puts events on the default bus inside the caller's transaction. */
  readonly publish: (event: Envelope) => number;
}

/**
 * Moves S3's outbox onto the default bus. Each entry is recorded as taken in the same
 * transaction that queues its deliveries, then acknowledged to S3; a crash between the
 * two means the entry comes back and is recognised, so it is published once.
 */
export class S3Bridge {
  private draining: Promise<number> | undefined;
  private again = false;

  constructor(private readonly deps: S3BridgeDeps) {}

  /** Subscribes to the store's wake-ups. */
  connect(): void {
    this.deps.source.onObjectEvent(() => void this.drain());
  }

  /** Publishes everything in the outbox; resolves with how many entries were new. */
  drain(): Promise<number> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = this.loop().finally(() => {
      this.draining = undefined;
      if (this.again) {
        this.again = false;
        void this.drain();
      }
    });
    return this.draining;
  }

  private async loop(): Promise<number> {
    let published = 0;
    try {
      for (;;) {
        const batch = await this.deps.source.takeOutbox(100);
        if (batch.length === 0) return published;
        published += this.publishBatch(batch);
        await this.deps.source.ackOutbox(batch.map((e) => e.id));
      }
    } catch (err) {
      this.deps.logger.error('events: could not move S3 events to the bus (will retry)', { err });
      return published;
    }
  }

  private publishBatch(batch: readonly S3OutboxEntry[]): number {
    const now = this.deps.clock.now().getTime();
    return this.deps.queue.transaction(() => {
      let fresh = 0;
      for (const entry of batch) {
        if (!this.deps.queue.ingestOnce('s3', String(entry.id), now)) continue;
        this.deps.publish(s3Envelope(entry.event, this.deps.scope, this.deps.newId()));
        fresh += 1;
      }
      return fresh;
    });
  }
}
