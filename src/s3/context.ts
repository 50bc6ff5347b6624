import type { AccountScope, Clock, IdGenerator, Logger } from '../core/index.js';
import type { Db } from '../store/index.js';
import type { BlobStore } from './blobs.js';
import type { ObjectEvents } from './events.js';
import type { S3Store } from './store.js';

/** What the object store is built from; the composition root supplies real parts. */
export interface S3Deps {
  readonly db: Db;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly scope: AccountScope;
  readonly logger: Logger;
  /** Object bytes go under `<dataDir>/s3/`. */
  readonly dataDir: string;
  /** Host suffixes for virtual-host style (`<bucket>.<domain>`); `s3.localhost` when not given. */
  readonly virtualHostDomains?: readonly string[] | undefined;
  /** Largest XML request document (DeleteObjects, CompleteMultipartUpload, ...), in bytes. */
  readonly maxXmlBytes?: number | undefined;
}

/** What each operation area works with. */
export interface S3Context {
  readonly store: S3Store;
  readonly blobs: BlobStore;
  readonly events: ObjectEvents;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly scope: AccountScope;
  readonly logger: Logger;
  /** The canonical user id S3 shows as Owner ID. */
  readonly ownerId: string;
  readonly maxXmlBytes: number;
}
