import { s3Error } from './errors.js';

/** An inclusive byte range [start, end] of an object. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Interprets a `Range` header against an object's size, as S3 does:
 *  - absent, not `bytes=`, malformed or several ranges: the whole object (undefined);
 *  - `bytes=a-b` (b clipped to the last byte), `bytes=a-`, `bytes=-n` (the last n bytes);
 *  - a range that starts at or beyond the end (or any range of an empty object, or a
 *    zero-length suffix): InvalidRange, answered with HTTP 416.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return undefined;
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const n = Number(last);
    if (n === 0 || size === 0) throw unsatisfiable(size, header);
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? Infinity : Number(last);
  if (end < start) return undefined;
  if (start >= size) throw unsatisfiable(size, header);
  return { start, end: Math.min(end, size - 1) };
}

function unsatisfiable(size: number, requested: string): Error {
  return s3Error('InvalidRange', 'The requested range is not satisfiable', { ActualObjectSize: String(size), RangeRequested: requested });
}

export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}

/** `x-amz-copy-source-range` for UploadPartCopy: only `bytes=first-last`, inside the source. */
export function parseCopyRange(header: string, size: number): ByteRange {
  const m = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  if (!m) {
    throw s3Error('InvalidArgument', "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy", { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: header });
  }
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start || end >= size) {
    throw s3Error('InvalidRequest', `The specified copy range is invalid for the source object size: ${size}`);
  }
  return { start, end };
}
