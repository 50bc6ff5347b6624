import type { Db } from '../store/index.js';
import type { Checksum } from './checksums.js';
import type {
  BucketRecord, ObjectEvent, ObjectHeaders, ObjectRecord, OutboxEntry, PartRecord, Segment, UploadRecord,
} from './model.js';

interface BucketRow { name: string; region: string; created_at: number; notification: string | null; eventbridge: number }
interface ObjectRow { bucket: string; key: string; size: number; etag: string; last_modified: number; headers: string; checksum: string | null; segments: string }
interface UploadRow { upload_id: string; bucket: string; key: string; initiated: number; headers: string; checksum_algo: string | null }
interface PartRow { upload_id: string; part_number: number; size: number; md5: string; last_modified: number; checksum: string | null; blob: string }

/** Which keys a listing scans: `key >= from`, `key > after`, `key < below`, in key order. */
export interface KeyScan {
  readonly from: string;
  readonly after: string;
  readonly below: string | undefined;
  readonly limit: number;
}

/**
 * Every SQL statement of the object store. Methods are single statements; callers that
 * change several rows together wrap them in `transaction`, which is synchronous, so no
 * other request's writes interleave with it.
 */
export class S3Store {
  private readonly s;

  constructor(private readonly db: Db) {
    const p = <P extends unknown[] | Record<string, unknown> = unknown[], R = unknown>(sql: string) => db.prepare<P, R>(sql);
    this.s = {
      bucket: p<[string], BucketRow>('SELECT * FROM s3_buckets WHERE name = ?'),
      insertBucket: p<[string, string, number]>('INSERT OR IGNORE INTO s3_buckets (name, region, created_at) VALUES (?, ?, ?)'),
      deleteBucket: p<[string]>('DELETE FROM s3_buckets WHERE name = ?'),
      buckets: p<[], BucketRow>('SELECT * FROM s3_buckets ORDER BY name'),
      notification: p<[string | null, number, string]>('UPDATE s3_buckets SET notification = ?, eventbridge = ? WHERE name = ?'),
      anyObject: p<[string], { one: number }>('SELECT 1 AS one FROM s3_objects WHERE bucket = ? LIMIT 1'),
      object: p<[string, string], ObjectRow>('SELECT * FROM s3_objects WHERE bucket = ? AND key = ?'),
      upsertObject: p<[ObjectRow]>(
        `INSERT INTO s3_objects (bucket, key, size, etag, last_modified, headers, checksum, segments)
         VALUES (@bucket, @key, @size, @etag, @last_modified, @headers, @checksum, @segments)
         ON CONFLICT (bucket, key) DO UPDATE SET size = excluded.size, etag = excluded.etag, last_modified = excluded.last_modified,
           headers = excluded.headers, checksum = excluded.checksum, segments = excluded.segments`,
      ),
      deleteObject: p<[string, string]>('DELETE FROM s3_objects WHERE bucket = ? AND key = ?'),
      scan: p<[{ bucket: string; from: string; after: string; below: string | null; limit: number }], ObjectRow>(
        `SELECT * FROM s3_objects WHERE bucket = @bucket AND key >= @from AND key > @after AND (@below IS NULL OR key < @below)
         ORDER BY key LIMIT @limit`,
      ),
      upload: p<[string], UploadRow>('SELECT * FROM s3_uploads WHERE upload_id = ?'),
      insertUpload: p<[UploadRow]>(
        'INSERT INTO s3_uploads (upload_id, bucket, key, initiated, headers, checksum_algo) VALUES (@upload_id, @bucket, @key, @initiated, @headers, @checksum_algo)',
      ),
      deleteUpload: p<[string]>('DELETE FROM s3_uploads WHERE upload_id = ?'),
      deleteParts: p<[string]>('DELETE FROM s3_parts WHERE upload_id = ?'),
      uploadsOf: p<[string], { upload_id: string }>('SELECT upload_id FROM s3_uploads WHERE bucket = ?'),
      scanUploads: p<[{ bucket: string; prefix: string; below: string | null; key: string; id: string; limit: number }], UploadRow>(
        `SELECT * FROM s3_uploads WHERE bucket = @bucket AND key >= @prefix AND (@below IS NULL OR key < @below)
           AND (key > @key OR (key = @key AND upload_id > @id))
         ORDER BY key, upload_id LIMIT @limit`,
      ),
      part: p<[string, number], PartRow>('SELECT * FROM s3_parts WHERE upload_id = ? AND part_number = ?'),
      upsertPart: p<[PartRow]>(
        `INSERT INTO s3_parts (upload_id, part_number, size, md5, last_modified, checksum, blob)
         VALUES (@upload_id, @part_number, @size, @md5, @last_modified, @checksum, @blob)
         ON CONFLICT (upload_id, part_number) DO UPDATE SET size = excluded.size, md5 = excluded.md5,
           last_modified = excluded.last_modified, checksum = excluded.checksum, blob = excluded.blob`,
      ),
      parts: p<[string, number, number], PartRow>('SELECT * FROM s3_parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?'),
      appendEvent: p<[number, string], { id: number }>('INSERT INTO s3_outbox (created_at, event) VALUES (?, ?) RETURNING id'),
      takeEvents: p<[number], { id: number; event: string }>('SELECT id, event FROM s3_outbox ORDER BY id LIMIT ?'),
      ackEvent: p<[number]>('DELETE FROM s3_outbox WHERE id = ?'),
      objectBlobs: p<[], { segments: string }>('SELECT segments FROM s3_objects'),
      partBlobs: p<[], { blob: string }>('SELECT blob FROM s3_parts'),
    };
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  bucket(name: string): BucketRecord | undefined {
    const r = this.s.bucket.get(name);
    return r && toBucket(r);
  }

  /** Inserts a bucket; false when one of that name exists already. */
  insertBucket(name: string, region: string, createdAt: Date): boolean {
    return this.s.insertBucket.run(name, region, createdAt.getTime()).changes === 1;
  }

  deleteBucket(name: string): void {
    this.s.deleteBucket.run(name);
  }

  buckets(): BucketRecord[] {
    return this.s.buckets.all().map(toBucket);
  }

  setNotification(name: string, xml: string | undefined, eventBridge: boolean): void {
    this.s.notification.run(xml ?? null, eventBridge ? 1 : 0, name);
  }

  hasObjects(bucket: string): boolean {
    return this.s.anyObject.get(bucket) !== undefined;
  }

  object(bucket: string, key: string): ObjectRecord | undefined {
    const r = this.s.object.get(bucket, key);
    return r && toObject(r);
  }

  upsertObject(o: ObjectRecord): void {
    this.s.upsertObject.run({
      bucket: o.bucket,
      key: o.key,
      size: o.size,
      etag: o.etag,
      last_modified: o.lastModified.getTime(),
      headers: JSON.stringify(o.headers),
      checksum: o.checksum ? JSON.stringify(o.checksum) : null,
      segments: JSON.stringify(o.segments),
    });
  }

  deleteObject(bucket: string, key: string): void {
    this.s.deleteObject.run(bucket, key);
  }

  scanObjects(bucket: string, scan: KeyScan): ObjectRecord[] {
    return this.s.scan.all({ bucket, from: scan.from, after: scan.after, below: scan.below ?? null, limit: scan.limit }).map(toObject);
  }

  upload(uploadId: string): UploadRecord | undefined {
    const r = this.s.upload.get(uploadId);
    return r && toUpload(r);
  }

  insertUpload(u: UploadRecord): void {
    this.s.insertUpload.run({
      upload_id: u.uploadId,
      bucket: u.bucket,
      key: u.key,
      initiated: u.initiated.getTime(),
      headers: JSON.stringify(u.headers),
      checksum_algo: u.checksumAlgorithm ?? null,
    });
  }

  /** Removes an upload and its parts; returns the parts' blobs, for the caller to delete after commit. */
  deleteUpload(uploadId: string): string[] {
    const blobs = this.parts(uploadId, 0, 10_001).map((p) => p.blob);
    this.s.deleteParts.run(uploadId);
    this.s.deleteUpload.run(uploadId);
    return blobs;
  }

  uploadIdsOf(bucket: string): string[] {
    return this.s.uploadsOf.all(bucket).map((r) => r.upload_id);
  }

  /** Uploads under a prefix after (key, uploadId), in key then initiation order. */
  scanUploads(bucket: string, prefix: string, below: string | undefined, after: { key: string; uploadId: string }, limit: number): UploadRecord[] {
    return this.s.scanUploads
      .all({ bucket, prefix, below: below ?? null, key: after.key, id: after.uploadId, limit })
      .map(toUpload);
  }

  part(uploadId: string, partNumber: number): PartRecord | undefined {
    const r = this.s.part.get(uploadId, partNumber);
    return r && toPart(r);
  }

  upsertPart(p: PartRecord): void {
    this.s.upsertPart.run({
      upload_id: p.uploadId,
      part_number: p.partNumber,
      size: p.size,
      md5: p.md5,
      last_modified: p.lastModified.getTime(),
      checksum: p.checksum ? JSON.stringify(p.checksum) : null,
      blob: p.blob,
    });
  }

  parts(uploadId: string, afterPart: number, limit: number): PartRecord[] {
    return this.s.parts.all(uploadId, afterPart, limit).map(toPart);
  }

  /** Adds an event to the outbox; its id is also its sequencer. */
  appendEvent(event: Omit<ObjectEvent, 'sequencer'>, now: Date): number {
    return this.s.appendEvent.get(now.getTime(), JSON.stringify(event))!.id;
  }

  takeEvents(limit: number): OutboxEntry[] {
    return this.s.takeEvents.all(limit).map((r) => ({
      id: r.id,
      event: { ...(JSON.parse(r.event) as Omit<ObjectEvent, 'sequencer'>), sequencer: sequencerOf(r.id) },
    }));
  }

  ackEvents(ids: readonly number[]): void {
    this.transaction(() => {
      for (const id of ids) this.s.ackEvent.run(id);
    });
  }

  /** Every blob some row points at: what the startup sweep must keep. */
  referencedBlobs(): Set<string> {
    const out = new Set<string>();
    for (const r of this.s.objectBlobs.iterate()) for (const seg of JSON.parse(r.segments) as Segment[]) out.add(seg.blob);
    for (const r of this.s.partBlobs.iterate()) out.add(r.blob);
    return out;
  }
}

/** S3 sequencers are hex strings compared by length then value; fixed width keeps them comparable as strings too. */
export function sequencerOf(id: number): string {
  return id.toString(16).toUpperCase().padStart(16, '0');
}

function toBucket(r: BucketRow): BucketRecord {
  return { name: r.name, region: r.region, createdAt: new Date(r.created_at), notification: r.notification ?? undefined, eventBridge: r.eventbridge === 1 };
}

function toObject(r: ObjectRow): ObjectRecord {
  return {
    bucket: r.bucket,
    key: r.key,
    size: r.size,
    etag: r.etag,
    lastModified: new Date(r.last_modified),
    headers: JSON.parse(r.headers) as ObjectHeaders,
    checksum: r.checksum ? (JSON.parse(r.checksum) as Checksum) : undefined,
    segments: JSON.parse(r.segments) as Segment[],
  };
}

function toUpload(r: UploadRow): UploadRecord {
  return {
    uploadId: r.upload_id,
    bucket: r.bucket,
    key: r.key,
    initiated: new Date(r.initiated),
    headers: JSON.parse(r.headers) as ObjectHeaders,
    checksumAlgorithm: (r.checksum_algo ?? undefined) as UploadRecord['checksumAlgorithm'],
  };
}

function toPart(r: PartRow): PartRecord {
  return {
    uploadId: r.upload_id,
    partNumber: r.part_number,
    size: r.size,
    md5: r.md5,
    lastModified: new Date(r.last_modified),
    checksum: r.checksum ? (JSON.parse(r.checksum) as Checksum) : undefined,
    blob: r.blob,
  };
}
