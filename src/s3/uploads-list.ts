import { intParam, ownerXml } from './common.js';
import type { S3Context } from './context.js';
import { xmlResponse, type S3Call, type S3Response } from './http.js';
import type { UploadRecord } from './model.js';
import { prefixUpperBound, urlEncodeKey } from './names.js';
import { el, parent, xmlDocument } from './xml.js';

type Item = { kind: 'upload'; upload: UploadRecord } | { kind: 'prefix'; prefix: string };

/** Past every upload id (hex): an upload-id-marker-less key-marker skips the whole key. */
const AFTER_ALL_IDS = '\u{10FFFF}';

/**
 * ListMultipartUploads: in-progress uploads in key (then upload id) order, after
 * key-marker/upload-id-marker, with the delimiter rolling keys up into common prefixes.
 */
export function listUploads(ctx: S3Context, call: S3Call): S3Response {
  const bucket = call.target.bucket ?? '';
  const q = call.target.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') || undefined;
  const max = intParam(q, 'max-uploads', 1000, 1000);
  const keyMarker = q.get('key-marker') ?? '';
  const idMarker = keyMarker !== '' ? (q.get('upload-id-marker') ?? AFTER_ALL_IDS) : '';
  const items = scan(ctx, bucket, { prefix, delimiter, want: max + 1, after: { key: keyMarker, uploadId: idMarker } });
  const truncated = items.length > max;
  if (truncated) items.pop();
  const last = items[items.length - 1];
  const enc = q.get('encoding-type') === 'url' ? urlEncodeKey : (s: string) => s;
  const owner = ownerXml(ctx);
  const body = items.map((item) =>
    item.kind === 'prefix'
      ? parent('CommonPrefixes', [el('Prefix', enc(item.prefix))])
      : parent('Upload', [
          el('Key', enc(item.upload.key)),
          el('UploadId', item.upload.uploadId),
          owner.replace(/Owner>/g, 'Initiator>'),
          owner,
          el('StorageClass', 'STANDARD'),
          el('Initiated', item.upload.initiated),
          el('ChecksumAlgorithm', item.upload.checksumAlgorithm),
        ]),
  );
  return xmlResponse(
    xmlDocument('ListMultipartUploadsResult', [
      el('Bucket', bucket),
      el('KeyMarker', enc(keyMarker)),
      el('UploadIdMarker', q.get('upload-id-marker') ?? ''),
      el('NextKeyMarker', truncated && last ? enc(last.kind === 'upload' ? last.upload.key : last.prefix) : undefined),
      el('NextUploadIdMarker', truncated && last?.kind === 'upload' ? last.upload.uploadId : undefined),
      el('Prefix', enc(prefix)),
      el('Delimiter', delimiter !== undefined ? enc(delimiter) : undefined),
      el('MaxUploads', max),
      el('EncodingType', q.get('encoding-type') === 'url' ? 'url' : undefined),
      el('IsTruncated', truncated),
      ...body,
    ]),
  );
}

function scan(
  ctx: S3Context,
  bucket: string,
  opts: { prefix: string; delimiter: string | undefined; want: number; after: { key: string; uploadId: string } },
): Item[] {
  const items: Item[] = [];
  const below = opts.prefix === '' ? undefined : prefixUpperBound(opts.prefix);
  let from = opts.prefix;
  let after = opts.after;
  for (;;) {
    const limit = Math.min(1000, opts.want - items.length);
    if (limit <= 0) return items;
    const rows = ctx.store.scanUploads(bucket, from, below, after, limit);
    let jumped = false;
    for (const u of rows) {
      const at = opts.delimiter ? u.key.indexOf(opts.delimiter, opts.prefix.length) : -1;
      if (at < 0) {
        items.push({ kind: 'upload', upload: u });
        after = { key: u.key, uploadId: u.uploadId };
        continue;
      }
      const common = u.key.slice(0, at + opts.delimiter!.length);
      if (common !== opts.after.key) items.push({ kind: 'prefix', prefix: common });
      const next = prefixUpperBound(common);
      if (next === undefined) return items;
      from = next;
      jumped = true;
      break;
    }
    if (!jumped && rows.length < limit) return items;
  }
}
