import { createHash } from 'node:crypto';

/**
 * Seeded randomness for the engine (MathRandom, UUID, $random, retry jitter). The seed
 * is derived from the execution's secret seed and the event that asked, so a replay of
 * the same history draws the same numbers.
 */
export interface Random {
  /** A number in [0, 1). */
  next(): number;
}

/** sfc32 over four words taken from SHA-256 of the seed text. */
export function seededRandom(seed: string): Random {
  const h = createHash('sha256').update(seed).digest();
  let a = h.readUInt32LE(0);
  let b = h.readUInt32LE(4);
  let c = h.readUInt32LE(8);
  let d = h.readUInt32LE(12);
  return {
    next(): number {
      a >>>= 0;
      b >>>= 0;
      c >>>= 0;
      d >>>= 0;
      let t = (a + b) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      d = (d + 1) | 0;
      t = (t + d) | 0;
      c = (c + t) | 0;
      return (t >>> 0) / 4294967296;
    },
  };
}

/** An integer in [start, end). */
export function randomInt(rng: Random, start: number, end: number): number {
  return start + Math.floor(rng.next() * (end - start));
}

/** A version 4 UUID drawn from `rng`. */
export function randomUuid(rng: Random): string {
  const bytes = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) bytes[i] = Math.floor(rng.next() * 256);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
