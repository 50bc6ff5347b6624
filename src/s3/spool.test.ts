import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { Spool } from './spool.js';

const MiB = 1024 * 1024;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-spool-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Streams `data` in pieces of `piece` bytes through a spool into a file; returns the file and the MD5. */
async function spool(data: Buffer, piece: number, declared: number | undefined): Promise<{ file: Buffer; md5: string }> {
  const name = path.join(dir, `f${Math.random().toString(36).slice(2)}`);
  const handle = await fsp.open(name, 'wx');
  try {
    const sink = new Spool(handle, declared);
    const pieces = function* () {
      for (let at = 0; at < data.length; at += piece) yield data.subarray(at, at + piece);
    };
    await pipeline(Readable.from(pieces()), sink);
    const md5 = (await sink.md5.digest()).toString('hex');
    return { file: await fsp.readFile(name), md5 };
  } finally {
    await handle.close();
  }
}

describe('the spool', () => {
  it('writes and hashes every byte in order, large (shared batches, off-thread) or small', async () => {
    const large = randomBytes(37 * MiB + 5);
    for (const [piece, declared] of [[65536, large.length], [3 * MiB + 1, undefined], [777, large.length]] as const) {
      const out = await spool(large, piece, declared);
      expect(out.file.equals(large)).toBe(true);
      expect(out.md5).toBe(createHash('md5').update(large).digest('hex'));
    }
    const small = randomBytes(3 * MiB - 17);
    const out = await spool(small, 1000, small.length);
    expect(out.file.equals(small)).toBe(true);
    expect(out.md5).toBe(createHash('md5').update(small).digest('hex'));
    const empty = await spool(Buffer.alloc(0), 1, 0);
    expect(empty.file.length).toBe(0);
    expect(empty.md5).toBe(createHash('md5').digest('hex'));
  });

  it('fails with the file error and leaves nothing in flight', async () => {
    const name = path.join(dir, 'readonly');
    fs.writeFileSync(name, '');
    const handle = await fsp.open(name, 'r');
    const sink = new Spool(handle, undefined);
    await expect(pipeline(Readable.from([randomBytes(5 * MiB)]), sink)).rejects.toThrow(/EBADF|bad file/i);
    await sink.idle();
    await handle.close();
  });
});
