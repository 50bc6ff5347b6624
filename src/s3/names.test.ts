import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketNameProblem, checkKey, prefixUpperBound, urlEncodeKey } from './names.js';

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('bucket names', () => {
  it.each(['abc', 'my-bucket.2026', 'a'.repeat(63), '1bucket'])('accepts %s', (name) => {
    expect(bucketNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['ab', /between 3 and 63/],
    ['a'.repeat(64), /between 3 and 63/],
    ['My-Bucket', /lowercase/],
    ['under_score', /lowercase/],
    ['-start', /begin and end/],
    ['end.', /begin and end/],
    ['a..b', /adjacent periods/],
    ['192.168.5.4', /IP address/],
    ['xn--bucket', /xn--/],
    ['bucket-s3alias', /-s3alias/],
  ])('refuses %s', (name, why) => {
    expect(bucketNameProblem(name)).toMatch(why);
  });
});

describe('object keys', () => {
  it('are opaque strings: path-like and control characters are fine', () => {
    for (const key of ['../x', '/etc/passwd', 'a\u0000b', '..', '.', 'a//b', '\\windows\\path', 'ünïcødé/😀']) {
      expect(() => checkKey(key)).not.toThrow();
    }
  });

  it('are at most 1024 bytes of UTF-8', () => {
    expect(() => checkKey('a'.repeat(1024))).not.toThrow();
    expect(() => checkKey('é'.repeat(513))).toThrow(expect.objectContaining({ code: 'KeyTooLongError' }));
    expect(() => checkKey('')).toThrow();
  });
});

describe('prefixUpperBound', () => {
  it('is above every string with the prefix and below every greater string without it (UTF-8 byte order)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 6 }), (prefix, other) => {
        const bound = prefixUpperBound(prefix);
        if (bound === undefined) return;
        const withPrefix = prefix + other;
        expect(Buffer.compare(utf8(withPrefix), utf8(bound))).toBeLessThan(0);
        if (!other.startsWith(prefix) && Buffer.compare(utf8(other), utf8(prefix)) > 0) {
          expect(Buffer.compare(utf8(other), utf8(bound))).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it('steps over the surrogate range and the last code point', () => {
    expect(prefixUpperBound('a/')).toBe('a0');
    expect(prefixUpperBound('\u{d7ff}')).toBe('\u{e000}');
    expect(prefixUpperBound('a\u{10ffff}')).toBe('b');
    expect(prefixUpperBound('\u{10ffff}')).toBeUndefined();
  });
});

describe('encoding-type=url', () => {
  it('percent-encodes keys as S3 does, keeping slashes and writing spaces as +', () => {
    expect(urlEncodeKey('a b/c+d&é')).toBe('a+b/c%2Bd%26%C3%A9');
    expect(urlEncodeKey("x!'()*")).toBe('x%21%27%28%29%2A');
  });
});
