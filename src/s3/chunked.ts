import { Transform, type TransformCallback } from 'node:stream';
import { s3Error } from './errors.js';

/**
 * Decodes the `aws-chunked` content encoding SDKs use for streaming uploads
 * (`x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER`,
 * `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`):
 *
 *   <hex size>[;chunk-signature=<sig>]\r\n <size bytes>\r\n   ... repeated ...
 *   0[;chunk-signature=<sig>]\r\n
 *   [<trailer name>:<value>\r\n ...]           (e.g. x-amz-checksum-crc32:AAAAAA==)
 *   \r\n
 *
 * A state machine over the incoming buffers: payload bytes are passed on as slices of
 * the input (no copy), only the short header and trailer lines are gathered. Chunk and
 * trailer signatures are not verified here (signature checks belong to IAM).
 */
type State = 'size' | 'data' | 'data-crlf' | 'trailer' | 'done';

const MAX_LINE = 4096;
const MAX_TRAILERS = 16;
const CRLF = Buffer.from('\r\n');

export class AwsChunkedDecoder extends Transform {
  /** Trailer headers by lowercase name, complete once the stream has ended. */
  readonly trailers = new Map<string, string>();
  private state: State = 'size';
  private remaining = 0;
  private line: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.consume(chunk);
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    // some clients end after the last trailer's CRLF without the closing empty line
    if (this.state === 'trailer' && this.line.length === 0) this.state = 'done';
    if (this.state !== 'done') {
      done(s3Error('IncompleteBody', 'The request body ended inside an aws-chunked chunk; the upload is incomplete.'));
      return;
    }
    done();
  }

  private consume(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      switch (this.state) {
        case 'data': {
          const n = Math.min(this.remaining, chunk.length - at);
          this.push(chunk.subarray(at, at + n));
          at += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = 'data-crlf';
          break;
        }
        case 'done':
          return; // bytes after the final empty line are ignored, as S3 does
        default: {
          const end = this.takeLine(chunk, at);
          if (end < 0) return;
          at = end;
          this.onLine(this.line.toString('latin1'));
          this.line = Buffer.alloc(0);
        }
      }
    }
  }

  /** Gathers bytes up to CRLF into `line`; returns the offset after the CRLF, or -1 if not yet seen. */
  private takeLine(chunk: Buffer, at: number): number {
    const joined = this.line.length === 0 ? chunk.subarray(at) : Buffer.concat([this.line, chunk.subarray(at)]);
    const idx = joined.indexOf(CRLF);
    if (idx < 0) {
      if (joined.length > MAX_LINE) throw malformed('a chunk header or trailer line is too long');
      this.line = Buffer.from(joined);
      return -1;
    }
    const consumedFromChunk = idx + 2 - this.line.length;
    this.line = joined.subarray(0, idx);
    return at + consumedFromChunk;
  }

  private onLine(line: string): void {
    switch (this.state) {
      case 'size':
        return this.onSizeLine(line);
      case 'data-crlf':
        if (line !== '') throw malformed('a chunk is longer than its declared size');
        this.state = 'size';
        return;
      case 'trailer':
        return this.onTrailerLine(line);
      default:
        return;
    }
  }

  private onSizeLine(line: string): void {
    const hex = line.split(';', 1)[0]!.trim();
    if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw malformed(`'${line.slice(0, 40)}' is not a chunk size line`);
    this.remaining = parseInt(hex, 16);
    this.state = this.remaining === 0 ? 'trailer' : 'data';
  }

  private onTrailerLine(line: string): void {
    if (line === '') {
      this.state = 'done';
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed(`'${line.slice(0, 40)}' is not a trailer header`);
    if (this.trailers.size >= MAX_TRAILERS) throw malformed('too many trailer headers');
    this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
}

function malformed(why: string): Error {
  return s3Error('InvalidRequest', `The aws-chunked request body is malformed: ${why}.`);
}
