import { createHash, type Hash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * The MD5 of a body (its ETag), fed batch by batch. MD5 cannot be split, and at a few
 * hundred MiB/s per core it is the slowest step of a large PUT; hashing it on a worker
 * thread lets receiving, writing and hashing overlap instead of taking turns on the
 * event loop. Large bodies arrive in batches over shared memory (`spool.ts`), so the
 * worker reads the very bytes the file write reads: no copy, no transfer. Small bodies
 * hash in-thread (a message round trip costs more than they do).
 */
export interface Md5Sink {
  /**
   * Adds the bytes of `batch`. Off-thread (a view of a SharedArrayBuffer) it returns a
   * promise settled once the worker has read them: the batch must not change before.
   */
  update(batch: Uint8Array): Promise<void> | undefined;
  digest(): Promise<Buffer>;
  /** Forgets the hash (an aborted body). */
  discard(): void;
}

/** Bodies at least this large (or of unknown size) are hashed off-thread. */
export const OFF_THREAD_FROM = 4 * 1024 * 1024;

export function md5Sink(expectedLength: number | undefined): Md5Sink {
  if (!offThread(expectedLength)) return inThread(createHash('md5'));
  return new OffThreadMd5(pool().next());
}

export function offThread(expectedLength: number | undefined): boolean {
  return expectedLength === undefined || expectedLength >= OFF_THREAD_FROM;
}

function inThread(hash: Hash): Md5Sink {
  return {
    update: (batch) => void hash.update(batch),
    digest: () => Promise.resolve(hash.digest()),
    discard: () => undefined,
  };
}

// Plain CommonJS evaluated in the worker, so it runs the same from dist/ and under tsx/vitest.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'update') {
    let h = hashes.get(m.id);
    if (!h) hashes.set(m.id, (h = createHash('md5')));
    h.update(new Uint8Array(m.buf, m.off, m.len));
    parentPort.postMessage({ id: m.id, hashed: m.len });
  } else if (m.op === 'digest') {
    const h = hashes.get(m.id) || createHash('md5');
    hashes.delete(m.id);
    parentPort.postMessage({ id: m.id, digest: h.digest() });
  } else if (m.op === 'drop') hashes.delete(m.id);
});`;

interface Reply { id: number; hashed?: number; digest?: Uint8Array }

/** One hashing thread, shared by the uploads assigned to it; it never keeps the process alive. */
class HashWorker {
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true });
  private readonly sinks = new Map<number, OffThreadMd5>();
  private nextId = 1;
  dead = false;

  constructor() {
    this.worker.on('message', (r: Reply) => this.sinks.get(r.id)?.onReply(r));
    this.worker.on('error', (err) => this.die(err));
    this.worker.on('exit', () => this.die(new Error('the MD5 hashing thread exited')));
    this.worker.unref(); // after on('message'), which would ref it again
  }

  register(sink: OffThreadMd5): number {
    const id = this.nextId++;
    this.sinks.set(id, sink);
    return id;
  }

  post(id: number, op: 'update' | 'digest' | 'drop', batch?: Uint8Array): void {
    if (op !== 'update') this.worker.postMessage({ id, op });
    else this.worker.postMessage({ id, op, buf: batch!.buffer, off: batch!.byteOffset, len: batch!.length });
    // a dropped sink's batches are never handed back, so never reused while the worker may read them
    if (op === 'drop') this.sinks.delete(id);
  }

  release(id: number): void {
    this.sinks.delete(id);
  }

  /** Fails the uploads it was hashing (they answer 500) rather than leaving them waiting. */
  private die(err: Error): void {
    if (this.dead) return;
    this.dead = true;
    for (const sink of this.sinks.values()) sink.fail(err);
    this.sinks.clear();
  }
}

interface Waiter<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (err: Error) => void;
}

function waiter<T>(): Waiter<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

class OffThreadMd5 implements Md5Sink {
  private readonly id: number;
  /** One waiter per batch posted and not yet read, oldest first (the worker answers in order). */
  private readonly pending: Waiter<void>[] = [];
  private done: Waiter<Buffer> | undefined;
  private failed: Error | undefined;

  constructor(private readonly worker: HashWorker) {
    this.id = worker.register(this);
  }

  update(batch: Uint8Array): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (!(batch.buffer instanceof SharedArrayBuffer)) throw new Error('an off-thread MD5 takes batches in shared memory');
    const w = waiter<void>();
    this.pending.push(w);
    this.worker.post(this.id, 'update', batch);
    return w.promise;
  }

  digest(): Promise<Buffer> {
    if (this.failed) return Promise.reject(this.failed);
    this.done = waiter<Buffer>();
    this.worker.post(this.id, 'digest');
    return this.done.promise;
  }

  discard(): void {
    if (!this.failed) this.worker.post(this.id, 'drop');
  }

  fail(err: Error): void {
    this.failed = err;
    for (const w of this.pending.splice(0)) w.reject(err);
    this.done?.reject(err);
  }

  onReply(r: Reply): void {
    if (r.hashed !== undefined) this.pending.shift()?.resolve();
    if (r.digest !== undefined) {
      this.worker.release(this.id);
      this.done?.resolve(Buffer.from(r.digest.buffer, r.digest.byteOffset, r.digest.byteLength));
    }
  }
}

let workers: { next(): HashWorker } | undefined;

/** Worker threads, one per core (at most 4), created on first use and handed out in turn; a dead one is replaced. */
function pool(): { next(): HashWorker } {
  if (!workers) {
    const list = Array.from({ length: Math.min(4, Math.max(1, availableParallelism())) }, () => new HashWorker());
    let turn = 0;
    workers = {
      next: () => {
        const i = turn++ % list.length;
        if (list[i]!.dead) list[i] = new HashWorker();
        return list[i]!;
      },
    };
  }
  return workers;
}
