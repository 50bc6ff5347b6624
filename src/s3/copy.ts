import type http from 'node:http';
import { bucketAndKey, requireBucket } from './common.js';
import { evaluateConditions } from './conditions.js';
import type { S3Context } from './context.js';
import { invalidArgument, noSuchKey, preconditionFailed, s3Error } from './errors.js';
import { objectHeadersOf } from './headers.js';
import { xmlResponse, type S3Call, type S3Response } from './http.js';
import { MAX_PUT_BYTES, ingest, type BodySpec, type Ingested } from './ingest.js';
import type { ObjectRecord } from './model.js';
import { checkKey } from './names.js';
import type { ByteRange } from './range.js';
import { header } from './request.js';
import { commitObject, writeConditionsOf } from './writes.js';
import { el, xmlDocument } from './xml.js';

/** Where `x-amz-copy-source` points: `[/]bucket/key[?versionId=...]`, URL-encoded. */
export function parseCopySource(value: string): { bucket: string; key: string } {
  const q = value.indexOf('?');
  const pathPart = (q < 0 ? value : value.slice(0, q)).replace(/^\//, '');
  const version = q < 0 ? null : new URLSearchParams(value.slice(q + 1)).get('versionId');
  const slash = pathPart.indexOf('/');
  let bucket = '';
  let key = '';
  try {
    bucket = decodeURIComponent(slash < 0 ? pathPart : pathPart.slice(0, slash));
    key = slash < 0 ? '' : decodeURIComponent(pathPart.slice(slash + 1));
  } catch {
    // reported below as an invalid copy source
  }
  if (bucket === '' || key === '') throw invalidArgument('Invalid copy source object key', 'x-amz-copy-source', value);
  if (version !== null && version !== 'null') throw s3Error('NoSuchVersion', 'The specified version does not exist.', { Key: key, VersionId: version });
  return { bucket, key };
}

/** The copy source object, after its `x-amz-copy-source-if-*` conditions (all failures are 412). */
export function resolveCopySource(ctx: S3Context, req: http.IncomingMessage): ObjectRecord {
  const { bucket, key } = parseCopySource(header(req, 'x-amz-copy-source') ?? '');
  requireBucket(ctx, bucket);
  const source = ctx.store.object(bucket, key);
  if (!source) throw noSuchKey(key);
  const outcome = evaluateConditions(
    {
      ifMatch: header(req, 'x-amz-copy-source-if-match'),
      ifNoneMatch: header(req, 'x-amz-copy-source-if-none-match'),
      ifModifiedSince: header(req, 'x-amz-copy-source-if-modified-since'),
      ifUnmodifiedSince: header(req, 'x-amz-copy-source-if-unmodified-since'),
    },
    source.etag,
    source.lastModified,
  );
  if (outcome !== 'proceed') throw preconditionFailed('x-amz-copy-source-If-*');
  return source;
}

/** Copies (a range of) an object's bytes into a new durable blob, verifying a stored checksum on the way. */
export async function copyBytes(ctx: S3Context, source: ObjectRecord, range: ByteRange | undefined): Promise<Ingested> {
  const size = range ? range.end - range.start + 1 : source.size;
  if (size > MAX_PUT_BYTES) {
    throw s3Error('InvalidRequest', `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PUT_BYTES}`);
  }
  const spec: BodySpec = {
    expectedLength: size,
    awsChunked: false,
    sha256Hex: undefined,
    contentMd5: undefined,
    checksum: source.checksum && !range ? { algorithm: source.checksum.algorithm, expected: fullObjectValue(source.checksum.value), trailer: false } : undefined,
    maxSize: MAX_PUT_BYTES,
  };
  return ingest(ctx.blobs, ctx.blobs.open(source.segments, range), spec);
}

/** A composite checksum (`<digest>-N`) says nothing about the whole bytes: the copy computes its own. */
function fullObjectValue(value: string): string | undefined {
  return value.includes('-') ? undefined : value;
}

/** CopyObject: a new object with the source's bytes and either its metadata (COPY) or the request's (REPLACE). */
export async function copyObject(ctx: S3Context, call: S3Call): Promise<S3Response> {
  const { bucket, key } = bucketAndKey(call);
  checkKey(key);
  requireBucket(ctx, bucket);
  const directive = (header(call.req, 'x-amz-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  }
  const source = resolveCopySource(ctx, call.req);
  if (source.bucket === bucket && source.key === key && directive === 'COPY') {
    throw s3Error(
      'InvalidRequest',
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const body = await copyBytes(ctx, source, undefined);
  const record: ObjectRecord = {
    bucket,
    key,
    size: body.size,
    etag: `"${body.md5Hex}"`,
    lastModified: ctx.clock.now(),
    headers: directive === 'REPLACE' ? objectHeadersOf(call.req) : source.headers,
    checksum: body.checksum,
    segments: [{ blob: body.blob, size: body.size }],
  };
  await commitObject(ctx, record, 'CopyObject', { conditions: writeConditionsOf(call.req) });
  return xmlResponse(xmlDocument('CopyObjectResult', [el('ETag', record.etag), el('LastModified', record.lastModified)]));
}
