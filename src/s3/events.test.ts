import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand,
  DeleteObjectsCommand, GetBucketNotificationConfigurationCommand, GetObjectCommand, ListObjectsV2Command, PutBucketNotificationConfigurationCommand,
  PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Harness, clientConfig } from './harness.test-support.js';
import type { ObjectEvent } from './model.js';

let h: S3Harness;
let s3: S3Client;
const heard: ObjectEvent[] = [];

beforeAll(async () => {
  h = await new S3Harness().start();
  s3 = new S3Client(clientConfig(h.endpoint));
  h.s3.onObjectEvent((e) => heard.push(e));
  await s3.send(new CreateBucketCommand({ Bucket: 'quiet' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'loud' }));
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'loud', NotificationConfiguration: { EventBridgeConfiguration: {} } }));
});
afterAll(async () => {
  s3.destroy();
  await h.dispose();
});

describe('object events', () => {
  it('keep the notification configuration as put', async () => {
    const loud = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'loud' }));
    expect(loud.EventBridgeConfiguration).toEqual({});
    const quiet = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'quiet' }));
    expect(quiet.EventBridgeConfiguration).toBeUndefined();
    const bad = await h.raw('PUT', '/loud?notification', { body: '<NotificationConfiguration><Nonsense/></NotificationConfiguration>' });
    expect(bad.text).toContain('MalformedXML');
  });

  it('come only from buckets that send to EventBridge, for every kind of change', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'quiet', Key: 'k', Body: 'x' }));
    expect(heard).toEqual([]);
    await s3.send(new PutObjectCommand({ Bucket: 'loud', Key: 'a', Body: 'hello' }));
    await s3.send(new CopyObjectCommand({ Bucket: 'loud', Key: 'b', CopySource: 'loud/a' }));
    const id = (await s3.send(new CreateMultipartUploadCommand({ Bucket: 'loud', Key: 'c' }))).UploadId!;
    const etag = (await s3.send(new UploadPartCommand({ Bucket: 'loud', Key: 'c', UploadId: id, PartNumber: 1, Body: 'part' }))).ETag!;
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'loud', Key: 'c', UploadId: id, MultipartUpload: { Parts: [{ ETag: etag, PartNumber: 1 }] } }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'loud', Key: 'a' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'loud', Key: 'never-there' }));
    await s3.send(new DeleteObjectsCommand({ Bucket: 'loud', Delete: { Objects: [{ Key: 'b' }, { Key: 'c' }] } }));
    expect(heard.map((e) => [e.type, e.key, e.reason])).toEqual([
      ['Object Created', 'a', 'PutObject'],
      ['Object Created', 'b', 'CopyObject'],
      ['Object Created', 'c', 'CompleteMultipartUpload'],
      ['Object Deleted', 'a', 'DeleteObject'],
      ['Object Deleted', 'b', 'DeleteObjects'],
      ['Object Deleted', 'c', 'DeleteObjects'],
    ]);
    expect(heard[0]).toEqual({
      type: 'Object Created', bucket: 'loud', key: 'a', size: 5, etag: '5d41402abc4b2a76b9719d911017c592',
      sequencer: expect.stringMatching(/^[0-9A-F]{16}$/), reason: 'PutObject', time: h.clock.now().toISOString(),
    });
    const sequencers = heard.map((e) => e.sequencer);
    expect([...sequencers].sort()).toEqual(sequencers);
  });

  it('wait in the outbox until acknowledged, and survive a restart', async () => {
    const pending = h.s3.takeOutbox(100);
    expect(pending.map((p) => p.event)).toEqual(heard);
    h.s3.ackOutbox(pending.slice(0, 2).map((p) => p.id));
    expect(h.s3.takeOutbox(100).map((p) => p.id)).toEqual(pending.slice(2).map((p) => p.id));
    await h.stop();
    await h.start();
    s3.destroy();
    s3 = new S3Client(clientConfig(h.endpoint));
    expect(h.s3.takeOutbox(2).map((p) => p.event)).toEqual(heard.slice(2, 4));
    // sequencers keep growing after acknowledged events are gone
    await s3.send(new PutObjectCommand({ Bucket: 'loud', Key: 'again', Body: 'x' }));
    const last = h.s3.takeOutbox(100).at(-1)!;
    expect(last.event.key).toBe('again');
    expect(last.event.sequencer > heard.at(-1)!.sequencer).toBe(true);
  });
});

describe('recovery at start', () => {
  it('sweeps temp files and unreferenced blobs, and keeps every committed object', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'quiet', Key: 'kept', Body: 'committed' }));
    await h.stop();
    // what a crash can leave: a temp file mid-write, and a blob renamed into place whose commit never happened
    const root = path.join(h.dir, 's3');
    writeFileSync(path.join(root, 'tmp', '0123456789abcdef0123456789abcdef'), 'half an upload');
    mkdirSync(path.join(root, 'blobs', 'ff'), { recursive: true });
    const orphan = path.join(root, 'blobs', 'ff', 'ff000000000000000000000000000000');
    writeFileSync(orphan, 'never committed');
    await h.start();
    s3.destroy();
    s3 = new S3Client(clientConfig(h.endpoint));
    expect(readdirSync(path.join(root, 'tmp'))).toEqual([]);
    expect(existsSync(orphan)).toBe(false);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'quiet', Key: 'kept' }));
    expect(await got.Body?.transformToString()).toBe('committed');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'quiet' }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(['k', 'kept']);
  });
});
