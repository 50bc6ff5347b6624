import type http from 'node:http';
import { requireBucket } from './common.js';
import { etagMatches } from './conditions.js';
import type { S3Context } from './context.js';
import { noSuchKey, preconditionFailed } from './errors.js';
import type { PendingEvent } from './events.js';
import type { ObjectEventReason, ObjectRecord } from './model.js';
import { header } from './request.js';

/** Conditional writes: `If-None-Match: *` (only if absent) and `If-Match: <etag>` (only if unchanged). */
export interface WriteConditions {
  readonly ifNoneMatch: string | undefined;
  readonly ifMatch: string | undefined;
}

export function writeConditionsOf(req: http.IncomingMessage): WriteConditions {
  return { ifNoneMatch: header(req, 'if-none-match'), ifMatch: header(req, 'if-match') };
}

function checkWriteConditions(c: WriteConditions, existing: ObjectRecord | undefined, key: string): void {
  if (c.ifNoneMatch !== undefined && existing && etagMatches(c.ifNoneMatch, existing.etag)) throw preconditionFailed('If-None-Match');
  if (c.ifMatch !== undefined) {
    if (!existing) throw noSuchKey(key);
    if (!etagMatches(c.ifMatch, existing.etag)) throw preconditionFailed('If-Match');
  }
}

/**
 * The second half of the durability protocol: with the new blobs already durable,
 * one transaction re-checks the bucket (it may have gone while the body streamed) and
 * the write conditions, replaces the object row and records the event. Only after the
 * commit are the replaced object's blobs deleted (in the background) and listeners told. If the commit
 * fails, the new blobs are deleted and the error goes to the client.
 */
export interface CommitOptions {
  readonly conditions?: WriteConditions | undefined;
  /** More writes of the same transaction; returns blobs that become garbage with it. */
  readonly alsoInTransaction?: (() => string[]) | undefined;
  /** Whether a failed commit deletes the record's blobs (not when other rows still own them). */
  readonly discardOnFailure?: boolean | undefined;
}

export async function commitObject(ctx: S3Context, record: ObjectRecord, reason: ObjectEventReason, opts: CommitOptions = {}): Promise<void> {
  let outcome: { garbage: string[]; event: PendingEvent | undefined };
  try {
    outcome = ctx.store.transaction(() => {
      const bucket = requireBucket(ctx, record.bucket);
      const existing = ctx.store.object(record.bucket, record.key);
      if (opts.conditions) checkWriteConditions(opts.conditions, existing, record.key);
      const extra = opts.alsoInTransaction?.() ?? [];
      ctx.store.upsertObject(record);
      const event = ctx.events.record(bucket, 'Object Created', reason, record, record.lastModified);
      const kept = new Set(record.segments.map((s) => s.blob));
      const garbage = [...(existing?.segments.map((s) => s.blob) ?? []), ...extra].filter((b) => !kept.has(b));
      return { garbage, event };
    });
  } catch (err) {
    if (opts.discardOnFailure ?? true) await ctx.blobs.remove(record.segments.map((s) => s.blob));
    throw err;
  }
  // the answer does not wait for the unlinks (tens of ms for a large file): the replaced
  // blobs are unreferenced from the commit on, and a crash before they go leaves orphans
  // the start-up sweep removes
  void ctx.blobs.remove(outcome.garbage);
  ctx.events.announce([outcome.event]);
}

/** Deletes objects in one transaction (absent keys are no error), then their blobs; returns the keys found. */
export async function deleteKeys(ctx: S3Context, bucketName: string, keys: readonly string[], reason: ObjectEventReason): Promise<Set<string>> {
  const now = ctx.clock.now();
  const { removed, events } = ctx.store.transaction(() => {
    const bucket = requireBucket(ctx, bucketName);
    const removed: ObjectRecord[] = [];
    const events: (PendingEvent | undefined)[] = [];
    for (const key of keys) {
      const existing = ctx.store.object(bucketName, key);
      if (!existing) continue;
      ctx.store.deleteObject(bucketName, key);
      removed.push(existing);
      events.push(ctx.events.record(bucket, 'Object Deleted', reason, existing, now));
    }
    return { removed, events };
  });
  await ctx.blobs.remove(removed.flatMap((o) => o.segments.map((s) => s.blob)));
  ctx.events.announce(events);
  return new Set(removed.map((o) => o.key));
}
