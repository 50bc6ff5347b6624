import { createHash } from 'node:crypto';
import { bucketAndKey, intParam, ownerXml, readXml, requireBucket } from './common.js';
import type { S3Context } from './context.js';
import { checksumHeader, newHasher, parseAlgorithm, type Checksum } from './checksums.js';
import { copyBytes, resolveCopySource } from './copy.js';
import { invalidArgument, malformedXml, noSuchUpload, s3Error } from './errors.js';
import { objectHeadersOf } from './headers.js';
import { emptyResponse, xmlResponse, type S3Call, type S3Response } from './http.js';
import { bodySpecOf, ingest, type Ingested } from './ingest.js';
import type { ObjectRecord, PartRecord, UploadRecord } from './model.js';
import { checkKey } from './names.js';
import { parseCopyRange } from './range.js';
import { header } from './request.js';
import { commitObject } from './writes.js';
import { childText, childrenNamed, el, parent, xmlDocument } from './xml.js';
import { listUploads } from './uploads-list.js';

/** Every part but the last must be at least this large. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10_000;

/** Multipart uploads: create, upload (or copy) parts, complete, abort, list. */
export class Multipart {
  constructor(private readonly ctx: S3Context) {}

  create(call: S3Call): S3Response {
    const { bucket, key } = bucketAndKey(call);
    checkKey(key);
    const algoHeader = header(call.req, 'x-amz-checksum-algorithm');
    const checksumAlgorithm = algoHeader !== undefined ? parseAlgorithm(algoHeader) : undefined;
    if (algoHeader !== undefined && !checksumAlgorithm) throw invalidArgument('Checksum algorithm provided is unsupported.', 'x-amz-checksum-algorithm', algoHeader);
    const upload: UploadRecord = { uploadId: this.ctx.ids.hex32(), bucket, key, initiated: this.ctx.clock.now(), headers: objectHeadersOf(call.req), checksumAlgorithm };
    this.ctx.store.transaction(() => {
      requireBucket(this.ctx, bucket);
      this.ctx.store.insertUpload(upload);
    });
    const extra: Record<string, string> = checksumAlgorithm ? { 'x-amz-checksum-algorithm': checksumAlgorithm } : {};
    return xmlResponse(xmlDocument('InitiateMultipartUploadResult', [el('Bucket', bucket), el('Key', key), el('UploadId', upload.uploadId)]), 200, extra);
  }

  async uploadPart(call: S3Call): Promise<S3Response> {
    const { upload, partNumber } = this.partTarget(call);
    const body = await ingest(this.ctx.blobs, call.req, bodySpecOf(call.req));
    const part = await this.commitPart(upload, partNumber, body);
    const out: Record<string, string> = { etag: `"${part.md5}"` };
    if (part.checksum) out[checksumHeader(part.checksum.algorithm)] = part.checksum.value;
    return emptyResponse(200, out);
  }

  async uploadPartCopy(call: S3Call): Promise<S3Response> {
    const { upload, partNumber } = this.partTarget(call);
    const source = resolveCopySource(this.ctx, call.req);
    const rangeHeader = header(call.req, 'x-amz-copy-source-range');
    const range = rangeHeader !== undefined ? parseCopyRange(rangeHeader, source.size) : undefined;
    const body = await copyBytes(this.ctx, source, range);
    const part = await this.commitPart(upload, partNumber, body);
    return xmlResponse(xmlDocument('CopyPartResult', [el('ETag', `"${part.md5}"`), el('LastModified', part.lastModified)]));
  }

