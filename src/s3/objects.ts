import { bucketAndKey, readXml, requireBucket } from './common.js';
import { evaluateConditions } from './conditions.js';
import type { S3Context } from './context.js';
import { checksumHeader } from './checksums.js';
import { invalidArgument, malformedXml, noSuchKey, preconditionFailed, s3Error } from './errors.js';
import { objectHeadersOf, objectResponseHeaders, responseOverrides } from './headers.js';
import { emptyResponse, xmlResponse, type S3Call, type S3Response } from './http.js';
import { bodySpecOf, ingest } from './ingest.js';
import type { ObjectRecord } from './model.js';
import { MAX_KEY_BYTES, checkKey } from './names.js';
import { contentRange, parseRange, type ByteRange } from './range.js';
import { header } from './request.js';
import { commitObject, deleteKeys, writeConditionsOf } from './writes.js';
import { childText, childrenNamed, el, parent, xmlDocument } from './xml.js';

const MAX_DELETE_KEYS = 1000;
/** Objects up to this size are read in one go and sent with their headers. */
const SMALL_BODY = 64 * 1024;

/** Single-object operations: PutObject, GetObject, HeadObject, DeleteObject, and DeleteObjects. */
export class Objects {
  constructor(private readonly ctx: S3Context) {}

  /** Streams the body to a durable blob, then commits the row; answers only after the commit. */
  async put(call: S3Call): Promise<S3Response> {
    const { bucket, key } = bucketAndKey(call);
    checkKey(key);
    requireBucket(this.ctx, bucket);
    const headers = objectHeadersOf(call.req);
    const spec = bodySpecOf(call.req);
    const conditions = writeConditionsOf(call.req);
    const body = await ingest(this.ctx.blobs, call.req, spec);
    const record: ObjectRecord = {
      bucket,
      key,
      size: body.size,
      etag: `"${body.md5Hex}"`,
      lastModified: this.ctx.clock.now(),
      headers,
      checksum: body.checksum,
      segments: [{ blob: body.blob, size: body.size }],
    };
    await commitObject(this.ctx, record, 'PutObject', { conditions });
    const out: Record<string, string> = { etag: record.etag };
    if (body.checksum) {
      out[checksumHeader(body.checksum.algorithm)] = body.checksum.value;
      out['x-amz-checksum-type'] = 'FULL_OBJECT';
    }
    return emptyResponse(200, out);
  }

  get(call: S3Call): S3Response {
    const view = this.view(call);
    if ('notModified' in view) return view.notModified;
    const { object, range, status, headers } = view;
    const length = range ? range.end - range.start + 1 : object.size;
    const body = length <= SMALL_BODY ? this.ctx.blobs.readSmall(object.segments, range) : this.ctx.blobs.open(object.segments, range);
    return { status, headers, body };
  }

  head(call: S3Call): S3Response {
    const view = this.view(call);
    return 'notModified' in view ? view.notModified : { status: view.status, headers: view.headers };
  }

  async delete(call: S3Call): Promise<S3Response> {
    const { bucket, key } = bucketAndKey(call);
    requireBucket(this.ctx, bucket);
    await deleteKeys(this.ctx, bucket, [key], 'DeleteObject');
    return emptyResponse(204);
  }

