import { createHash, type Hash } from 'node:crypto';
import type http from 'node:http';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from './blobs.js';
import { CHECKSUM_ALGORITHMS, checksumHeader, isWellFormed, newHasher, parseAlgorithm, type Checksum, type ChecksumAlgorithm, type Hasher } from './checksums.js';
import { AwsChunkedDecoder } from './chunked.js';
import { s3Error } from './errors.js';
import type { Md5Sink } from './md5.js';
import { header } from './request.js';
import { Spool } from './spool.js';

/** The largest object a single PUT (or one part) may carry: 5 GiB. */
export const MAX_PUT_BYTES = 5 * 1024 ** 3;

/** What the request headers say about its body, checked before a byte is stored. */
export interface BodySpec {
  /** Bytes of payload expected after any aws-chunked decoding; undefined when not declared. */
  readonly expectedLength: number | undefined;
  readonly awsChunked: boolean;
  /** `x-amz-content-sha256` when it is the hex SHA-256 of the payload. */
  readonly sha256Hex: string | undefined;
  /** `Content-MD5`, base64. */
  readonly contentMd5: string | undefined;
  /** The flexible checksum to compute, and the value it must have (undefined: taken from the trailer). */
  readonly checksum: { algorithm: ChecksumAlgorithm; expected: string | undefined; trailer: boolean } | undefined;
  readonly maxSize: number;
}

export interface Ingested {
  readonly blob: string;
  readonly size: number;
  readonly md5Hex: string;
  readonly checksum: Checksum | undefined;
}

/** Reads the body-describing headers of a PUT, refusing contradictions and oversized declarations. */
export function bodySpecOf(req: http.IncomingMessage, maxSize = MAX_PUT_BYTES): BodySpec {
  const sha = header(req, 'x-amz-content-sha256') ?? '';
  const awsChunked = sha.startsWith('STREAMING-') || /(^|,)\s*aws-chunked\s*(,|$)/i.test(header(req, 'content-encoding') ?? '');
  const declared = awsChunked ? header(req, 'x-amz-decoded-content-length') : header(req, 'content-length');
  const expectedLength = declared === undefined ? undefined : Number(declared);
  if (expectedLength !== undefined && (!Number.isSafeInteger(expectedLength) || expectedLength < 0)) {
    throw s3Error('InvalidArgument', `The declared content length '${declared}' is not a number of bytes.`);
  }
  if (expectedLength !== undefined && expectedLength > maxSize) throw tooLarge(expectedLength, maxSize);
  const contentMd5 = header(req, 'content-md5');
  if (contentMd5 !== undefined && Buffer.from(contentMd5, 'base64').length !== 16) {
    throw s3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.', { 'Content-MD5': contentMd5 });
  }
  return {
    expectedLength,
    awsChunked,
    sha256Hex: /^[0-9a-f]{64}$/i.test(sha) ? sha.toLowerCase() : undefined,
    contentMd5,
    checksum: checksumSpecOf(req),
    maxSize,
  };
}

