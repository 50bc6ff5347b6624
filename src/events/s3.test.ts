import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { s3Envelope, type S3EventSource, type S3ObjectEvent, type S3OutboxEntry } from './s3.js';
import { ecsTarget, harness, SCOPE, type Harness } from './test-support.js';

/** An S3 store's outbox as the bridge sees it: entries stay until acknowledged. */
class FakeOutbox implements S3EventSource {
  entries: S3OutboxEntry[] = [];
  listener: ((e: S3ObjectEvent) => void) | undefined;
  ackFails = false;
  private n = 0;

  onObjectEvent(listener: (e: S3ObjectEvent) => void): void {
    this.listener = listener;
  }
  takeOutbox(limit: number): S3OutboxEntry[] {
    return this.entries.slice(0, limit);
  }
  ackOutbox(ids: readonly (string | number)[]): void {
    if (this.ackFails) throw new Error('crash before the ack');
    this.entries = this.entries.filter((e) => !ids.includes(e.id));
  }
  write(key: string, type: S3ObjectEvent['type'] = 'Object Created'): void {
    const event: S3ObjectEvent = { type, bucket: 'uploads-bucket', key, size: 5, etag: '"b1946ac92492d2347c6235b4d2611184"', sequencer: `0000${++this.n}`, reason: type === 'Object Created' ? 'PutObject' : 'DeleteObject', time: '2026-01-01T12:00:00.000Z' };
    this.entries.push({ id: this.n, event });
    this.listener?.(event);
  }
}

const RULE = { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: ['uploads-bucket'] }, object: { key: [{ prefix: 'uploads/' }] } } };

describe('S3 events in EventBridge format', () => {
  it('builds the documented Object Created and Object Deleted events', () => {
    const created = s3Envelope({ type: 'Object Created', bucket: 'b', key: 'k', size: 5, etag: '"abc"', sequencer: '617f08299329d189', versionId: 'v1', reason: 'PutObject', time: '2021-11-12T00:00:00.000Z' }, SCOPE, 'id-1');
    expect(created).toEqual({
      version: '0',
      id: 'id-1',
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '000000000000',
      time: '2021-11-12T00:00:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:s3:::b'],
      detail: {
        version: '0',
        bucket: { name: 'b' },
        object: { key: 'k', size: 5, etag: 'abc', 'version-id': 'v1', sequencer: '617f08299329d189' },
        'request-id': expect.any(String),
        requester: '000000000000',
        'source-ip-address': '127.0.0.1',
        reason: 'PutObject',
      },
    });
    const deleted = s3Envelope({ type: 'Object Deleted', bucket: 'b', key: 'k', sequencer: '1', reason: 'DeleteObject', time: 0 }, SCOPE, 'id-2');
    expect(deleted.detail).toEqual(expect.objectContaining({ object: { key: 'k', sequencer: '1' }, 'deletion-type': 'Permanently Deleted', reason: 'DeleteObject' }));
  });
});

describe('the S3 bridge', () => {
  let h: Harness;
  let outbox: FakeOutbox;
  beforeEach(() => {
    h = harness();
    outbox = new FakeOutbox();
    h.call('PutRule', { Name: 'on-upload', EventPattern: JSON.stringify(RULE) });
    h.call('PutTargets', {
      Rule: 'on-upload',
      Targets: [ecsTarget({ InputTransformer: { InputPathsMap: { key: '$.detail.object.key' }, InputTemplate: '{"containerOverrides":[{"name":"worker","environment":[{"name":"S3_KEY","value":<key>}]}]}' } })],
    });
    h.events.connect({ s3: outbox });
  });
  afterEach(() => h.close());

  it('runs a task for an upload under the prefix, not for other keys', async () => {
    outbox.write('uploads/report.csv');
    outbox.write('elsewhere/report.csv');
    await h.events.drainS3();
    expect(outbox.entries).toEqual([]);
    await h.events.runDueDeliveries();
    expect(h.ecs.calls.map((c) => c.overrides?.containerOverrides?.[0]?.environment?.[0]?.value)).toEqual(['uploads/report.csv']);
  });

  it('publishes an entry once when S3 did not hear the acknowledgement', async () => {
    outbox.write('uploads/a.csv');
    outbox.ackFails = true;
    await h.events.drainS3();
    expect(outbox.entries).toHaveLength(1); // still in the outbox: S3 will hand it over again
    outbox.ackFails = false;
    await h.events.drainS3();
    expect(outbox.entries).toEqual([]);
    await h.events.runDueDeliveries();
    expect(h.ecs.calls).toHaveLength(1);
  });
});
