import { createHash, type Hash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * The MD5 of a body (its ETag), fed chunk by chunk. MD5 cannot be split, and at a few
 * hundred MiB/s per core it is the slowest step of a large PUT; hashing it on a worker
 * thread lets receiving, writing and hashing overlap instead of taking turns on the
 * event loop. Small bodies hash in-thread (a message round trip costs more than they do).
 */
export interface Md5Sink {
  /** Adds bytes; returns a promise when the worker is behind, to hold the stream until it catches up. */
  update(chunk: Buffer): Promise<void> | undefined;
  digest(): Promise<Buffer>;
  /** Forgets the hash (an aborted body). */
  discard(): void;
}

/** Bodies at least this large (or of unknown size) are hashed off-thread. */
const OFF_THREAD_FROM = 4 * 1024 * 1024;
const BATCH = 1024 * 1024;
/** Bytes posted to the worker and not yet hashed, beyond which the body waits. */
const MAX_IN_FLIGHT = 8 * 1024 * 1024;

export function md5Sink(expectedLength: number | undefined): Md5Sink {
  if (expectedLength !== undefined && expectedLength < OFF_THREAD_FROM) return inThread(createHash('md5'));
  return new OffThreadMd5(pool().next());
}

function inThread(hash: Hash): Md5Sink {
  return {
    update: (chunk) => void hash.update(chunk),
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
    h.update(new Uint8Array(m.buf, 0, m.len));
    parentPort.postMessage({ id: m.id, hashed: m.len, buf: m.buf }, [m.buf]);
  } else if (m.op === 'digest') {
    const h = hashes.get(m.id) || createHash('md5');
    hashes.delete(m.id);
    parentPort.postMessage({ id: m.id, digest: h.digest() });
  } else if (m.op === 'drop') hashes.delete(m.id);
});`;

interface Reply { id: number; hashed?: number; buf?: ArrayBuffer; digest?: Uint8Array }

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

  post(id: number, op: 'update' | 'digest' | 'drop', batch?: ArrayBuffer, len = 0): void {
    if (op !== 'update') this.worker.postMessage({ id, op });
    else this.worker.postMessage({ id, op, buf: batch, len }, [batch!]);
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
  private batch = new ArrayBuffer(BATCH);
  /** Batches the worker has hashed and handed back, reused so memory stays at the in-flight window. */
  private readonly spare: ArrayBuffer[] = [];
  private filled = 0;
  private inFlight = 0;
  private waiting: Waiter<void> | undefined;
  private done: Waiter<Buffer> | undefined;
  private failed: Error | undefined;

  constructor(private readonly worker: HashWorker) {
    this.id = worker.register(this);
  }

  update(chunk: Buffer): Promise<void> | undefined {
    if (this.failed) return Promise.reject(this.failed);
    let at = 0;
    while (at < chunk.length) {
      const n = Math.min(BATCH - this.filled, chunk.length - at);
      new Uint8Array(this.batch, this.filled, n).set(chunk.subarray(at, at + n));
      this.filled += n;
      at += n;
      if (this.filled === BATCH) this.flush();
    }
    if (this.inFlight <= MAX_IN_FLIGHT) return undefined;
    this.waiting ??= waiter<void>();
    return this.waiting.promise;
  }

  digest(): Promise<Buffer> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.filled > 0) this.flush();
    this.done = waiter<Buffer>();
    this.worker.post(this.id, 'digest');
    return this.done.promise;
  }

  discard(): void {
    if (!this.failed) this.worker.post(this.id, 'drop');
  }

  fail(err: Error): void {
    this.failed = err;
    this.waiting?.reject(err);
    this.done?.reject(err);
  }

  onReply(r: Reply): void {
    if (r.hashed !== undefined) {
      this.inFlight -= r.hashed;
      if (r.buf) this.spare.push(r.buf);
      if (this.waiting && this.inFlight <= MAX_IN_FLIGHT / 2) {
        this.waiting.resolve();
        this.waiting = undefined;
      }
    }
    if (r.digest !== undefined) {
      this.worker.release(this.id);
      this.done?.resolve(Buffer.from(r.digest.buffer, r.digest.byteOffset, r.digest.byteLength));
    }
  }

  private flush(): void {
    this.inFlight += this.filled;
    this.worker.post(this.id, 'update', this.batch, this.filled);
    this.batch = this.spare.pop() ?? new ArrayBuffer(BATCH);
    this.filled = 0;
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
