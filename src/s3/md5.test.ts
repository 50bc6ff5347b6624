import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5Sink } from './md5.js';

const MiB = 1024 * 1024;

/** Feeds `data` in batches of shared memory, as the spool does. */
async function feed(data: Buffer, pieces: number, declared: number | undefined): Promise<string> {
  const sink = md5Sink(declared);
  const step = Math.ceil(data.length / pieces);
  for (let at = 0; at < data.length; at += step) {
    const piece = data.subarray(at, at + step);
    const batch = new Uint8Array(new SharedArrayBuffer(piece.length));
    batch.set(piece);
    await sink.update(batch);
  }
  return (await sink.digest()).toString('hex');
}

describe('the MD5 of a body', () => {
  it('is the same off-thread (large or unknown size) as in-thread, however it is batched', async () => {
    const data = randomBytes(21 * MiB + 123);
    const expected = createHash('md5').update(data).digest('hex');
    expect(await feed(data, 1, data.length)).toBe(expected);
    expect(await feed(data, 997, undefined)).toBe(expected);
    const small = data.subarray(0, 1000);
    expect(await feed(small, 7, small.length)).toBe(createHash('md5').update(small).digest('hex'));
    expect((await md5Sink(undefined).digest()).toString('hex')).toBe(createHash('md5').digest('hex'));
  });

  it('keeps concurrent bodies apart, and forgets discarded ones', async () => {
    const bodies = Array.from({ length: 6 }, () => randomBytes(5 * MiB));
    const abandoned = md5Sink(undefined);
    void abandoned.update(new Uint8Array(new SharedArrayBuffer(3 * MiB)));
    abandoned.discard();
    const digests = await Promise.all(bodies.map((b) => feed(b, 40, undefined)));
    expect(digests).toEqual(bodies.map((b) => createHash('md5').update(b).digest('hex')));
  });

  it('settles an off-thread batch only once the worker has read it', async () => {
    const sink = md5Sink(undefined);
    const batch = new Uint8Array(new SharedArrayBuffer(MiB)).fill(7);
    const read = sink.update(batch);
    expect(read).toBeInstanceOf(Promise);
    await read;
    batch.fill(9); // reused after the promise: must not change the digest
    expect((await sink.digest()).toString('hex')).toBe(createHash('md5').update(Buffer.alloc(MiB, 7)).digest('hex'));
  });
});
