import { createHash } from 'node:crypto';
import type http from 'node:http';
import { readBody } from '../api/index.js';
import { CHECKSUM_ALGORITHMS, checksumHeader, newHasher } from './checksums.js';
import type { S3Context } from './context.js';
import { invalidArgument, malformedXml, noSuchBucket, s3Error } from './errors.js';
import type { S3Call } from './http.js';
import type { BucketRecord } from './model.js';
import { header } from './request.js';
import { parseXml, XmlSyntaxError, type XmlNode } from './xml.js';

/** The bucket of a request, which must exist. */
export function requireBucket(ctx: S3Context, name: string): BucketRecord {
  const bucket = ctx.store.bucket(name);
  if (!bucket) throw noSuchBucket(name);
  return bucket;
}

/** The bucket and key a routed object operation is addressed to (the router guarantees both). */
export function bucketAndKey(call: S3Call): { bucket: string; key: string } {
  return { bucket: call.target.bucket ?? '', key: call.target.key ?? '' };
}

/**
 * Reads a request's XML document (bounded in size) and checks its root element.
 * Undefined for an empty body; MalformedXML when not well-formed or rooted elsewhere.
 */
export async function readXml(call: S3Call, ctx: S3Context, root: string): Promise<{ doc: XmlNode; text: string } | undefined> {
  const body = await readBody(call.req, ctx.maxXmlBytes);
  verifyDigests(call.req, body);
  const text = body.toString('utf8');
  if (text.trim() === '') return undefined;
  let doc: XmlNode;
  try {
    doc = parseXml(text);
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw malformedXml(err.message);
    throw err;
  }
  if (doc.name !== root) throw malformedXml(`expected a <${root}> document, got <${doc.name}>`);
  return { doc, text };
}

/** Owner of every bucket and object: the one account skiff serves. */
export function ownerXml(ctx: S3Context): string {
  return `<Owner><ID>${ctx.ownerId}</ID><DisplayName>${ctx.scope.account}</DisplayName></Owner>`;
}

/** Reads a non-negative integer query parameter (max-keys, max-parts, ...) with S3's error for garbage. */
export function intParam(query: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d{1,10}$/.test(raw)) throw invalidArgument(`Provided ${name} not an integer or within integer range`, name, raw);
  return Math.min(Number(raw), max);
}

/** Checks a whole (small) body against its Content-MD5 and `x-amz-checksum-*` headers, when given. */
export function verifyDigests(req: http.IncomingMessage, body: Buffer): void {
  const md5 = header(req, 'content-md5');
  if (md5 !== undefined && createHash('md5').update(body).digest('base64') !== md5) {
    throw s3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.');
  }
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const given = header(req, checksumHeader(algorithm));
    if (given === undefined) continue;
    const hasher = newHasher(algorithm);
    hasher.update(body);
    if (hasher.digest() !== given) throw s3Error('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`);
  }
}