  async complete(call: S3Call): Promise<S3Response> {
    const upload = this.requireUpload(call);
    const body = await readXml(call, this.ctx, 'CompleteMultipartUpload');
    const requested = body ? childrenNamed(body.doc, 'Part') : [];
    if (requested.length === 0) throw malformedXml('a CompleteMultipartUpload must name at least one part');
    const record = this.assemble(upload, requested.map((p) => ({
      number: Number(childText(p, 'PartNumber')?.trim()),
      etag: (childText(p, 'ETag') ?? '').trim().replace(/"/g, ''),
      checksums: p.children.filter((c) => c.name.startsWith('Checksum')).map((c) => ({ name: c.name, value: c.text.trim() })),
    })));
    await commitObject(this.ctx, record, 'CompleteMultipartUpload', {
      discardOnFailure: false,
      alsoInTransaction: () => {
        if (!this.ctx.store.upload(upload.uploadId)) throw noSuchUpload(upload.uploadId);
        const used = new Set(record.segments.map((s) => s.blob));
        return this.ctx.store.deleteUpload(upload.uploadId).filter((b) => !used.has(b));
      },
    });
    const { bucket, key } = upload;
    return xmlResponse(
      xmlDocument('CompleteMultipartUploadResult', [
        el('Location', `http://${header(call.req, 'host') ?? 'localhost'}/${bucket}/${encodeURI(key)}`),
        el('Bucket', bucket),
        el('Key', key),
        el('ETag', record.etag),
        record.checksum ? el(`Checksum${record.checksum.algorithm}`, record.checksum.value) : '',
      ]),
    );
  }

  async abort(call: S3Call): Promise<S3Response> {
    const upload = this.requireUpload(call);
    const blobs = this.ctx.store.transaction(() => this.ctx.store.deleteUpload(upload.uploadId));
    await this.ctx.blobs.remove(blobs);
    return emptyResponse(204);
  }

  listParts(call: S3Call): S3Response {
    const upload = this.requireUpload(call);
    const q = call.target.query;
    const max = intParam(q, 'max-parts', 1000, 1000);
    const marker = intParam(q, 'part-number-marker', 0, MAX_PART_NUMBER);
    const rows = this.ctx.store.parts(upload.uploadId, marker, max + 1);
    const truncated = rows.length > max;
    const page = rows.slice(0, max);
    const parts = page.map((p) =>
      parent('Part', [el('PartNumber', p.partNumber), el('LastModified', p.lastModified), el('ETag', `"${p.md5}"`), el('Size', p.size), p.checksum ? el(`Checksum${p.checksum.algorithm}`, p.checksum.value) : '']),
    );
    const owner = ownerXml(this.ctx);
    return xmlResponse(
      xmlDocument('ListPartsResult', [
        el('Bucket', upload.bucket), el('Key', upload.key), el('UploadId', upload.uploadId),
        el('PartNumberMarker', marker), el('NextPartNumberMarker', page[page.length - 1]?.partNumber ?? marker),
        el('MaxParts', max), el('IsTruncated', truncated),
        ...parts,
        owner.replace(/Owner>/g, 'Initiator>'), owner, el('StorageClass', 'STANDARD'), el('ChecksumAlgorithm', upload.checksumAlgorithm),
      ]),
    );
  }

  listUploads(call: S3Call): S3Response {
    requireBucket(this.ctx, call.target.bucket ?? '');
    return listUploads(this.ctx, call);
  }

  private requireUpload(call: S3Call): UploadRecord {
    const { bucket, key } = bucketAndKey(call);
    const uploadId = call.target.query.get('uploadId') ?? '';
    requireBucket(this.ctx, bucket);
    const upload = this.ctx.store.upload(uploadId);
    if (!upload || upload.bucket !== bucket || upload.key !== key) throw noSuchUpload(uploadId);
    return upload;
  }

  private partTarget(call: S3Call): { upload: UploadRecord; partNumber: number } {
    const raw = call.target.query.get('partNumber') ?? '';
    const partNumber = Number(raw);
    if (!/^\d+$/.test(raw) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
      throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', raw);
    }
    return { upload: this.requireUpload(call), partNumber };
  }

  /** Commits a part whose bytes are durable; a part uploaded again under the same number replaces the old one. */
  private async commitPart(upload: UploadRecord, partNumber: number, body: Ingested): Promise<PartRecord> {
    const part: PartRecord = { uploadId: upload.uploadId, partNumber, size: body.size, md5: body.md5Hex, lastModified: this.ctx.clock.now(), checksum: body.checksum, blob: body.blob };
    let replaced: PartRecord | undefined;
    try {
      replaced = this.ctx.store.transaction(() => {
        if (!this.ctx.store.upload(upload.uploadId)) throw noSuchUpload(upload.uploadId);
        const old = this.ctx.store.part(upload.uploadId, partNumber);
        this.ctx.store.upsertPart(part);
        return old;
      });
    } catch (err) {
      await this.ctx.blobs.remove([body.blob]);
      throw err;
    }
    if (replaced) await this.ctx.blobs.remove([replaced.blob]);
    return part;
  }

  /** Checks the requested part list against the stored parts and builds the object they make. */
  private assemble(upload: UploadRecord, requested: { number: number; etag: string; checksums: { name: string; value: string }[] }[]): ObjectRecord {
    const parts: PartRecord[] = [];
    requested.forEach((r, i) => {
      if (!Number.isInteger(r.number) || r.number < 1 || r.number > MAX_PART_NUMBER) throw malformedXml('a PartNumber is not an integer from 1 to 10000');
      const prev = requested[i - 1];
      if (prev && r.number <= prev.number) {
        throw s3Error('InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.', { UploadId: upload.uploadId });
      }
      const part = this.ctx.store.part(upload.uploadId, r.number);
      const checksumOk = r.checksums.every((c) => !part?.checksum || c.name !== `Checksum${part.checksum.algorithm}` || c.value === part.checksum.value);
      if (!part || part.md5 !== r.etag || !checksumOk) {
        throw s3Error('InvalidPart', 'One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not have matched the part\'s entity tag.', { UploadId: upload.uploadId, PartNumber: String(r.number), ETag: r.etag });
      }
      parts.push(part);
    });
    parts.slice(0, -1).forEach((p) => {
      if (p.size < MIN_PART_BYTES) {
        throw s3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', { ProposedSize: String(p.size), MinSizeAllowed: String(MIN_PART_BYTES), PartNumber: String(p.partNumber), ETag: `"${p.md5}"` });
      }
    });
    const md5s = Buffer.concat(parts.map((p) => Buffer.from(p.md5, 'hex')));
    return {
      bucket: upload.bucket,
      key: upload.key,
      size: parts.reduce((sum, p) => sum + p.size, 0),
      etag: `"${createHash('md5').update(md5s).digest('hex')}-${parts.length}"`,
      lastModified: this.ctx.clock.now(),
      headers: upload.headers,
      checksum: compositeChecksum(parts),
      segments: parts.map((p) => ({ blob: p.blob, size: p.size })),
    };
  }
}

/** S3's composite checksum of a multipart object: the checksum of the parts' digests, then `-N`. */
function compositeChecksum(parts: readonly PartRecord[]): Checksum | undefined {
  const algorithm = parts[0]?.checksum?.algorithm;
  if (!algorithm || parts.some((p) => p.checksum?.algorithm !== algorithm)) return undefined;
  const hasher = newHasher(algorithm);
  for (const p of parts) hasher.update(Buffer.from(p.checksum!.value, 'base64'));
  return { algorithm, value: `${hasher.digest()}-${parts.length}` };
}
