import { createHash, type Hash } from 'node:crypto';
import zlib from 'node:zlib';

/** The flexible checksums S3 validates (`x-amz-checksum-<algo>`); CRC64NVME is not among them yet. */
export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256';
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'SHA1', 'SHA256'];

/** A checksum as S3 carries it: the algorithm and the base64 of the big-endian digest. */
export interface Checksum {
  readonly algorithm: ChecksumAlgorithm;
  readonly value: string;
}

export function checksumHeader(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

export function parseAlgorithm(name: string): ChecksumAlgorithm | undefined {
  const upper = name.trim().toUpperCase();
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(upper) ? (upper as ChecksumAlgorithm) : undefined;
}

const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, SHA1: 20, SHA256: 32 };

/** Whether a header value is the base64 of a digest of the algorithm's length. */
export function isWellFormed(algorithm: ChecksumAlgorithm, value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  return Buffer.from(value, 'base64').length === DIGEST_BYTES[algorithm];
}

/** An incremental checksum over a stream of chunks. */
export interface Hasher {
  update(chunk: Buffer): void;
  /** The digest as base64; call once. */
  digest(): string;
}

export function newHasher(algorithm: ChecksumAlgorithm): Hasher {
  switch (algorithm) {
    case 'CRC32':
      return crcHasher((buf, prev) => zlib.crc32(buf, prev));
    case 'CRC32C':
      return crcHasher(crc32c);
    case 'SHA1':
      return hashHasher(createHash('sha1'));
    case 'SHA256':
      return hashHasher(createHash('sha256'));
  }
}

function crcHasher(fn: (buf: Buffer, prev: number) => number): Hasher {
  let crc = 0;
  return {
    update: (chunk) => {
      crc = fn(chunk, crc);
    },
    digest: () => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(crc >>> 0);
      return out.toString('base64');
    },
  };
}

function hashHasher(hash: Hash): Hasher {
  return { update: (chunk) => void hash.update(chunk), digest: () => hash.digest('base64') };
}

/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), slicing by 8: eight 256-entry
 * tables let the loop fold 8 bytes per step, several times faster than one table.
 */
const CRC32C_TABLES = buildTables(0x82f63b78);

function buildTables(poly: number): Uint32Array[] {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  const t0 = tables[0]!;
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t0[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let t = 1; t < 8; t++) {
      const prev = tables[t - 1]![n]!;
      tables[t]![n] = ((prev >>> 8) ^ t0[prev & 0xff]!) >>> 0;
    }
  }
  return tables;
}

/** CRC-32C of `buf`, continuing from `prev` (the CRC of the bytes before it). */
export function crc32c(buf: Uint8Array, prev = 0): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = CRC32C_TABLES as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let crc = ~prev >>> 0;
  let i = 0;
  const fast = buf.length - (buf.length % 8);
  for (; i < fast; i += 8) {
    const lo = (crc ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24))) >>> 0;
    crc =
      t7[lo & 0xff]! ^ t6[(lo >>> 8) & 0xff]! ^ t5[(lo >>> 16) & 0xff]! ^ t4[lo >>> 24]! ^
      t3[buf[i + 4]!]! ^ t2[buf[i + 5]!]! ^ t1[buf[i + 6]!]! ^ t0[buf[i + 7]!]!;
  }
  for (; i < buf.length; i++) crc = (crc >>> 8) ^ t0[(crc ^ buf[i]!) & 0xff]!;
  return ~crc >>> 0;
}
