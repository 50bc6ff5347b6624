import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5Sink } from './md5.js';

const MiB = 1024 * 1024;

async function feed(data: Buffer, pieces: number, declared: number | undefined): Promise<string> {
  const sink = md5Sink(declared);
  const step = Math.ceil(data.length / pieces);
  for (let at = 0; at < data.length; at += step) await sink.update(data.subarray(at, at + step));
  return (await sink.digest()).toString('hex');
}

describe('the MD5 of a body', () => {
  it('is the same off-thread (large or unknown size) as in-thread, however it is chunked', async () => {
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
    await abandoned.update(randomBytes(3 * MiB));
    abandoned.discard();
    const digests = await Promise.all(bodies.map((b) => feed(b, 40, undefined)));
    expect(digests).toEqual(bodies.map((b) => createHash('md5').update(b).digest('hex')));
  });

  it('holds the writer back when the worker falls behind', async () => {
    const sink = md5Sink(undefined);
    let waits = 0;
    for (let i = 0; i < 64; i++) if (sink.update(Buffer.alloc(MiB, i))) waits++;
    expect(waits).toBeGreaterThan(0);
    await sink.digest();
  });
});
