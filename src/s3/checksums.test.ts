import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32c, isWellFormed, newHasher, parseAlgorithm } from './checksums.js';

/** Bit-at-a-time CRC-32C: slow and obviously right, to check the sliced tables against. */
function referenceCrc32c(buf: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of buf) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

describe('crc32c', () => {
  // RFC 3720 appendix B.4 and the usual check value
  it.each([
    ['the check string 123456789', Buffer.from('123456789'), 0xe3069283],
    ['32 zero bytes', Buffer.alloc(32), 0x8a9136aa],
    ['32 0xff bytes', Buffer.alloc(32, 0xff), 0x62a8ab43],
    ['32 incrementing bytes', Buffer.from(Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e],
    ['32 decrementing bytes', Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c],
    ['nothing', Buffer.alloc(0), 0],
  ])('gives the known value for %s', (_what, input, expected) => {
    expect(crc32c(input)).toBe(expected);
  });

  it('matches the bitwise definition, however the input is split', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), (bytes, cutSeed) => {
        const cut = bytes.length === 0 ? 0 : cutSeed % bytes.length;
        const whole = crc32c(bytes);
        expect(whole).toBe(referenceCrc32c(bytes));
        expect(crc32c(bytes.subarray(cut), crc32c(bytes.subarray(0, cut)))).toBe(whole);
      }),
    );
  });
});

describe('checksum hashers', () => {
  it('encode digests as S3 does: base64 of the big-endian value', () => {
    const h = newHasher('CRC32C');
    h.update(Buffer.from('1234'));
    h.update(Buffer.from('56789'));
    expect(h.digest()).toBe(Buffer.from('e3069283', 'hex').toString('base64'));
    const crc = newHasher('CRC32');
    crc.update(Buffer.from('123456789'));
    expect(crc.digest()).toBe(Buffer.from('cbf43926', 'hex').toString('base64'));
    const sha = newHasher('SHA256');
    sha.update(Buffer.from('abc'));
    expect(sha.digest()).toBe(createHash('sha256').update('abc').digest('base64'));
  });

  it('knows a well-formed value from a wrong-length or non-base64 one', () => {
    expect(isWellFormed('CRC32', 'AAAAAA==')).toBe(true);
    expect(isWellFormed('CRC32', 'AAAAAAAA')).toBe(false);
    expect(isWellFormed('SHA1', 'AAAAAA==')).toBe(false);
    expect(isWellFormed('CRC32C', 'not base64!')).toBe(false);
    expect(parseAlgorithm('crc32c')).toBe('CRC32C');
    expect(parseAlgorithm('md5')).toBeUndefined();
  });
});