function checksumSpecOf(req: http.IncomingMessage): BodySpec['checksum'] {
  if (header(req, 'x-amz-checksum-crc64nvme') !== undefined) throw s3Error('NotImplemented', 'skiff does not implement the CRC64NVME checksum; use CRC32, CRC32C, SHA1 or SHA256.');
  const given = CHECKSUM_ALGORITHMS.filter((a) => header(req, checksumHeader(a)) !== undefined);
  if (given.length > 1) throw s3Error('InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const trailer = header(req, 'x-amz-trailer');
  if (given[0] !== undefined) {
    const value = header(req, checksumHeader(given[0]))!;
    if (!isWellFormed(given[0], value)) throw s3Error('InvalidRequest', `Value for ${checksumHeader(given[0])} header is invalid.`);
    return { algorithm: given[0], expected: value, trailer: false };
  }
  if (trailer !== undefined) {
    const algorithm = /^x-amz-checksum-(\w+)$/i.exec(trailer.trim())?.[1];
    const parsed = algorithm ? parseAlgorithm(algorithm) : undefined;
    if (!parsed) throw s3Error('InvalidRequest', `The value specified in the x-amz-trailer header is not supported: '${trailer}'.`);
    return { algorithm: parsed, expected: undefined, trailer: true };
  }
  const sdk = header(req, 'x-amz-sdk-checksum-algorithm') ?? header(req, 'x-amz-checksum-algorithm');
  const algorithm = sdk ? parseAlgorithm(sdk) : undefined;
  if (sdk && !algorithm) throw s3Error('InvalidRequest', `Checksum algorithm '${sdk}' is not supported; use CRC32, CRC32C, SHA1 or SHA256.`);
  return algorithm ? { algorithm, expected: undefined, trailer: false } : undefined;
}

/**
 * Streams a body into a new blob, computing the ETag's MD5, the flexible checksum and
 * (for signed payloads) the SHA-256 on the way, and checks them all before the blob is
 * moved into place. Memory stays at a few buffers whatever the size.
 */
export async function ingest(blobs: BlobStore, source: Readable, spec: BodySpec): Promise<Ingested> {
  const digester = new Digester(spec);
  const decoder = spec.awsChunked ? new AwsChunkedDecoder() : undefined;
  const { id, checked } = await blobs.write(async (file) => {
    const spool = new Spool(file, spec.expectedLength);
    try {
      if (decoder) await pipeline(source, decoder, digester, spool);
      else await pipeline(source, digester, spool);
    } catch (err) {
      spool.md5.discard();
      await spool.idle();
      throw clientGone(err) ? s3Error('IncompleteBody', 'The request body ended before its declared length: the client went away.') : err;
    }
    return () => digester.verify(spool.md5, decoder?.trailers);
  });
  return { blob: id, ...checked };
}

/** Passes bytes through, counting them and computing the digests other than the MD5 (the spool's). */
class Digester extends Transform {
  private readonly sha256: Hash | undefined;
  private readonly checksum: Hasher | undefined;
  private size = 0;

  constructor(private readonly spec: BodySpec) {
    super();
    this.sha256 = spec.sha256Hex ? createHash('sha256') : undefined;
    this.checksum = spec.checksum ? newHasher(spec.checksum.algorithm) : undefined;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.spec.maxSize) return done(tooLarge(this.size, this.spec.maxSize));
    if (this.spec.expectedLength !== undefined && this.size > this.spec.expectedLength) {
      return done(s3Error('IncompleteBody', 'The request body is longer than its declared length.'));
    }
    this.sha256?.update(chunk);
    this.checksum?.update(chunk);
    done(null, chunk);
  }

  /** Checks length and digests once the whole body is written; returns what was computed. */
  async verify(md5Sink: Md5Sink, trailers: ReadonlyMap<string, string> | undefined): Promise<Omit<Ingested, 'blob'>> {
    const { spec } = this;
    if (spec.expectedLength !== undefined && this.size !== spec.expectedLength) {
      md5Sink.discard();
      throw s3Error('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
    }
    const md5 = await md5Sink.digest();
    if (this.sha256) {
      const computed = this.sha256.digest('hex');
      if (computed !== spec.sha256Hex) {
        throw s3Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", {
          ClientComputedContentSHA256: spec.sha256Hex ?? '',
          S3ComputedContentSHA256: computed,
        });
      }
    }
    if (spec.contentMd5 !== undefined && md5.toString('base64') !== spec.contentMd5) {
      throw s3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', {
        ExpectedDigest: spec.contentMd5,
        CalculatedDigest: md5.toString('base64'),
      });
    }
    return { size: this.size, md5Hex: md5.toString('hex'), checksum: this.checkChecksum(trailers) };
  }

  private checkChecksum(trailers: ReadonlyMap<string, string> | undefined): Checksum | undefined {
    const want = this.spec.checksum;
    if (!want || !this.checksum) return undefined;
    const value = this.checksum.digest();
    const name = checksumHeader(want.algorithm);
    const expected = want.trailer ? trailers?.get(name) : want.expected;
    if (want.trailer && expected === undefined) {
      throw s3Error('InvalidRequest', `The x-amz-trailer header named ${name}, but the body carried no such trailer.`);
    }
    if (expected !== undefined && expected !== value) {
      throw s3Error('BadDigest', `The ${want.algorithm} you specified did not match the calculated checksum.`);
    }
    return { algorithm: want.algorithm, value };
  }
}

/** A body cut short by the client (connection reset, aborted request) is its fault, not a server error. */
function clientGone(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || code === 'ECONNABORTED';
}

function tooLarge(size: number, max: number): Error {
  return s3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
    ProposedSize: String(size),
    MaxSizeAllowed: String(max),
  });
}