  /** DeleteObjects: up to 1000 keys in one transaction; absent keys count as deleted, as in S3. */
  async deleteMany(call: S3Call): Promise<S3Response> {
    const bucket = call.target.bucket ?? '';
    requireBucket(this.ctx, bucket);
    const body = await readXml(call, this.ctx, 'Delete');
    if (!body) throw malformedXml('the request has no Delete document');
    const quiet = childText(body.doc, 'Quiet')?.trim().toLowerCase() === 'true';
    const entries = childrenNamed(body.doc, 'Object');
    if (entries.length === 0 || entries.length > MAX_DELETE_KEYS) throw malformedXml(`a Delete names 1 to ${MAX_DELETE_KEYS} objects, this one ${entries.length}`);
    const errors: string[] = [];
    const keys: string[] = [];
    for (const entry of entries) {
      const key = childText(entry, 'Key') ?? '';
      const version = childText(entry, 'VersionId');
      if (key === '' || Buffer.byteLength(key) > MAX_KEY_BYTES) errors.push(deleteError(key, 'InvalidArgument', 'Invalid key.'));
      else if (version !== undefined && version !== 'null') errors.push(deleteError(key, 'NoSuchVersion', 'The specified version does not exist.'));
      else keys.push(key);
    }
    await deleteKeys(this.ctx, bucket, keys, 'DeleteObjects');
    const deleted = quiet ? [] : keys.map((k) => parent('Deleted', [el('Key', k)]));
    return xmlResponse(xmlDocument('DeleteResult', [...deleted, ...errors]));
  }

  /** The object, the range and the headers GET and HEAD share, or the 304 answer. */
  private view(call: S3Call): { notModified: S3Response } | { object: ObjectRecord; range: ByteRange | undefined; status: number; headers: Record<string, string | number> } {
    const { bucket, key } = bucketAndKey(call);
    requireBucket(this.ctx, bucket);
    const object = this.ctx.store.object(bucket, key);
    if (!object) throw noSuchKey(key);
    const req = call.req;
    const outcome = evaluateConditions(
      { ifMatch: header(req, 'if-match'), ifNoneMatch: header(req, 'if-none-match'), ifModifiedSince: header(req, 'if-modified-since'), ifUnmodifiedSince: header(req, 'if-unmodified-since') },
      object.etag,
      object.lastModified,
    );
    if (outcome === 'precondition-failed') throw preconditionFailed(header(req, 'if-match') !== undefined ? 'If-Match' : 'If-Unmodified-Since');
    if (outcome === 'not-modified') {
      return { notModified: emptyResponse(304, { etag: object.etag, 'last-modified': object.lastModified.toUTCString() }) };
    }
    const { range, partsCount } = this.rangeOf(call, object);
    const whole = range === undefined;
    const checksumMode = header(req, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED';
    const headers: Record<string, string | number> = {
      ...objectResponseHeaders(object, checksumMode && whole),
      ...responseOverrides(call.target.query),
      'content-length': range ? range.end - range.start + 1 : object.size,
    };
    if (range) headers['content-range'] = contentRange(range, object.size);
    if (partsCount !== undefined) headers['x-amz-mp-parts-count'] = partsCount;
    const status = range ? 206 : 200;
    return { object, range, status, headers };
  }

  /** `Range`, or `partNumber` (a part of a multipart object, or 1 for a whole simple one). */
  private rangeOf(call: S3Call, object: ObjectRecord): { range: ByteRange | undefined; partsCount: number | undefined } {
    const partParam = call.target.query.get('partNumber');
    if (partParam === null) return { range: parseRange(header(call.req, 'range'), object.size), partsCount: undefined };
    if (header(call.req, 'range') !== undefined) throw s3Error('InvalidRequest', 'Cannot specify both Range header and partNumber query parameter');
    const n = Number(partParam);
    if (!Number.isInteger(n) || n < 1 || n > 10_000) throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', partParam);
    const multipart = /-\d+"$/.test(object.etag);
    const count = multipart ? object.segments.length : 1;
    if (n > count) throw s3Error('InvalidPartNumber', 'The requested partnumber is not satisfiable');
    if (!multipart) return { range: undefined, partsCount: 1 };
    const start = object.segments.slice(0, n - 1).reduce((sum, s) => sum + s.size, 0);
    const size = object.segments[n - 1]!.size;
    return { range: { start, end: start + size - 1 }, partsCount: count };
  }
}

function deleteError(key: string, code: string, message: string): string {
  return parent('Error', [el('Key', key), el('Code', code), el('Message', message)]);
}
