import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { IdGenerator, Logger } from '../core/index.js';
import type { Segment } from './model.js';
import type { ByteRange } from './range.js';

const BLOB_ID = /^[0-9a-f]{32}$/;
const READ_CHUNK = 1024 * 1024;

/**
 * Object bytes on disk, under `<root>/blobs/<2 hex>/<32 hex id>`. File names are ids
 * made here, never derived from bucket or key, so no key can name a path.
 *
 * Writing is the first half of the durability protocol: bytes stream into
 * `<root>/tmp/<id>`, the file is fsynced, renamed into `blobs/`, and the directory is
 * fsynced; only then does the caller commit the metadata that points at the blob. A
 * crash before the commit leaves a temp file or an unreferenced blob, both removed by
 * `recover()` at the next start; readers only ever find blobs through committed rows.
 */
export class BlobStore {
  private readonly tmpDir: string;
  private readonly blobDir: string;
  private readonly madeDirs = new Set<string>();

  constructor(
    readonly root: string,
    private readonly ids: IdGenerator,
    private readonly logger: Logger,
  ) {
    this.tmpDir = path.join(root, 'tmp');
    this.blobDir = path.join(root, 'blobs');
  }

  /** Creates the directories and sweeps what a crash left: every temp file, and blobs no row references. */
  recover(referenced: ReadonlySet<string>): { temps: number; orphans: number } {
    fs.mkdirSync(this.tmpDir, { recursive: true });
    fs.mkdirSync(this.blobDir, { recursive: true });
    let temps = 0;
    for (const name of fs.readdirSync(this.tmpDir)) {
      fs.rmSync(path.join(this.tmpDir, name), { force: true, recursive: true });
      temps++;
    }
    let orphans = 0;
    for (const sub of fs.readdirSync(this.blobDir)) {
      const dir = path.join(this.blobDir, sub);
      if (!fs.statSync(dir).isDirectory()) continue;
      for (const name of fs.readdirSync(dir)) {
        if (referenced.has(name)) continue;
        fs.rmSync(path.join(dir, name), { force: true });
        orphans++;
      }
    }
    return { temps, orphans };
  }

  /**
   * Makes a new blob: `fill` writes the bytes through the file it is given and, once
   * every write has completed, resolves with `check` (the digests' verdict), which runs
   * while the file is fsynced. Only when both succeed is the file renamed into place and
   * its directory fsynced. Any failure removes the temp file; `fill` must not leave a
   * write in flight when it rejects. Resolves with the blob id and what `check` returned.
   */
  async write<T>(fill: (file: fsp.FileHandle) => Promise<() => Promise<T>>): Promise<{ id: string; checked: T }> {
    const id = this.ids.hex32();
    const tmp = path.join(this.tmpDir, id);
    const handle = await fsp.open(tmp, 'wx');
    let open = true;
    try {
      const check = await fill(handle);
      const [checked, synced] = await Promise.allSettled([check(), handle.sync()]);
      if (checked.status === 'rejected') throw checked.reason;
      if (synced.status === 'rejected') throw synced.reason;
      open = false;
      await handle.close();
      const dir = await this.dirOf(id);
      await fsp.rename(tmp, path.join(dir, id));
      await syncDir(dir);
      return { id, checked: checked.value };
    } catch (err) {
      if (open) await handle.close().catch(() => undefined);
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      throw err;
    }
  }

  /** Deletes blobs whose rows are gone (after the commit that dropped them). */
  async remove(blobs: readonly string[]): Promise<void> {
    await Promise.all(
      blobs.map((id) =>
        fsp.rm(this.pathOf(id), { force: true }).catch((err: unknown) => this.logger.warn('s3: could not delete a blob', { id, err })),
      ),
    );
  }

  /**
   * A stream of an object's bytes (or a range of them) across its segments. The files
   * are opened synchronously, right after the caller read the row, so a concurrent
   * delete or overwrite (which unlinks only after its commit) cannot pull them away.
   */
  open(segments: readonly Segment[], range: ByteRange | undefined): Readable {
    const pieces: Piece[] = [];
    let offset = 0;
    const start = range?.start ?? 0;
    const end = range ? range.end + 1 : Infinity;
    try {
      for (const seg of segments) {
        const segEnd = offset + seg.size;
        if (segEnd > start && offset < end && seg.size > 0) {
          const from = Math.max(start, offset) - offset;
          const to = Math.min(end, segEnd) - offset;
          pieces.push({ fd: fs.openSync(this.pathOf(seg.blob), 'r'), pos: from, end: to });
        }
        offset = segEnd;
      }
    } catch (err) {
      for (const p of pieces) fs.closeSync(p.fd);
      throw err;
    }
    return new SegmentReader(pieces);
  }

  /** The bytes of a small object (or range), read at once: cheaper than a stream for a few KiB. */
  readSmall(segments: readonly Segment[], range: ByteRange | undefined): Buffer {
    const out: Buffer[] = [];
    const reader = this.open(segments, range) as SegmentReader;
    try {
      for (const p of reader.pieces) {
        const buf = Buffer.allocUnsafe(p.end - p.pos);
        let at = 0;
        while (at < buf.length) {
          const n = fs.readSync(p.fd, buf, at, buf.length - at, p.pos + at);
          if (n === 0) throw new Error('an object file is shorter than its recorded size');
          at += n;
        }
        out.push(buf);
      }
    } finally {
      reader.destroy();
    }
    return Buffer.concat(out);
  }

  pathOf(id: string): string {
    if (!BLOB_ID.test(id)) throw new Error(`not a blob id: ${JSON.stringify(id)}`);
    return path.join(this.blobDir, id.slice(0, 2), id);
  }

  private async dirOf(id: string): Promise<string> {
    const dir = path.join(this.blobDir, id.slice(0, 2));
    if (!this.madeDirs.has(dir)) {
      await fsp.mkdir(dir, { recursive: true });
      await syncDir(this.blobDir);
      this.madeDirs.add(dir);
    }
    return dir;
  }
}

async function syncDir(dir: string): Promise<void> {
  const h = await fsp.open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

interface Piece {
  fd: number;
  pos: number;
  end: number;
}

/** Reads pieces of open files one after the other; closes every descriptor when done or destroyed. */
class SegmentReader extends Readable {
  private index = 0;
  private reading = false;
  private released = false;

  constructor(readonly pieces: Piece[]) {
    super({ highWaterMark: READ_CHUNK });
  }

  override _read(): void {
    let piece = this.pieces[this.index];
    while (piece && piece.pos >= piece.end) piece = this.pieces[++this.index];
    if (!piece) {
      this.push(null);
      return;
    }
    const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, piece.end - piece.pos));
    this.reading = true;
    fs.read(piece.fd, buf, 0, buf.length, piece.pos, (err, n) => {
      this.reading = false;
      if (this.released) return this.closeAll(); // destroyed while the read was in flight
      if (err) return void this.destroy(err);
      if (n === 0) return void this.destroy(new Error('an object file is shorter than its recorded size'));
      piece.pos += n;
      this.push(n === buf.length ? buf : buf.subarray(0, n));
    });
  }

  override _destroy(err: Error | null, done: (error?: Error | null) => void): void {
    this.released = true;
    // a descriptor is never closed under an in-flight read: it could be reused meanwhile
    if (!this.reading) this.closeAll();
    done(err);
  }

  private closeAll(): void {
    for (const p of this.pieces.splice(0)) fs.close(p.fd, () => undefined);
  }
}
