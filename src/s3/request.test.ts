import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { bucketFromHost, parseTarget, subresourcesOf, virtualHostDomains } from './request.js';

function req(url: string, host = '127.0.0.1:4750'): http.IncomingMessage {
  return { url, headers: { host } } as unknown as http.IncomingMessage;
}

const domains = virtualHostDomains(['objects.example.test']);

describe('request targets', () => {
  it.each([
    ['/', undefined, undefined],
    ['/bucket', 'bucket', undefined],
    ['/bucket/', 'bucket', undefined],
    ['/bucket/key', 'bucket', 'key'],
    ['/bucket/a/b/c.txt', 'bucket', 'a/b/c.txt'],
    ['/bucket/../x', 'bucket', '../x'],
    ['/bucket/%2E%2E/%2E%2E/etc/passwd', 'bucket', '../../etc/passwd'],
    ['/bucket//etc/passwd', 'bucket', '/etc/passwd'],
    ['/bucket/a%00b', 'bucket', 'a\u0000b'],
    ['/bucket/a+b%20c', 'bucket', 'a+b c'],
    ['/bucket/%F0%9F%98%80?x-id=GetObject', 'bucket', '😀'],
  ])('path style %s → bucket %s, key %s', (url, bucket, key) => {
    const t = parseTarget(req(url), domains);
    expect([t.bucket, t.key]).toEqual([bucket, key]);
  });

  it.each([
    ['photos.s3.localhost:4750', '/cat.jpg', 'photos', 'cat.jpg'],
    ['photos.s3.localhost', '/', 'photos', undefined],
    ['my.dotted.bucket.objects.example.test:8080', '/a/../b', 'my.dotted.bucket', 'a/../b'],
    ['PHOTOS.S3.LOCALHOST', '/x', 'photos', 'x'],
  ])('virtual-host style %s%s → bucket %s, key %s', (host, url, bucket, key) => {
    const t = parseTarget(req(url, host), domains);
    expect([t.bucket, t.key]).toEqual([bucket, key]);
  });

  it('treats the bare domain and other hosts as path style', () => {
    expect(bucketFromHost('s3.localhost:4750', domains)).toBeUndefined();
    expect(bucketFromHost('localhost:4750', domains)).toBeUndefined();
    expect(parseTarget(req('/b/k', 's3.localhost'), domains).bucket).toBe('b');
  });

  it('refuses invalid percent-encoding with InvalidURI', () => {
    expect(() => parseTarget(req('/bucket/%E0%A4%A'), domains)).toThrow(expect.objectContaining({ code: 'InvalidURI' }));
  });

  it('knows sub-resources from other query parameters', () => {
    expect(subresourcesOf(new URLSearchParams('uploads&x-id=CreateMultipartUpload'))).toEqual(['uploads']);
    expect(subresourcesOf(new URLSearchParams('list-type=2&prefix=a'))).toEqual([]);
    expect(subresourcesOf(new URLSearchParams('partNumber=1&uploadId=abc'))).toEqual(['uploadId']);
  });
});
