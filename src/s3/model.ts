import type { Checksum, ChecksumAlgorithm } from './checksums.js';

/** The representation headers S3 keeps with an object and returns on GET/HEAD. */
export interface ObjectHeaders {
  contentType?: string | undefined;
  contentEncoding?: string | undefined;
  contentDisposition?: string | undefined;
  contentLanguage?: string | undefined;
  cacheControl?: string | undefined;
  expires?: string | undefined;
  /** User metadata: `x-amz-meta-<name>` → value, names lowercased. */
  meta: Record<string, string>;
}

/** One file of an object's bytes; a completed multipart upload has one per part. */
export interface Segment {
  readonly blob: string;
  readonly size: number;
}

export interface BucketRecord {
  readonly name: string;
  readonly region: string;
  readonly createdAt: Date;
  /** The NotificationConfiguration document as stored, if one was put. */
  readonly notification: string | undefined;
  /** Whether the notification configuration sends events to EventBridge. */
  readonly eventBridge: boolean;
}

export interface ObjectRecord {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  /** Quoted, as it goes on the wire: `"<md5 hex>"` or `"<md5 of part md5s>-N"`. */
  readonly etag: string;
  readonly lastModified: Date;
  readonly headers: ObjectHeaders;
  readonly checksum: Checksum | undefined;
  readonly segments: readonly Segment[];
}

export interface UploadRecord {
  readonly uploadId: string;
  readonly bucket: string;
  readonly key: string;
  readonly initiated: Date;
  readonly headers: ObjectHeaders;
  readonly checksumAlgorithm: ChecksumAlgorithm | undefined;
}

export interface PartRecord {
  readonly uploadId: string;
  readonly partNumber: number;
  readonly size: number;
  /** Unquoted MD5 hex of the part's bytes (its ETag without quotes). */
  readonly md5: string;
  readonly lastModified: Date;
  readonly checksum: Checksum | undefined;
  readonly blob: string;
}

/** Why an object event happened: the operation that caused it. */
export type ObjectEventReason = 'PutObject' | 'CompleteMultipartUpload' | 'CopyObject' | 'DeleteObject' | 'DeleteObjects';

/**
 * An object change, as the event bus turns it into an EventBridge "Object Created" /
 * "Object Deleted" event. `etag` is unquoted (as in S3's event detail), `time` is ISO
 * 8601, `sequencer` is hex that grows with every event of this data directory.
 */
export interface ObjectEvent {
  readonly type: 'Object Created' | 'Object Deleted';
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly sequencer: string;
  readonly versionId?: string;
  readonly reason: ObjectEventReason;
  readonly time: string;
}

/** An event still to deliver, with the id to acknowledge it by. */
export interface OutboxEntry {
  readonly id: number;
  readonly event: ObjectEvent;
}

export type ObjectEventListener = (event: ObjectEvent, outboxId: number) => void;
