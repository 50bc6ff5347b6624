import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Edge } from '../api/index.js';
import { ManualClock, randomIds, silentLogger } from '../core/index.js';
import { openDatabase, type Db } from '../store/index.js';
import { createS3, type S3 } from './provider.js';

export const T0 = Date.UTC(2026, 0, 1, 12);

/** An edge serving only the object store, over a temporary data directory, with a manual clock. */
export class S3Harness {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-s3-'));
  readonly clock = new ManualClock(T0);
  db!: Db;
  s3!: S3;
  edge!: Edge;
  endpoint = '';

  async start(): Promise<this> {
    this.db = openDatabase(this.dir);
    const scope = { region: 'us-east-1', account: '000000000000' };
    this.s3 = createS3({ db: this.db, clock: this.clock, ids: randomIds, scope, logger: silentLogger, dataDir: this.dir, virtualHostDomains: ['s3.localhost'] });
    this.s3.start();
    this.edge = new Edge({ scope, ids: randomIds, logger: silentLogger, maxBodyBytes: 1024 * 1024 });
    this.edge.addRawService(this.s3.signingName, this.s3.handler);
    const addr = await this.edge.listen('127.0.0.1', 0);
    this.endpoint = `http://127.0.0.1:${addr.port}`;
    return this;
  }

  /** Stops serving and closes the database, keeping the data directory (for restarts). */
  async stop(): Promise<void> {
    await this.edge.close();
    this.db.close();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A raw request, for what the SDK would not send or hides. */
  async raw(method: string, pathAndQuery: string, init: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<{ status: number; headers: Headers; text: string }> {
    const res = await fetch(this.endpoint + pathAndQuery, { method, headers: init.headers, body: init.body });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }
}

/** SDK v3 client settings pointed at a harness (path style, dummy keys, no retries). */
export function clientConfig(endpoint: string): { endpoint: string; region: string; forcePathStyle: true; credentials: { accessKeyId: string; secretAccessKey: string }; maxAttempts: number } {
  return { endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
}
