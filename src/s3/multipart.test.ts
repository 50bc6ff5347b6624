import { createHash, randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand,
  ListMultipartUploadsCommand, ListPartsCommand, NoSuchUpload, PutObjectCommand, S3Client, UploadPartCommand, UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Harness, clientConfig } from './harness.test-support.js';

let h: S3Harness;
let s3: S3Client;
const MiB = 1024 * 1024;
const md5 = (b: Buffer): Buffer => createHash('md5').update(b).digest();

beforeAll(async () => {
  h = await new S3Harness().start();
  s3 = new S3Client(clientConfig(h.endpoint));
  await s3.send(new CreateBucketCommand({ Bucket: 'mpu' }));
});
afterAll(async () => {
  s3.destroy();
  await h.dispose();
});

async function begin(key: string): Promise<string> {
  const r = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'mpu', Key: key, ContentType: 'application/x-parts', Metadata: { m: 'v' } }));
  return r.UploadId!;
}

async function part(key: string, uploadId: string, n: number, body: Buffer): Promise<string> {
  return (await s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: key, UploadId: uploadId, PartNumber: n, Body: body }))).ETag!;
}

describe('multipart uploads', () => {
  it('assemble parts into one object with the "<md5 of md5s>-N" ETag and the upload metadata', async () => {
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(1234)];
    const id = await begin('big');
    // parts may arrive out of order and be re-sent; the last one sent under a number wins
    const etags: string[] = [];
    etags[2] = await part('big', id, 3, parts[2]!);
    etags[0] = await part('big', id, 1, randomBytes(5 * MiB));
    etags[0] = await part('big', id, 1, parts[0]!);
    etags[1] = await part('big', id, 2, parts[1]!);
    const listed = await s3.send(new ListPartsCommand({ Bucket: 'mpu', Key: 'big', UploadId: id, MaxParts: 2 }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([[1, 5 * MiB], [2, 5 * MiB]]);
    expect([listed.IsTruncated, listed.NextPartNumberMarker]).toEqual([true, '2']);
    const done = await s3.send(new CompleteMultipartUploadCommand({
      Bucket: 'mpu', Key: 'big', UploadId: id, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
    }));
    const expected = `"${createHash('md5').update(Buffer.concat(parts.map(md5))).digest('hex')}-3"`;
    expect(done.ETag).toBe(expected);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'mpu', Key: 'big' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(parts))).toBe(true);
    expect(got).toMatchObject({ ETag: expected, ContentType: 'application/x-parts', Metadata: { m: 'v' } });
    // a range across the part boundary, and one part by number
    const across = await s3.send(new GetObjectCommand({ Bucket: 'mpu', Key: 'big', Range: `bytes=${5 * MiB - 2}-${5 * MiB + 1}` }));
    expect(Buffer.from(await across.Body!.transformToByteArray())).toEqual(Buffer.concat(parts).subarray(5 * MiB - 2, 5 * MiB + 2));
    const third = await s3.send(new GetObjectCommand({ Bucket: 'mpu', Key: 'big', PartNumber: 3 }));
    expect([third.ContentLength, third.PartsCount]).toEqual([1234, 3]);
    await expect(s3.send(new ListPartsCommand({ Bucket: 'mpu', Key: 'big', UploadId: id }))).rejects.toBeInstanceOf(NoSuchUpload);
  });

  it('refuse small non-last parts, unknown parts, wrong ETags and parts out of order', async () => {
    const id = await begin('bad');
    const e1 = await part('bad', id, 1, Buffer.from('small'));
    const e2 = await part('bad', id, 2, Buffer.from('tail'));
    const complete = (parts: { ETag: string; PartNumber: number }[]): Promise<unknown> =>
      s3.send(new CompleteMultipartUploadCommand({ Bucket: 'mpu', Key: 'bad', UploadId: id, MultipartUpload: { Parts: parts } }));
    await expect(complete([{ ETag: e1, PartNumber: 1 }, { ETag: e2, PartNumber: 2 }])).rejects.toMatchObject({ name: 'EntityTooSmall' });
    await expect(complete([{ ETag: e1, PartNumber: 1 }, { ETag: e2, PartNumber: 7 }])).rejects.toMatchObject({ name: 'InvalidPart' });
    await expect(complete([{ ETag: '"0000"', PartNumber: 1 }])).rejects.toMatchObject({ name: 'InvalidPart' });
    await expect(complete([{ ETag: e2, PartNumber: 2 }, { ETag: e1, PartNumber: 1 }])).rejects.toMatchObject({ name: 'InvalidPartOrder' });
    const empty = await h.raw('POST', `/mpu/bad?uploadId=${id}`, { body: '<CompleteMultipartUpload></CompleteMultipartUpload>' });
    expect(empty.text).toContain('MalformedXML');
    // a single small part is a valid (last) part
    const one = await complete([{ ETag: e1, PartNumber: 1 }]);
    expect(one).toMatchObject({ ETag: `"${createHash('md5').update(md5(Buffer.from('small'))).digest('hex')}-1"` });
  });

  it('abort, list uploads, and answer NoSuchUpload for unknown ids', async () => {
    const a = await begin('dir/one');
    const b = await begin('dir/two');
    await begin('other');
    const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu', Prefix: 'dir/' }));
    expect(listed.Uploads?.map((u) => u.Key).sort()).toEqual(['dir/one', 'dir/two']);
    const rolled = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu', Delimiter: '/' }));
    expect(rolled.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['dir/']);
    expect(rolled.Uploads?.map((u) => u.Key)).toEqual(['other']);
    await part('dir/one', a, 1, Buffer.from('x'));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'mpu', Key: 'dir/one', UploadId: a }));
    await expect(part('dir/one', a, 2, Buffer.from('y'))).rejects.toBeInstanceOf(NoSuchUpload);
    await expect(s3.send(new AbortMultipartUploadCommand({ Bucket: 'mpu', Key: 'dir/one', UploadId: a }))).rejects.toBeInstanceOf(NoSuchUpload);
    await expect(part('dir/two', b, 0, Buffer.from('y'))).rejects.toMatchObject({ name: 'InvalidArgument' });
    await expect(part('wrong-key', b, 1, Buffer.from('y'))).rejects.toBeInstanceOf(NoSuchUpload);
  });

  it('copy parts from existing objects, by range', async () => {
    const source = randomBytes(6 * MiB);
    await s3.send(new PutObjectCommand({ Bucket: 'mpu', Key: 'source', Body: source }));
    const id = await begin('copied');
    const p1 = await s3.send(new UploadPartCopyCommand({ Bucket: 'mpu', Key: 'copied', UploadId: id, PartNumber: 1, CopySource: 'mpu/source', CopySourceRange: `bytes=0-${5 * MiB - 1}` }));
    const p2 = await s3.send(new UploadPartCopyCommand({ Bucket: 'mpu', Key: 'copied', UploadId: id, PartNumber: 2, CopySource: 'mpu/source', CopySourceRange: `bytes=${5 * MiB}-${6 * MiB - 1}` }));
    await s3.send(new CompleteMultipartUploadCommand({
      Bucket: 'mpu', Key: 'copied', UploadId: id,
      MultipartUpload: { Parts: [{ ETag: p1.CopyPartResult!.ETag!, PartNumber: 1 }, { ETag: p2.CopyPartResult!.ETag!, PartNumber: 2 }] },
    }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'mpu', Key: 'copied' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(source)).toBe(true);
  });
});
