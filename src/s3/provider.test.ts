import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  BucketAlreadyOwnedByYou, CopyObjectCommand, CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, GetBucketLocationCommand,
  GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListBucketsCommand, NoSuchBucket, NoSuchKey, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Harness, clientConfig } from './harness.test-support.js';

let h: S3Harness;
let s3: S3Client;

beforeAll(async () => {
  h = await new S3Harness().start();
  s3 = new S3Client(clientConfig(h.endpoint));
  await s3.send(new CreateBucketCommand({ Bucket: 'objects' }));
});
afterAll(async () => {
  s3.destroy();
  await h.dispose();
});

const md5 = (b: string | Buffer): string => createHash('md5').update(b).digest('hex');
const b64 = (alg: string, b: string): string => createHash(alg).update(b).digest('base64');

describe('buckets', () => {
  it('are created, listed, located, headed and deleted', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'eu-things', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const list = await s3.send(new ListBucketsCommand({}));
    expect(list.Buckets?.map((b) => b.Name)).toEqual(expect.arrayContaining(['eu-things', 'objects']));
    expect(list.Buckets?.find((b) => b.Name === 'eu-things')?.CreationDate).toEqual(new Date(h.clock.now().toISOString()));
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'eu-things' }))).LocationConstraint).toBe('eu-west-1');
    expect((await s3.send(new HeadBucketCommand({ Bucket: 'eu-things' }))).BucketRegion).toBe('eu-west-1');
    await s3.send(new DeleteBucketCommand({ Bucket: 'eu-things' }));
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'eu-things' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it('refuse a second create, invalid names, and deleting a non-empty bucket', async () => {
    await expect(s3.send(new CreateBucketCommand({ Bucket: 'objects' }))).rejects.toBeInstanceOf(BucketAlreadyOwnedByYou);
    await expect(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' }))).rejects.toMatchObject({ name: 'InvalidBucketName' });
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'keep', Body: 'x' }));
    await expect(s3.send(new DeleteBucketCommand({ Bucket: 'objects' }))).rejects.toMatchObject({ name: 'BucketNotEmpty', $metadata: { httpStatusCode: 409 } });
    await expect(s3.send(new DeleteBucketCommand({ Bucket: 'never-made' }))).rejects.toBeInstanceOf(NoSuchBucket);
  });
});

