import { CreateBucketCommand, ListObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Harness, clientConfig } from './harness.test-support.js';

let h: S3Harness;
let s3: S3Client;
const KEYS = ['a.txt', 'dir/1', 'dir/2', 'dir/sub/x', 'dir2/y', 'photos/2026/jan.jpg', 'photos/2026/feb.jpg', 'photos/2027/mar.jpg', 'z with space+plus', 'é/accent', '😀'];

beforeAll(async () => {
  h = await new S3Harness().start();
  s3 = new S3Client(clientConfig(h.endpoint));
  await s3.send(new CreateBucketCommand({ Bucket: 'list' }));
  for (const key of KEYS) await s3.send(new PutObjectCommand({ Bucket: 'list', Key: key, Body: key }));
});
afterAll(async () => {
  s3.destroy();
  await h.dispose();
});

/** S3's order: UTF-8 bytes, not JavaScript's UTF-16 code units. */
const byteOrder = (keys: string[]): string[] => [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe('ListObjectsV2', () => {
  it('lists every key in UTF-8 byte order', async () => {
    const r = await s3.send(new ListObjectsV2Command({ Bucket: 'list' }));
    expect(r.Contents?.map((c) => c.Key)).toEqual(byteOrder(KEYS));
    expect(r).toMatchObject({ KeyCount: KEYS.length, IsTruncated: false });
    expect(r.Contents?.[0]).toMatchObject({ Size: 5, StorageClass: 'STANDARD' });
    expect(r.Contents?.[0]?.Owner).toBeUndefined();
  });

  it('rolls keys up into common prefixes with a delimiter', async () => {
    const r = await s3.send(new ListObjectsV2Command({ Bucket: 'list', Delimiter: '/' }));
    expect(r.Contents?.map((c) => c.Key)).toEqual(['a.txt', 'z with space+plus', '😀']);
    expect(r.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['dir/', 'dir2/', 'photos/', 'é/']);
    const nested = await s3.send(new ListObjectsV2Command({ Bucket: 'list', Prefix: 'photos/', Delimiter: '/' }));
    expect(nested.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['photos/2026/', 'photos/2027/']);
    expect(nested.Contents).toBeUndefined();
  });

  it('pages with max-keys and continuation tokens, counting prefixes as keys', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: 'list', Delimiter: '/' })) {
      pages++;
      seen.push(...(page.Contents ?? []).map((c) => c.Key!), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
      expect(page.KeyCount).toBeLessThanOrEqual(2);
    }
    expect(pages).toBe(4);
    expect(byteOrder(seen)).toEqual(byteOrder(['a.txt', 'z with space+plus', '😀', 'dir/', 'dir2/', 'photos/', 'é/']));
  });

  it('starts after a key, fetches owners on request, and URL-encodes with encoding-type=url', async () => {
    const after = await s3.send(new ListObjectsV2Command({ Bucket: 'list', StartAfter: 'photos/2026/jan.jpg', FetchOwner: true }));
    expect(after.Contents?.[0]?.Key).toBe('photos/2027/mar.jpg');
    expect(after.Contents?.[0]?.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    const raw = await h.raw('GET', '/list?list-type=2&prefix=z&encoding-type=url');
    expect(raw.text).toContain('<Key>z+with+space%2Bplus</Key>');
    expect(raw.text).toContain('<EncodingType>url</EncodingType>');
  });

  it('refuses a forged continuation token and a bad encoding type', async () => {
    expect((await h.raw('GET', '/list?list-type=2&continuation-token=garbage')).text).toContain('InvalidArgument');
    expect((await h.raw('GET', '/list?list-type=2&encoding-type=base64')).text).toContain('InvalidArgument');
  });
});

describe('ListObjects (v1)', () => {
  it('pages with Marker and NextMarker', async () => {
    const first = await s3.send(new ListObjectsCommand({ Bucket: 'list', Delimiter: '/', MaxKeys: 3 }));
    expect(first.IsTruncated).toBe(true);
    expect(first.NextMarker).toBe('dir2/');
    const rest = await s3.send(new ListObjectsCommand({ Bucket: 'list', Delimiter: '/', Marker: first.NextMarker }));
    expect([...(rest.Contents ?? []).map((c) => c.Key), ...(rest.CommonPrefixes ?? []).map((p) => p.Prefix)]).toEqual(['z with space+plus', '😀', 'photos/', 'é/']);
    expect(rest.IsTruncated).toBe(false);
  });

  it('gives no NextMarker without a delimiter (clients continue from the last key)', async () => {
    const page = await s3.send(new ListObjectsCommand({ Bucket: 'list', MaxKeys: 2 }));
    expect(page.IsTruncated).toBe(true);
    expect(page.NextMarker).toBeUndefined();
    expect(page.Contents?.[0]?.Owner).toBeDefined();
  });
});
