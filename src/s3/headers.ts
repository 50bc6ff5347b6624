import type http from 'node:http';
import { checksumHeader } from './checksums.js';
import { s3Error } from './errors.js';
import type { ObjectHeaders, ObjectRecord } from './model.js';
import { header } from './request.js';

/** What S3 answers when an object was stored without a Content-Type. */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';
/** S3's limit on user metadata: names and values together, in bytes. */
const MAX_METADATA_BYTES = 2048;

/** The representation headers and `x-amz-meta-*` of a PUT (or CreateMultipartUpload, or CopyObject with REPLACE). */
export function objectHeadersOf(req: http.IncomingMessage): ObjectHeaders {
  const meta: Record<string, string> = {};
  let metaBytes = 0;
  for (const [name, value] of Object.entries(req.headers)) {
    if (!name.startsWith('x-amz-meta-') || value === undefined) continue;
    const v = Array.isArray(value) ? value.join(',') : value;
    const short = name.slice('x-amz-meta-'.length);
    meta[short] = v;
    metaBytes += Buffer.byteLength(short) + Buffer.byteLength(v);
  }
  if (metaBytes > MAX_METADATA_BYTES) {
    throw s3Error('InvalidArgument', `Your metadata headers exceed the maximum allowed metadata size (${MAX_METADATA_BYTES} bytes).`);
  }
  return {
    contentType: header(req, 'content-type'),
    contentEncoding: withoutAwsChunked(header(req, 'content-encoding')),
    contentDisposition: header(req, 'content-disposition'),
    contentLanguage: header(req, 'content-language'),
    cacheControl: header(req, 'cache-control'),
    expires: header(req, 'expires'),
    meta,
  };
}

/** `aws-chunked` is the transfer framing, not the object's encoding: S3 does not keep it. */
function withoutAwsChunked(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const rest = value.split(',').map((s) => s.trim()).filter((s) => s !== '' && s.toLowerCase() !== 'aws-chunked');
  return rest.length > 0 ? rest.join(',') : undefined;
}

/** The headers GET and HEAD answer with (Content-Length and Content-Range are the caller's). */
export function objectResponseHeaders(o: ObjectRecord, withChecksum: boolean): Record<string, string> {
  const h = o.headers;
  const out: Record<string, string> = {
    'etag': o.etag,
    'last-modified': o.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    'content-type': h.contentType ?? DEFAULT_CONTENT_TYPE,
  };
  if (h.contentEncoding) out['content-encoding'] = h.contentEncoding;
  if (h.contentDisposition) out['content-disposition'] = h.contentDisposition;
  if (h.contentLanguage) out['content-language'] = h.contentLanguage;
  if (h.cacheControl) out['cache-control'] = h.cacheControl;
  if (h.expires) out['expires'] = h.expires;
  for (const [k, v] of Object.entries(h.meta)) out[`x-amz-meta-${k}`] = v;
  if (withChecksum && o.checksum) {
    out[checksumHeader(o.checksum.algorithm)] = o.checksum.value;
    out['x-amz-checksum-type'] = o.checksum.value.includes('-') ? 'COMPOSITE' : 'FULL_OBJECT';
  }
  return out;
}

/** The `response-*` query overrides of GetObject (e.g. `response-content-disposition`). */
export function responseOverrides(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['content-type', 'content-language', 'expires', 'cache-control', 'content-disposition', 'content-encoding']) {
    const v = query.get(`response-${name}`);
    if (v !== null) out[name] = v;
  }
  return out;
}
