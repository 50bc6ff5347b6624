import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AwsChunkedDecoder } from './chunked.js';

/** Encodes a payload as aws-chunked, optionally with chunk signatures and trailers. */
function encode(payload: Buffer, chunkSize: number, opts: { signed?: boolean; trailers?: string[]; finalEmptyLine?: boolean } = {}): Buffer {
  const sig = (): string => (opts.signed ? `;chunk-signature=${'a'.repeat(64)}` : '');
  const parts: Buffer[] = [];
  for (let at = 0; at < payload.length; at += chunkSize) {
    const chunk = payload.subarray(at, at + chunkSize);
    parts.push(Buffer.from(`${chunk.length.toString(16)}${sig()}\r\n`), chunk, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`0${sig()}\r\n`));
  for (const t of opts.trailers ?? []) parts.push(Buffer.from(`${t}\r\n`));
  if (opts.finalEmptyLine ?? true) parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

/** Feeds the encoded bytes in pieces of the given sizes (cycled) and collects the output. */
async function decode(encoded: Buffer, pieces: number[] = [encoded.length]): Promise<{ out: Buffer; trailers: Map<string, string> }> {
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < encoded.length; i++) {
    const n = Math.max(1, pieces[i % pieces.length]!);
    chunks.push(encoded.subarray(at, at + n));
    at += n;
  }
  const decoder = new AwsChunkedDecoder();
  const collected: Buffer[] = [];
  await pipeline(Readable.from(chunks), decoder, async (source: AsyncIterable<Buffer>) => {
    for await (const c of source) collected.push(c);
  });
  return { out: Buffer.concat(collected), trailers: decoder.trailers };
}

describe('the aws-chunked decoder', () => {
  it('decodes the unsigned trailer form the SDK sends', async () => {
    const body = Buffer.from('64\r\n' + 'a'.repeat(100) + '\r\n0\r\nx-amz-checksum-crc32:r3B6ZA==\r\n\r\n');
    const { out, trailers } = await decode(body);
    expect(out.toString()).toBe('a'.repeat(100));
    expect(trailers.get('x-amz-checksum-crc32')).toBe('r3B6ZA==');
  });

  it('decodes signed chunks with a trailer signature', async () => {
    const payload = Buffer.from('hello world, this is a signed streaming upload');
    const encoded = encode(payload, 8, { signed: true, trailers: ['x-amz-checksum-sha256:abc=', `x-amz-trailer-signature:${'b'.repeat(64)}`] });
    const { out, trailers } = await decode(encoded);
    expect(out).toEqual(payload);
    expect([...trailers.keys()]).toEqual(['x-amz-checksum-sha256', 'x-amz-trailer-signature']);
  });

  it('gives the same bytes and trailers however the input is cut', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2000 }),
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        async (bytes, chunkSize, pieces, signed) => {
          const payload = Buffer.from(bytes);
          const { out, trailers } = await decode(encode(payload, chunkSize, { signed, trailers: ['x-amz-checksum-crc32c:AAAAAA=='] }), pieces);
          expect(out).toEqual(payload);
          expect(trailers.get('x-amz-checksum-crc32c')).toBe('AAAAAA==');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('accepts a body that ends right after the last trailer line', async () => {
    const { out, trailers } = await decode(encode(Buffer.from('xyz'), 2, { trailers: ['x-amz-checksum-crc32:AAAAAA=='], finalEmptyLine: false }));
    expect(out.toString()).toBe('xyz');
    expect(trailers.size).toBe(1);
  });

  it.each([
    ['a truncated chunk', Buffer.from('a\r\nabc')],
    ['no final chunk', Buffer.from('3\r\nabc\r\n')],
    ['a bad size line', Buffer.from('zz\r\nabc\r\n0\r\n\r\n')],
    ['a chunk longer than declared', Buffer.from('2\r\nabc\r\n0\r\n\r\n')],
    ['a trailer without a colon', Buffer.from('0\r\nnonsense\r\n\r\n')],
    ['an endless size line', Buffer.from('1'.repeat(5000))],
  ])('refuses %s', async (_what, body) => {
    await expect(decode(body)).rejects.toMatchObject({ code: expect.stringMatching(/IncompleteBody|InvalidRequest/) });
  });

  it('passes payload through as slices of the input, without copying it', async () => {
    const encoded = encode(Buffer.alloc(1 << 20, 7), 1 << 20);
    const decoder = new AwsChunkedDecoder();
    const chunks: Buffer[] = [];
    decoder.on('data', (c: Buffer) => chunks.push(c));
    await new Promise((resolve) => decoder.end(encoded, () => resolve(undefined)));
    expect(chunks.reduce((n, c) => n + c.length, 0)).toBe(1 << 20);
    expect(chunks.every((c) => c.buffer === encoded.buffer)).toBe(true);
  });
});
