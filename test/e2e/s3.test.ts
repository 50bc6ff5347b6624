import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutBucketNotificationConfigurationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, awsCliAsync } from '../helpers/aws-cli.js';
import { startSkiff, tempDataDir, type SkiffProcess } from '../helpers/skiff-process.js';

const MiB = 1024 * 1024;
const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

function client(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

/** Peak resident memory of a process, from /proc (Linux), in bytes. */
function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

/** A SigV4 query-string presigned GET, as @aws-sdk/s3-request-presigner builds it (not installed here). */
function presignGet(endpoint: string, pathName: string, signedAt: Date, expiresIn: number): string {
  const url = new URL(endpoint + pathName);
  const stamp = signedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  const day = stamp.slice(0, 8);
  const scope = `${day}/us-east-1/s3/aws4_request`;
  const query = new URLSearchParams({
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', 'X-Amz-Credential': `test/${scope}`, 'X-Amz-Date': stamp,
    'X-Amz-Expires': String(expiresIn), 'X-Amz-SignedHeaders': 'host',
  });
  query.sort();
  const canonical = ['GET', url.pathname, query.toString().replace(/\+/g, '%20'), `host:${url.host}\n`, 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', stamp, scope, sha256(canonical)].join('\n');
  let key: Buffer = Buffer.from('AWS4test');
  for (const part of [day, 'us-east-1', 's3', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  query.set('X-Amz-Signature', createHmac('sha256', key).update(toSign).digest('hex'));
  return `${url.origin}${url.pathname}?${query.toString()}`;
}

describe('the object store through AWS CLI v2 and SDK v3', () => {
  let skiff: SkiffProcess;
  let tmp: ReturnType<typeof tempDataDir>;
  let work: ReturnType<typeof tempDataDir>;
  let s3: S3Client;
  const cli = (...args: string[]): ReturnType<typeof awsCli> => awsCli(skiff.endpoint, args, work.dir);

  beforeAll(async () => {
    tmp = tempDataDir();
    work = tempDataDir();
    skiff = await startSkiff(tmp.dir, ['--driver', 'fake']);
    s3 = client(skiff.endpoint);
  });
  afterAll(async () => {
    s3.destroy();
    await skiff.stop();
    tmp.cleanup();
    work.cleanup();
  });

  it('streams a 200 MiB single PUT in and out with flat memory', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'stream' }));
    // a first large PUT starts the hashing threads: a one-time cost, not per byte
    await s3.send(new PutObjectCommand({ Bucket: 'stream', Key: 'warm-up', Body: randomBytes(8 * MiB) }));
    const before = peakRss(skiff.child.pid!);
    const chunk = randomBytes(MiB);
    const hash = createHash('sha256');
    const body = Readable.from((function* () {
      for (let i = 0; i < 200; i++) {
        chunk[0] = i; // every MiB differs
        hash.update(chunk);
        yield Buffer.from(chunk);
      }
    })());
    await s3.send(new PutObjectCommand({ Bucket: 'stream', Key: 'big', Body: body, ContentLength: 200 * MiB }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'stream', Key: 'big' }));
    const back = createHash('sha256');
    await pipeline(got.Body as Readable, async (source: AsyncIterable<Buffer>) => {
      for await (const c of source) back.update(c);
    });
    expect(back.digest('hex')).toBe(hash.digest('hex'));
    expect(got.ContentLength).toBe(200 * MiB);
    // buffering the body anywhere would add 200 MiB; streaming adds a few buffers
    expect(peakRss(skiff.child.pid!) - before).toBeLessThan(64 * MiB);
  });

  it('aws s3 mb / cp (multipart, 200 MiB, byte for byte) / ls / rm', async () => {
    const file = path.join(work.dir, 'random.bin');
    writeFileSync(file, randomBytes(200 * MiB));
    expect(cli('s3', 'mb', 's3://cli-bucket').status).toBe(0);
    const up = cli('s3', 'cp', file, 's3://cli-bucket/data/random.bin', '--only-show-errors');
    expect(up.stderr).toBe('');
    const head = cli('s3api', 'head-object', '--bucket', 'cli-bucket', '--key', 'data/random.bin').json as { ETag: string; ContentLength: number };
    expect(head.ContentLength).toBe(200 * MiB);
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}-25"$/); // 8 MiB parts
    const down = cli('s3', 'cp', 's3://cli-bucket/data/random.bin', path.join(work.dir, 'back.bin'), '--only-show-errors');
    expect(down.stderr).toBe('');
    expect(sha256(readFileSync(path.join(work.dir, 'back.bin')))).toBe(sha256(readFileSync(file)));

    for (const key of ['data/a.txt', 'data/sub/b.txt', 'other/c.txt', 'top.txt']) {
      expect(cli('s3', 'cp', path.join(work.dir, 'back.bin'), `s3://cli-bucket/${key}`, '--only-show-errors').status).toBe(0);
    }
    const top = cli('s3', 'ls', 's3://cli-bucket/').stdout;
    expect(top).toMatch(/PRE data\//);
    expect(top).toMatch(/PRE other\//);
    expect(top).toMatch(/top\.txt/);
    const data = cli('s3', 'ls', 's3://cli-bucket/data/').stdout;
    expect(data).toMatch(/PRE sub\//);
    expect(data).toMatch(/a\.txt/);
    expect(data).not.toMatch(/top\.txt/);
    expect(cli('s3', 'rm', 's3://cli-bucket/top.txt').status).toBe(0);
    expect(cli('s3', 'rm', 's3://cli-bucket/data/', '--recursive').status).toBe(0);
    expect(cli('s3', 'ls', 's3://cli-bucket/', '--recursive').stdout.trim().split('\n')).toEqual([expect.stringMatching(/other\/c\.txt$/)]);
  });

  it('aws s3api head-object, get-object --range, paginated list-objects-v2, delete-objects', async () => {
    cli('s3api', 'create-bucket', '--bucket', 'api-bucket');
    const digits = path.join(work.dir, 'digits.txt');
    writeFileSync(digits, '0123456789');
    await Promise.all(Array.from({ length: 7 }, (_, i) => awsCliAsync(skiff.endpoint, ['s3api', 'put-object', '--bucket', 'api-bucket', '--key', `k${i}`, '--body', digits, '--metadata', 'who=cli'])));
    expect(cli('s3api', 'head-object', '--bucket', 'api-bucket', '--key', 'k1').json).toMatchObject({ ContentLength: 10, Metadata: { who: 'cli' } });
    const part = cli('s3api', 'get-object', '--bucket', 'api-bucket', '--key', 'k1', '--range', 'bytes=3-5', path.join(work.dir, 'part.txt'));
    expect(part.json).toMatchObject({ ContentRange: 'bytes 3-5/10', ContentLength: 3 });
    expect(readFileSync(path.join(work.dir, 'part.txt'), 'utf8')).toBe('345');
    // --page-size makes the CLI follow NextContinuationToken itself
    const all = cli('s3api', 'list-objects-v2', '--bucket', 'api-bucket', '--page-size', '2').json as { Contents: { Key: string }[] };
    expect(all.Contents.map((c) => c.Key)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
    const first = cli('s3api', 'list-objects-v2', '--bucket', 'api-bucket', '--max-keys', '3', '--no-paginate').json as { NextContinuationToken: string; KeyCount: number };
    expect(first.KeyCount).toBe(3);
    const second = cli('s3api', 'list-objects-v2', '--bucket', 'api-bucket', '--max-keys', '3', '--no-paginate', '--continuation-token', first.NextContinuationToken).json as { Contents: { Key: string }[] };
    expect(second.Contents.map((c) => c.Key)).toEqual(['k3', 'k4', 'k5']);
    const del = cli('s3api', 'delete-objects', '--bucket', 'api-bucket', '--delete', JSON.stringify({ Objects: [{ Key: 'k0' }, { Key: 'k1' }, { Key: 'nope' }] })).json as { Deleted: { Key: string }[] };
    expect(del.Deleted.map((d) => d.Key).sort()).toEqual(['k0', 'k1', 'nope']);
    const quiet = cli('s3api', 'delete-objects', '--bucket', 'api-bucket', '--delete', JSON.stringify({ Objects: [{ Key: 'k2' }], Quiet: true }));
    expect(quiet.status).toBe(0);
    expect((cli('s3api', 'list-objects-v2', '--bucket', 'api-bucket').json as { Contents: unknown[] }).Contents).toHaveLength(4);
    const missing = cli('s3api', 'get-object', '--bucket', 'api-bucket', '--key', 'k0', path.join(work.dir, 'x'));
    expect(missing.stderr).toMatch(/NoSuchKey/);
  });

  it('aws s3api put-bucket-notification-configuration with EventBridgeConfiguration', () => {
    const put = cli('s3api', 'put-bucket-notification-configuration', '--bucket', 'api-bucket', '--notification-configuration', '{"EventBridgeConfiguration":{}}');
    expect(put.status).toBe(0);
    expect(cli('s3api', 'get-bucket-notification-configuration', '--bucket', 'api-bucket').json).toEqual({ EventBridgeConfiguration: {} });
  });

  it('SDK v3: stream PutObject with default checksums, GetObject, lib-storage Upload, NoSuchKey, presigned GET', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-bucket' }));
    const data = randomBytes(3 * MiB + 5);
    const put = await s3.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'stream.bin', Body: Readable.from([data.subarray(0, MiB), data.subarray(MiB)]), ContentLength: data.length }));
    expect(put.ChecksumCRC32).toBeDefined(); // sent as an aws-chunked trailer, checked and echoed
    expect(put.ETag).toBe(`"${createHash('md5').update(data).digest('hex')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'stream.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);

    const big = randomBytes(23 * MiB);
    const upload = new Upload({ client: s3, params: { Bucket: 'sdk-bucket', Key: 'multi.bin', Body: Readable.from([big]) }, partSize: 5 * MiB, queueSize: 3 });
    expect((await upload.done()).ETag).toMatch(/-5"$/);
    const multi = await s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'multi.bin' }));
    expect(sha256(Buffer.from(await multi.Body!.transformToByteArray()))).toBe(sha256(big));

    await expect(s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'absent' }))).rejects.toBeInstanceOf(NoSuchKey);

    const fresh = await fetch(presignGet(skiff.endpoint, '/sdk-bucket/stream.bin', new Date(), 300));
    expect(sha256(Buffer.from(await fresh.arrayBuffer()))).toBe(sha256(data));
    const stale = await fetch(presignGet(skiff.endpoint, '/sdk-bucket/stream.bin', new Date(Date.now() - 3_600_000), 60));
    expect(stale.status).toBe(403);
    expect(await stale.text()).toContain('<Message>Request has expired</Message>');
  });
});

/**
 * The object events a data directory holds: those still in the S3 outbox, and (once the
 * events capability consumes the outbox) the outbox ids it has taken over. Read from
 * the database file as the killed server left it.
 */
function readEventLedger(dataDir: string): { allocated: number; accountedFor: number; pending: { key: string }[]; handedOn: boolean } {
  const db = new Database(path.join(dataDir, 'skiff.db'));
  try {
    const seq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 's3_outbox'").get() as { seq: number } | undefined;
    const rows = db.prepare('SELECT id, event FROM s3_outbox').all() as { id: number; event: string }[];
    const ids = new Set(rows.map((r) => r.id));
    const consumer = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'events_ingested'").get() !== undefined;
    if (consumer) {
      for (const r of db.prepare("SELECT source_id FROM events_ingested WHERE source = 's3'").all() as { source_id: string }[]) ids.add(Number(r.source_id));
    }
    const allocated = seq?.seq ?? 0;
    const accountedFor = [...ids].filter((id) => id >= 1 && id <= allocated).length;
    return { allocated, accountedFor, pending: rows.map((r) => JSON.parse(r.event) as { key: string }), handedOn: consumer };
  } finally {
    db.close();
  }
}

/** A PUT that streams `size` bytes slowly until the server dies; resolves true only if acknowledged. */
function slowPut(endpoint: string, key: string, body: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request(`${endpoint}/crash/${key}`, { method: 'PUT', headers: { 'content-length': body.length } }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    let at = 0;
    const tick = setInterval(() => {
      if (at >= body.length) return clearInterval(tick);
      req.write(body.subarray(at, at + 64 * 1024));
      at += 64 * 1024;
      if (at >= body.length) req.end();
    }, 5);
    req.on('close', () => clearInterval(tick));
  });
}

describe('kill -9 during uploads', () => {
  it('lists no partial object, keeps every acknowledged one whole, and loses none of their events', async () => {
    const tmp = tempDataDir();
    const first = await startSkiff(tmp.dir, ['--driver', 'fake']);
    const s3 = client(first.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: 'crash' }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'crash', NotificationConfiguration: { EventBridgeConfiguration: {} } }));
    const bodies = new Map<string, Buffer>();
    const acknowledged = new Set<string>();
    const started: Promise<void>[] = [];
    for (let i = 0; i < 24; i++) {
      const key = `obj-${i}`;
      const body = randomBytes((1 + (i % 4)) * MiB); // 16 to 64 chunks at one per 5 ms: some finish, some are cut
      bodies.set(key, body);
      started.push(slowPut(first.endpoint, key, body).then((ok) => void (ok && acknowledged.add(key))));
      await new Promise((r) => setTimeout(r, 40));
    }
    await first.kill();
    await Promise.all(started);
    s3.destroy();
    expect(acknowledged.size).toBeGreaterThan(2);
    expect(acknowledged.size).toBeLessThan(bodies.size);

    const killed = readEventLedger(tmp.dir);
    for (const e of killed.pending) expect(bodies.has(e.key)).toBe(true);

    const second = await startSkiff(tmp.dir, ['--driver', 'fake']);
    const s3b = client(second.endpoint);
    try {
      const listed = (await s3b.send(new ListObjectsV2Command({ Bucket: 'crash' }))).Contents ?? [];
      for (const key of acknowledged) expect(listed.map((c) => c.Key)).toContain(key);
      for (const item of listed) {
        // whatever is listed is whole: committed only after its bytes were durable
        const got = await s3b.send(new GetObjectCommand({ Bucket: 'crash', Key: item.Key }));
        expect(sha256(Buffer.from(await got.Body!.transformToByteArray()))).toBe(sha256(bodies.get(item.Key!)!));
      }
      expect(readdirSync(path.join(tmp.dir, 's3', 'tmp'))).toEqual([]);
      const files = readdirSync(path.join(tmp.dir, 's3', 'blobs')).flatMap((d) => readdirSync(path.join(tmp.dir, 's3', 'blobs', d)));
      expect(files.length).toBe(listed.length); // no orphan blob of a cut upload
      // one event per committed object, none lost: each is still in the outbox or was handed to the bus
      expect(killed.allocated).toBe(listed.length);
      expect(killed.accountedFor).toBe(killed.allocated);
      for (const key of acknowledged) {
        if (!killed.handedOn) expect(killed.pending.map((e) => e.key)).toContain(key);
      }
    } finally {
      s3b.destroy();
      await second.stop();
      tmp.cleanup();
    }
  });
});
