import { createHash } from 'node:crypto';
import path from 'node:path';
import type { RawHandler } from '../api/index.js';
import { BlobStore } from './blobs.js';
import { Buckets } from './buckets.js';
import type { S3Context, S3Deps } from './context.js';
import { copyObject } from './copy.js';
import { ObjectEvents } from './events.js';
import { send, sendError, type S3Call, type S3Response } from './http.js';
import { Listing } from './listing.js';
import type { ObjectEventListener, OutboxEntry } from './model.js';
import { Multipart } from './multipart.js';
import { Objects } from './objects.js';
import { checkPresigned } from './presigned.js';
import { DEFAULT_VIRTUAL_HOST_DOMAINS, parseTarget, type S3Target } from './request.js';
import { resolveOperation, type S3Operation } from './router.js';
import { S3Store } from './store.js';

export interface S3 {
  /** The SigV4 signing name the edge routes by (also where unsigned, target-less requests go). */
  readonly signingName: 's3';
  readonly handler: RawHandler;
  /** Creates the data directories and sweeps what a crash left behind; call before serving. */
  start(): void;
  /**
   * Listens to object events of buckets whose notification configuration has
   * `<EventBridgeConfiguration/>`, called after each change has committed. The same
   * events are in the outbox; a listener is a wake-up call, `takeOutbox` is the truth.
   * Returns a function that removes the listener.
   */
  onObjectEvent(listener: ObjectEventListener): () => void;
  /** The oldest undelivered events (at most `limit`), without removing them. */
  takeOutbox(limit: number): OutboxEntry[];
  /** Removes delivered events from the outbox. */
  ackOutbox(ids: readonly number[]): void;
}

type Operation = (call: S3Call) => S3Response | Promise<S3Response>;

/** The S3-compatible object store (rest-xml), served as the edge's raw handler for `s3`. */
export function createS3(deps: S3Deps): S3 {
  const store = new S3Store(deps.db);
  const blobs = new BlobStore(path.join(deps.dataDir, 's3'), deps.ids, deps.logger);
  const events = new ObjectEvents(store, deps.logger);
  const ctx: S3Context = {
    store,
    blobs,
    events,
    clock: deps.clock,
    ids: deps.ids,
    scope: deps.scope,
    logger: deps.logger,
    ownerId: createHash('sha256').update(`skiff:${deps.scope.account}`).digest('hex'),
    maxXmlBytes: deps.maxXmlBytes ?? 2 * 1024 * 1024,
  };
  const operations = operationTable(ctx);
  const domains = deps.virtualHostDomains ?? DEFAULT_VIRTUAL_HOST_DOMAINS;

  const handler: RawHandler = async (req, res, requestCtx) => {
    let target: Pick<S3Target, 'resource'> = { resource: (req.url ?? '/').split('?')[0] ?? '/' };
    try {
      const parsed = parseTarget(req, domains);
      target = parsed;
      const now = deps.clock.now();
      checkPresigned(parsed.query, now);
      const op = resolveOperation(req, parsed);
      const out = await operations[op]({ req, target: parsed, ctx: requestCtx, now });
      await send(req, res, out, requestCtx.requestId);
    } catch (err) {
      sendError(req, res, err, target, requestCtx, deps.logger);
    }
  };

  return {
    signingName: 's3',
    handler,
    start: () => {
      const swept = blobs.recover(store.referencedBlobs());
      if (swept.temps + swept.orphans > 0) deps.logger.info('s3: removed files left by an interrupted write', swept);
    },
    onObjectEvent: (listener) => events.on(listener),
    takeOutbox: (limit) => events.take(limit),
    ackOutbox: (ids) => events.ack(ids),
  };
}

function operationTable(ctx: S3Context): Record<S3Operation, Operation> {
  const buckets = new Buckets(ctx);
  const objects = new Objects(ctx);
  const listing = new Listing(ctx);
  const multipart = new Multipart(ctx);
  return {
    ListBuckets: (c) => buckets.list(c),
    CreateBucket: (c) => buckets.create(c),
    HeadBucket: (c) => buckets.head(c),
    DeleteBucket: (c) => buckets.delete(c),
    GetBucketLocation: (c) => buckets.location(c),
    GetBucketVersioning: (c) => buckets.getVersioning(c),
    GetBucketNotificationConfiguration: (c) => buckets.getNotification(c),
    PutBucketNotificationConfiguration: (c) => buckets.putNotification(c),
    ListObjects: (c) => listing.v1(c),
    ListObjectsV2: (c) => listing.v2(c),
    PutObject: (c) => objects.put(c),
    GetObject: (c) => objects.get(c),
    HeadObject: (c) => objects.head(c),
    DeleteObject: (c) => objects.delete(c),
    DeleteObjects: (c) => objects.deleteMany(c),
    CopyObject: (c) => copyObject(ctx, c),
    CreateMultipartUpload: (c) => multipart.create(c),
    UploadPart: (c) => multipart.uploadPart(c),
    UploadPartCopy: (c) => multipart.uploadPartCopy(c),
    CompleteMultipartUpload: (c) => multipart.complete(c),
    AbortMultipartUpload: (c) => multipart.abort(c),
    ListParts: (c) => multipart.listParts(c),
    ListMultipartUploads: (c) => multipart.listUploads(c),
  };
}
