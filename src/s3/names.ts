import { s3Error } from './errors.js';

/**
 * S3's general-purpose bucket naming rules: 3-63 characters of lowercase letters,
 * digits, dots and hyphens, beginning and ending with a letter or digit, no two
 * adjacent dots, not shaped like an IPv4 address, none of the reserved prefixes and
 * suffixes. Returns why a name is invalid, or undefined when it is valid.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'must be between 3 and 63 characters long';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'can consist only of lowercase letters, numbers, dots (.), and hyphens (-)';
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'must begin and end with a letter or number';
  if (name.includes('..')) return 'must not contain two adjacent periods';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'must not be formatted as an IP address';
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) if (name.startsWith(prefix)) return `must not start with '${prefix}'`;
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) if (name.endsWith(suffix)) return `must not end with '${suffix}'`;
  return undefined;
}

export function checkBucketName(name: string): void {
  const problem = bucketNameProblem(name);
  if (problem) throw s3Error('InvalidBucketName', `The specified bucket is not valid: a bucket name ${problem}.`, { BucketName: name });
}

/** Longest key S3 accepts, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/**
 * Keys are opaque strings: `../x`, `/etc/passwd` or `a\0b` are stored as they are and
 * never become a file path (object bytes are named by ids). Only the length is checked.
 */
export function checkKey(key: string): void {
  if (key.length === 0) throw s3Error('InvalidArgument', 'An object key must not be empty.');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw s3Error('KeyTooLongError', `Your key is too long: keys are at most ${MAX_KEY_BYTES} bytes of UTF-8.`, {
      Size: String(Buffer.byteLength(key, 'utf8')),
      MaxSizeAllowed: String(MAX_KEY_BYTES),
    });
  }
}

/**
 * The smallest string greater than every string starting with `prefix`, in UTF-8 byte
 * order (= code point order): the last code point incremented (skipping surrogates),
 * dropping trailing U+10FFFF. Undefined when no such bound exists. Lets a listing skip a
 * whole common prefix with one `key >= bound` query.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const cps = Array.from(prefix, (c) => c.codePointAt(0)!);
  while (cps.length > 0) {
    const last = cps.pop()!;
    if (last < 0x10ffff) {
      const next = last === 0xd7ff ? 0xe000 : last + 1;
      return String.fromCodePoint(...cps, next);
    }
  }
  return undefined;
}

/** `encoding-type=url`: keys percent-encoded as S3 does it (spaces as `+`, `/` kept). */
export function urlEncodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