describe('objects', () => {
  it('round-trip bytes, content type and user metadata, with an MD5 ETag', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'a/b.txt', Body: 'hello', ContentType: 'text/plain', Metadata: { owner: 'me' }, CacheControl: 'no-cache' }));
    expect(put.ETag).toBe(`"${md5('hello')}"`);
    expect(put.ChecksumCRC32).toBeDefined(); // the SDK's default checksum, echoed
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'a/b.txt' }));
    expect(await got.Body?.transformToString()).toBe('hello');
    expect(got).toMatchObject({ ContentType: 'text/plain', Metadata: { owner: 'me' }, CacheControl: 'no-cache', ContentLength: 5, ETag: put.ETag });
  });

  it('answers NoSuchKey as the SDK exception, and HEAD with a bare 404', async () => {
    await expect(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'missing' }))).rejects.toBeInstanceOf(NoSuchKey);
    await expect(s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'missing' }))).rejects.toMatchObject({ name: 'NotFound' });
    const head = await h.raw('HEAD', '/objects/missing');
    expect([head.status, head.text]).toEqual([404, '']);
  });

  it('keep path-like and control-character keys as plain strings, never as file paths', async () => {
    const keys = ['../escape', '/etc/passwd', 'a\u0000b', '..', 'ünï 😀'];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: key, Body: `body of ${key}` }));
    for (const key of keys) {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: key }));
      expect(await got.Body?.transformToString()).toBe(`body of ${key}`);
    }
    // nothing outside the blob store: every object file is named by a 32-hex id
    const top = readdirSync(h.dir).filter((n) => !n.startsWith('skiff.db'));
    expect(top).toEqual(['s3']);
    for (const sub of readdirSync(path.join(h.dir, 's3', 'blobs'))) {
      for (const f of readdirSync(path.join(h.dir, 's3', 'blobs', sub))) expect(f).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('check Content-MD5 and x-amz-checksum-* headers, and echo the checksum', async () => {
    const bad = await h.raw('PUT', '/objects/md5', { body: 'data', headers: { 'content-md5': b64('md5', 'other') } });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<Code>BadDigest</Code>');
    const ok = await h.raw('PUT', '/objects/md5', { body: 'data', headers: { 'content-md5': b64('md5', 'data') } });
    expect(ok.status).toBe(200);
    const sha = await h.raw('PUT', '/objects/sha', { body: 'data', headers: { 'x-amz-checksum-sha256': b64('sha256', 'data') } });
    expect(sha.headers.get('x-amz-checksum-sha256')).toBe(b64('sha256', 'data'));
    const wrong = await h.raw('PUT', '/objects/sha', { body: 'data', headers: { 'x-amz-checksum-sha1': b64('sha1', 'nope') } });
    expect(wrong.text).toContain('The SHA1 you specified did not match the calculated checksum.');
    const crc32c = await h.raw('PUT', '/objects/c', { body: '123456789', headers: { 'x-amz-checksum-crc32c': '4waSgw==' } });
    expect(crc32c.status).toBe(200);
    const signed = await h.raw('PUT', '/objects/s', { body: 'data', headers: { 'x-amz-content-sha256': createHash('sha256').update('tampered').digest('hex') } });
    expect(signed.text).toContain('XAmzContentSHA256Mismatch');
    // a failed write leaves the previous object untouched
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'sha' }))).Body?.transformToString()).toBe('data');
  });

  it('check large bodies (spooled, MD5 off-thread) as strictly, and keep no file of a failed or cut one', async () => {
    const body = Buffer.alloc(6 * 1024 * 1024 + 3, 'x');
    const bad = await h.raw('PUT', '/objects/big', { body, headers: { 'content-md5': b64('md5', 'other') } });
    expect(bad.text).toContain('<Code>BadDigest</Code>');
    const wrong = await h.raw('PUT', '/objects/big', { body, headers: { 'x-amz-checksum-crc32': crc32b64('other') } });
    expect(wrong.text).toContain('<Code>BadDigest</Code>');
    const ok = await h.raw('PUT', '/objects/big', { body, headers: { 'content-md5': createHash('md5').update(body).digest('base64') } });
    expect(ok.headers.get('etag')).toBe(`"${md5(body)}"`);
    await new Promise<void>((resolve) => {
      const req = http.request(`${h.endpoint}/objects/cut`, { method: 'PUT', headers: { 'content-length': String(body.length) } });
      req.on('error', () => resolve());
      req.write(body.subarray(0, 5 * 1024 * 1024), () => setTimeout(() => req.destroy(), 50));
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(readdirSync(path.join(h.dir, 's3', 'tmp'))).toEqual([]);
    expect((await h.raw('GET', '/objects/cut')).status).toBe(404);
    expect(Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'big' }))).Body!.transformToByteArray()).equals(body)).toBe(true);
  });

  it('decode signed aws-chunked bodies with a checksum trailer', async () => {
    const sig = `;chunk-signature=${'0'.repeat(64)}`;
    const body = `5${sig}\r\nhello\r\n6${sig}\r\n world\r\n0${sig}\r\nx-amz-checksum-crc32:${crc32b64('hello world')}\r\nx-amz-trailer-signature:${'1'.repeat(64)}\r\n\r\n`;
    const res = await h.raw('PUT', '/objects/chunked', {
      body,
      headers: {
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
        'content-encoding': 'aws-chunked,x-custom',
        'x-amz-decoded-content-length': '11',
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${md5('hello world')}"`);
    const got = await h.raw('GET', '/objects/chunked');
    expect([got.text, got.headers.get('content-encoding')]).toEqual(['hello world', 'x-custom']);
    const short = await h.raw('PUT', '/objects/chunked', { body, headers: { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '12' } });
    expect(short.text).toContain('IncompleteBody');
  });

  it('serve ranges (206) and refuse unsatisfiable ones (416)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'digits', Body: '0123456789' }));
    const r = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'digits', Range: 'bytes=2-4' }));
    expect([await r.Body?.transformToString(), r.ContentRange, r.ContentLength]).toEqual(['234', 'bytes 2-4/10', 3]);
    const suffix = await h.raw('GET', '/objects/digits', { headers: { range: 'bytes=-3' } });
    expect([suffix.status, suffix.text]).toEqual([206, '789']);
    const bad = await h.raw('GET', '/objects/digits', { headers: { range: 'bytes=10-' } });
    expect(bad.status).toBe(416);
    expect(bad.text).toContain('<Code>InvalidRange</Code>');
  });

  it('answer conditional GETs with 304 and 412', async () => {
    const etag = `"${md5('0123456789')}"`;
    expect((await h.raw('GET', '/objects/digits', { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await h.raw('GET', '/objects/digits', { headers: { 'if-match': '"other"' } })).status).toBe(412);
    expect((await h.raw('GET', '/objects/digits', { headers: { 'if-modified-since': new Date(h.clock.now().getTime() + 60_000).toUTCString() } })).status).toBe(304);
    expect((await h.raw('GET', '/objects/digits', { headers: { 'if-unmodified-since': new Date(h.clock.now().getTime() - 60_000).toUTCString() } })).status).toBe(412);
    expect((await h.raw('PUT', '/objects/digits', { body: 'x', headers: { 'if-none-match': '*' } })).status).toBe(412);
  });

  it('copy with the metadata directive, and refuse copying onto itself unchanged', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'src', Body: 'copied', Metadata: { a: '1' }, ContentType: 'text/x-a' }));
    const copy = await s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'dst', CopySource: 'objects/src' }));
    expect(copy.CopyObjectResult?.ETag).toBe(`"${md5('copied')}"`);
    expect(await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'dst' }))).toMatchObject({ Metadata: { a: '1' }, ContentType: 'text/x-a' });
    await s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'dst', CopySource: 'objects/src', MetadataDirective: 'REPLACE', Metadata: { b: '2' }, ContentType: 'text/x-b' }));
    expect(await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'dst' }))).toMatchObject({ Metadata: { b: '2' }, ContentType: 'text/x-b' });
    await expect(s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'src', CopySource: 'objects/src' }))).rejects.toMatchObject({ name: 'InvalidRequest' });
    await expect(s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'x', CopySource: 'objects/nope' }))).rejects.toBeInstanceOf(NoSuchKey);
  });

  it('delete idempotently', async () => {
    await s3.send(new DeleteObjectCommand({ Bucket: 'objects', Key: 'dst' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'objects', Key: 'dst' }));
    await expect(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'dst' }))).rejects.toBeInstanceOf(NoSuchKey);
  });
});

