import type fsp from 'node:fs/promises';
import { Writable } from 'node:stream';
import { md5Sink, offThread, type Md5Sink } from './md5.js';

const MiB = 1024 * 1024;
/** Bytes per batch: one file write and one message to the hashing thread each. */
const BATCH = MiB;
/** Batches of one body being written or hashed at once: the most a body holds in memory. */
const WINDOW = 8;
/** Shared batches kept for later bodies once released; beyond these they are left to the GC. */
const POOL_MAX = 16;
/**
 * Written bytes after which an fdatasync starts in the background, so the disk flushes
 * while the body is still arriving and the fsync before the answer has little left.
 */
const SYNC_EVERY = 16 * MiB;

const sharedPool: Uint8Array[] = [];

/**
 * The end of the ingest pipeline: gathers the body into 1 MiB batches and, for each,
 * writes it to the file and feeds it to the ETag's MD5 at the same time, reusing the
 * batch once both are done. Large bodies use shared memory, so the hashing thread reads
 * the same bytes the write reads; the incoming chunks are copied once and dropped at
 * once (young garbage, cheap to collect) instead of queueing for the disk.
 *
 * Writes go out one at a time, in order, at explicit offsets. `finish` (the stream
 * finishing) means every byte is written, not yet hashed: `md5.digest()` waits for that.
 */
export class Spool extends Writable {
  readonly md5: Md5Sink;
  private readonly shared: boolean;
  private readonly batchBytes: number;
  private readonly free: Uint8Array[] = [];
  private batch: Uint8Array | undefined;
  private filled = 0;
  private position = 0;
  private inFlight = 0;
  private writes: Promise<void> = Promise.resolve();
  private syncing: Promise<void> | undefined;
  private unsynced = 0;
  /** A chunk waiting for a batch to come free. */
  private resume: (() => void) | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly file: fsp.FileHandle,
    expectedLength: number | undefined,
  ) {
    super({ highWaterMark: BATCH });
    this.shared = offThread(expectedLength);
    this.batchBytes = this.shared ? BATCH : Math.max(1, Math.min(BATCH, expectedLength ?? BATCH));
    this.md5 = md5Sink(expectedLength);
  }

  /** Settles once no write or sync is using the file (before closing it after a failure). */
  async idle(): Promise<void> {
    await this.writes.catch(() => undefined);
    await this.syncing;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    let at = 0;
    const copy = (): void => {
      this.resume = undefined;
      while (at < chunk.length) {
        if (this.failure) return done(this.failure);
        if (!this.batch) {
          if (this.inFlight >= WINDOW) {
            this.resume = copy;
            return;
          }
          this.batch = this.take();
        }
        const n = Math.min(this.batch.length - this.filled, chunk.length - at);
        this.batch.set(chunk.subarray(at, at + n), this.filled);
        this.filled += n;
        at += n;
        if (this.filled === this.batch.length) this.dispatch();
      }
      done();
    };
    copy();
  }

  override _final(done: (err?: Error | null) => void): void {
    if (this.filled > 0) this.dispatch();
    this.idle().then(() => done(this.failure), done);
  }

  private take(): Uint8Array {
    if (!this.shared) return this.free.pop() ?? Buffer.allocUnsafe(this.batchBytes);
    return sharedPool.pop() ?? new Uint8Array(new SharedArrayBuffer(BATCH));
  }

  private dispatch(): void {
    const whole = this.batch!;
    const bytes = whole.subarray(0, this.filled);
    const at = this.position;
    this.position += this.filled;
    this.batch = undefined;
    this.filled = 0;
    this.inFlight++;
    const hashed = this.md5.update(bytes);
    const written = (this.writes = this.writes.then(() => this.writeAt(bytes, at)));
    Promise.all([hashed, written]).then(
      () => this.release(whole),
      (err: Error) => this.fail(err),
    );
  }

  private async writeAt(bytes: Uint8Array, at: number): Promise<void> {
    for (let done = 0; done < bytes.length; ) {
      const { bytesWritten } = await this.file.write(bytes, done, bytes.length - done, at + done);
      done += bytesWritten;
    }
    this.unsynced += bytes.length;
    if (this.unsynced >= SYNC_EVERY && !this.syncing) {
      this.unsynced = 0;
      this.syncing = this.file.datasync().then(
        () => void (this.syncing = undefined),
        (err: Error) => {
          this.syncing = undefined;
          this.failure ??= err;
        },
      );
    }
  }

  private release(batch: Uint8Array): void {
    this.inFlight--;
    if (!this.shared) this.free.push(batch);
    else if (sharedPool.length < POOL_MAX) sharedPool.push(batch);
    this.resume?.();
  }

  /** A failed batch is not reused (the hashing thread may still be reading it). */
  private fail(err: Error): void {
    this.inFlight--;
    this.failure ??= err;
    this.resume?.();
  }
}
