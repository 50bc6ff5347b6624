import { describe, expect, it } from 'vitest';
import { bucketListing, bucketRow } from './buckets.js';

const CREATED = new Date(Date.UTC(2025, 2, 4, 5, 6, 7));

describe('bucketRow', () => {
  it('shows creation time, object count, size and EventBridge delivery', () => {
    expect(bucketRow({ name: 'photos', created: CREATED, objects: 3, bytes: 2048, truncated: false, eventBridge: true })).toEqual([
      'photos',
      '2025-03-04T05:06:07Z',
      '3',
      '2.0 KiB',
      'on',
    ]);
  });

  it('marks counts past one page as lower bounds', () => {
    expect(bucketRow({ name: 'big', created: CREATED, objects: 1000, bytes: 500, truncated: true, eventBridge: false })).toEqual([
      'big',
      '2025-03-04T05:06:07Z',
      '1000+',
      '≥ 500 B',
      'off',
    ]);
  });
});

describe('bucketListing', () => {
  it('prints where, EventBridge delivery, the objects and their total', () => {
    const text = bucketListing('photos', 'cats/', true, [
      { Key: 'cats/a.jpg', Size: 12, LastModified: CREATED },
      { Key: 'cats/bigger.jpg', Size: 4096, LastModified: CREATED },
    ]);
    expect(text).toBe(
      [
        's3://photos/cats/  EventBridge delivery: on',
        'KEY              SIZE     LAST MODIFIED',
        'cats/a.jpg       12 B     2025-03-04T05:06:07Z',
        'cats/bigger.jpg  4.0 KiB  2025-03-04T05:06:07Z',
        '2 objects, 4.0 KiB',
        '',
      ].join('\n'),
    );
  });

  it('says so when there are no objects', () => {
    expect(bucketListing('empty', undefined, false, [])).toBe('s3://empty/  EventBridge delivery: off\nKEY  SIZE  LAST MODIFIED\n0 objects, 0 B\n');
  });
});