describe('the wire', () => {
  it('writes errors in S3 XML shape', async () => {
    const res = await h.raw('GET', '/no-such-bucket/k');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/xml');
    expect(res.text).toMatch(/<Error><Code>NoSuchBucket<\/Code><Message>The specified bucket does not exist<\/Message><BucketName>no-such-bucket<\/BucketName><Resource>\/no-such-bucket\/k<\/Resource><RequestId>[^<]+<\/RequestId>/);
  });

  it.each([
    ['GET', '/objects?policy', 501, 'NotImplemented'],
    ['PUT', '/objects/k?tagging', 501, 'NotImplemented'],
    ['POST', '/objects/k', 405, 'MethodNotAllowed'],
    ['DELETE', '/', 405, 'MethodNotAllowed'],
  ])('%s %s → %i %s', async (method, url, status, code) => {
    const res = await h.raw(method, url);
    expect(res.status).toBe(status);
    expect(res.text).toContain(`<Code>${code}</Code>`);
  });

  it('serves virtual-host style requests', async () => {
    const port = new URL(h.endpoint).port;
    const text = await new Promise<string>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: '/digits', headers: { host: `objects.s3.localhost:${port}` } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      }).on('error', reject);
    });
    expect(text).toBe('0123456789');
  });

  it('accepts presigned URLs in their window and refuses expired ones', async () => {
    const stamp = h.clock.now().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
    const url = `/objects/digits?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=${stamp}&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=${'0'.repeat(64)}`;
    expect((await h.raw('GET', url)).text).toBe('0123456789');
    h.clock.advance(61_000);
    const expired = await h.raw('GET', url);
    expect(expired.status).toBe(403);
    expect(expired.text).toContain('<Message>Request has expired</Message>');
  });
});

function crc32b64(s: string): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(zlibCrc32(Buffer.from(s)));
  return out.toString('base64');
}

function zlibCrc32(b: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of b) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return ~crc >>> 0;
}
