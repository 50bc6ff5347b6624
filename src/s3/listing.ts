import { intParam, ownerXml, requireBucket } from './common.js';
import type { S3Context } from './context.js';
import { invalidArgument } from './errors.js';
import { xmlResponse, type S3Call, type S3Response } from './http.js';
import type { ObjectRecord } from './model.js';
import { prefixUpperBound, urlEncodeKey } from './names.js';
import type { S3Store } from './store.js';
import { el, parent, xmlDocument } from './xml.js';

const MAX_KEYS = 1000;

export interface ListQuery {
  readonly prefix: string;
  readonly delimiter: string | undefined;
  readonly maxKeys: number;
  /** Only keys (and common prefixes) after this one, in UTF-8 byte order. */
  readonly marker: string;
}

export type Listed = { kind: 'key'; object: ObjectRecord } | { kind: 'prefix'; prefix: string };

export interface ListPage {
  readonly items: Listed[];
  readonly truncated: boolean;
  /** The last key or common prefix returned: where the next page continues. */
  readonly last: string | undefined;
}

/**
 * One page of a listing, in key order, rolling keys that contain the delimiter after
 * the prefix up into common prefixes (each counting as one of max-keys). After a
 * common prefix the scan jumps past every key under it with one indexed query, so a
 * folder of a million keys costs one row, not a million. A common prefix not after the
 * marker (the previous page ended inside or on it) is skipped the same way.
 */
export function listPage(store: S3Store, bucket: string, q: ListQuery): ListPage {
  if (q.maxKeys === 0) return { items: [], truncated: false, last: undefined };
  const items: Listed[] = [];
  const want = q.maxKeys + 1; // one more than asked, to know whether the listing is truncated
  const below = q.prefix === '' ? undefined : prefixUpperBound(q.prefix);
  let from = q.prefix;
  let after = q.marker;
  let exhausted = false;
  while (items.length < want && !exhausted) {
    const limit = Math.min(1000, want - items.length);
    const rows = store.scanObjects(bucket, { from, after, below, limit });
    exhausted = rows.length < limit;
    for (const row of rows) {
      const common = commonPrefixOf(row.key, q.prefix, q.delimiter);
      if (common === undefined) {
        items.push({ kind: 'key', object: row });
        after = row.key;
      } else {
        if (utf8Compare(common, q.marker) > 0) items.push({ kind: 'prefix', prefix: common });
        const next = prefixUpperBound(common);
        exhausted = next === undefined;
        from = next ?? from;
        break; // re-query from past the common prefix
      }
      if (items.length === want) break;
    }
  }
  const truncated = items.length > q.maxKeys;
  if (truncated) items.pop();
  const lastItem = items[items.length - 1];
  return { items, truncated, last: lastItem && (lastItem.kind === 'key' ? lastItem.object.key : lastItem.prefix) };
}

function commonPrefixOf(key: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (!delimiter) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

function utf8Compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** ListObjectsV2 and ListObjects (v1). */
export class Listing {
  constructor(private readonly ctx: S3Context) {}

  v2(call: S3Call): S3Response {
    const bucket = call.target.bucket ?? '';
    requireBucket(this.ctx, bucket);
    const q = call.target.query;
    const token = q.get('continuation-token');
    const startAfter = q.get('start-after') ?? undefined;
    const query = this.queryOf(q, token !== null ? decodeContinuation(token) : (startAfter ?? ''));
    const page = listPage(this.ctx.store, bucket, query);
    const enc = encoder(q);
    return xmlResponse(
      xmlDocument('ListBucketResult', [
        el('Name', bucket),
        el('Prefix', enc(query.prefix)),
        el('Delimiter', query.delimiter !== undefined ? enc(query.delimiter) : undefined),
        el('MaxKeys', query.maxKeys),
        el('EncodingType', q.get('encoding-type') === 'url' ? 'url' : undefined),
        el('IsTruncated', page.truncated),
        el('ContinuationToken', token ?? undefined),
        el('NextContinuationToken', page.truncated && page.last !== undefined ? encodeContinuation(page.last) : undefined),
        el('StartAfter', startAfter !== undefined ? enc(startAfter) : undefined),
        el('KeyCount', page.items.length),
        ...this.items(page, enc, q.get('fetch-owner') === 'true'),
      ]),
    );
  }

  v1(call: S3Call): S3Response {
    const bucket = call.target.bucket ?? '';
    requireBucket(this.ctx, bucket);
    const q = call.target.query;
    const marker = q.get('marker') ?? '';
    const query = this.queryOf(q, marker);
    const page = listPage(this.ctx.store, bucket, query);
    const enc = encoder(q);
    // S3 gives NextMarker only with a delimiter; without one, clients continue from the last key
    const nextMarker = page.truncated && query.delimiter !== undefined ? page.last : undefined;
    return xmlResponse(
      xmlDocument('ListBucketResult', [
        el('Name', bucket),
        el('Prefix', enc(query.prefix)),
        el('Marker', enc(marker)),
        el('NextMarker', nextMarker !== undefined ? enc(nextMarker) : undefined),
        el('MaxKeys', query.maxKeys),
        el('Delimiter', query.delimiter !== undefined ? enc(query.delimiter) : undefined),
        el('EncodingType', q.get('encoding-type') === 'url' ? 'url' : undefined),
        el('IsTruncated', page.truncated),
        ...this.items(page, enc, true),
      ]),
    );
  }

  private queryOf(q: URLSearchParams, marker: string): ListQuery {
    const encodingType = q.get('encoding-type');
    if (encodingType !== null && encodingType !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
    const delimiter = q.get('delimiter');
    return { prefix: q.get('prefix') ?? '', delimiter: delimiter === null || delimiter === '' ? undefined : delimiter, maxKeys: intParam(q, 'max-keys', MAX_KEYS, MAX_KEYS), marker };
  }

  private items(page: ListPage, enc: (s: string) => string, withOwner: boolean): string[] {
    const owner = withOwner ? ownerXml(this.ctx) : '';
    const contents = page.items.flatMap((item) =>
      item.kind === 'key'
        ? [
            parent('Contents', [
              el('Key', enc(item.object.key)),
              el('LastModified', item.object.lastModified),
              el('ETag', item.object.etag),
              el('ChecksumAlgorithm', item.object.checksum?.algorithm),
              el('Size', item.object.size),
              el('StorageClass', 'STANDARD'),
              owner,
            ]),
          ]
        : [],
    );
    const prefixes = page.items.flatMap((item) => (item.kind === 'prefix' ? [parent('CommonPrefixes', [el('Prefix', enc(item.prefix))])] : []));
    return [...contents, ...prefixes];
  }
}

function encoder(q: URLSearchParams): (s: string) => string {
  return q.get('encoding-type') === 'url' ? urlEncodeKey : (s) => s;
}

function encodeContinuation(last: string): string {
  return Buffer.from(JSON.stringify({ after: last }), 'utf8').toString('base64url');
}

function decodeContinuation(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // answered below
  }
  throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
}
