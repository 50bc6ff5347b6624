import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  DescribeLogGroupsResponse,
  DescribeLogStreamsResponse,
  FilterLogEventsResponse,
  GetLogEventsResponse,
  PutLogEventsResponse,
} from '@aws-sdk/client-cloudwatch-logs';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestContext } from '../api/index.js';
import { AwsError, ManualClock } from '../core/index.js';
import { createStore, openDatabase, type Store } from '../store/index.js';
import { createLogsProvider, type LogsProvider } from './provider.js';
import { logsShapes, type LogsOperation } from './shapes.js';

const T0 = Date.UTC(2026, 0, 10);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const request: RequestContext = { requestId: 'r', region: 'us-east-1', account: '000000000000', signingService: 'logs', accessKeyId: undefined };

let dir: string;
let store: Store;
let clock: ManualClock;
let logs: LogsProvider;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-logs-api-'));
  store = createStore(openDatabase(dir));
  clock = new ManualClock(T0);
  logs = createLogsProvider({ store, clock, scope: { region: 'us-east-1', account: '000000000000' }, filterScanLimit: 5 });
});

afterEach(() => {
  store.db.close();
  rmSync(dir, { recursive: true, force: true });
});

function call<T = Record<string, unknown>>(operation: string, input: Record<string, unknown>): T {
  const handler = logs.service.operations[operation];
  if (!handler) throw new Error(`no ${operation}`);
  return handler(input, request) as T;
}

function failure(operation: string, input: Record<string, unknown>): AwsError {
  try {
    call(operation, input);
  } catch (err) {
    if (err instanceof AwsError) return err;
    throw err;
  }
  throw new Error(`${operation} did not fail`);
}

function seed(group: string, stream: string, count: number, start = T0 - HOUR): void {
  call('CreateLogGroup', { logGroupName: group });
  call('CreateLogStream', { logGroupName: group, logStreamName: stream });
  const logEvents = Array.from({ length: count }, (_, i) => ({ timestamp: start + i, message: `line ${i}` }));
  call('PutLogEvents', { logGroupName: group, logStreamName: stream, logEvents });
}

describe('GetLogEvents tokens', () => {
  it('pages forward from the head and answers the same token at the end', () => {
    seed('g', 's', 7);
    const seen: string[] = [];
    let token: string | undefined;
    for (let i = 0; i < 10; i++) {
      const r = call<GetLogEventsResponse>('GetLogEvents', { logGroupName: 'g', logStreamName: 's', startFromHead: true, limit: 3, nextToken: token });
      seen.push(...(r.events ?? []).map((e) => e.message ?? ''));
      if (r.nextForwardToken === token) break;
      token = r.nextForwardToken;
    }
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `line ${i}`));
    const end = call<GetLogEventsResponse>('GetLogEvents', { logGroupName: 'g', logStreamName: 's', nextToken: token });
    expect(end).toMatchObject({ events: [], nextForwardToken: token });
  });

  it('starts with the newest page by default and pages backward to the head', () => {
    seed('g', 's', 7);
    const first = call<GetLogEventsResponse>('GetLogEvents', { logGroupName: 'g', logStreamName: 's', limit: 3 });
    expect(first.events?.map((e) => e.message)).toEqual(['line 4', 'line 5', 'line 6']);
    const pages: string[][] = [];
    let token = first.nextBackwardToken;
    for (;;) {
      const r = call<GetLogEventsResponse>('GetLogEvents', { logGroupName: 'g', logStreamName: 's', limit: 3, nextToken: token });
      if (r.nextBackwardToken === token) break;
      pages.push((r.events ?? []).map((e) => e.message ?? ''));
      token = r.nextBackwardToken;
    }
    expect(pages).toEqual([['line 1', 'line 2', 'line 3'], ['line 0']]);
    // Forward from the newest page sees events written after it, once.
    call('PutLogEvents', { logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: T0, message: 'later' }] });
    const next = call<GetLogEventsResponse>('GetLogEvents', { logGroupName: 'g', logStreamName: 's', nextToken: first.nextForwardToken });
    expect(next.events?.map((e) => e.message)).toEqual(['later']);
  });

  it('keeps startTime (inclusive) and endTime (exclusive) on every page', () => {
    seed('g', 's', 10);
    const r = call<GetLogEventsResponse>('GetLogEvents', {
      logGroupName: 'g',
      logStreamName: 's',
      startFromHead: true,
      startTime: T0 - HOUR + 2,
      endTime: T0 - HOUR + 5,
    });
    expect(r.events?.map((e) => e.message)).toEqual(['line 2', 'line 3', 'line 4']);
    expect(r.events?.[0]).toEqual({ timestamp: T0 - HOUR + 2, message: 'line 2', ingestionTime: T0 });
  });

  it('answers tokens for an empty stream that pick up later events', () => {
    seed('g', 's', 1);
    call('CreateLogStream', { logGroupName: 'g', logStreamName: 'empty' });
    const r = call<GetLogEventsResponse>('GetLogEvents', { logGroupName: 'g', logStreamName: 'empty' });
    expect(r.events).toEqual([]);
    call('PutLogEvents', { logGroupName: 'g', logStreamName: 'empty', logEvents: [{ timestamp: T0, message: 'hi' }] });
    const next = call<GetLogEventsResponse>('GetLogEvents', { logGroupName: 'g', logStreamName: 'empty', nextToken: r.nextForwardToken });
    expect(next.events?.map((e) => e.message)).toEqual(['hi']);
  });

  it('accepts logGroupIdentifier as a name or ARN, not both forms at once', () => {
    seed('g', 's', 1);
    const arn = 'arn:aws:logs:us-east-1:000000000000:log-group:g';
    expect(call<GetLogEventsResponse>('GetLogEvents', { logGroupIdentifier: arn, logStreamName: 's' }).events).toHaveLength(1);
    expect(call<GetLogEventsResponse>('GetLogEvents', { logGroupIdentifier: 'g', logStreamName: 's' }).events).toHaveLength(1);
    expect(failure('GetLogEvents', { logGroupName: 'g', logGroupIdentifier: 'g', logStreamName: 's' }).code).toBe('InvalidParameterException');
    expect(failure('GetLogEvents', { logGroupName: 'g', logStreamName: 'nope' }).message).toMatch(/log stream does not exist/);
    expect(failure('GetLogEvents', { logGroupName: 'g', logStreamName: 's', nextToken: 'garbage' }).code).toBe('InvalidParameterException');
  });
});

describe('PutLogEvents rules', () => {
  beforeEach(() => {
    call('CreateLogGroup', { logGroupName: 'g' });
    call('CreateLogStream', { logGroupName: 'g', logStreamName: 's' });
  });
  const put = (logEvents: { timestamp: number; message: string }[]): PutLogEventsResponse =>
    call<PutLogEventsResponse>('PutLogEvents', { logGroupName: 'g', logStreamName: 's', logEvents, sequenceToken: 'ignored' });

  it('rejects too old and too new events and stores the rest', () => {
    const r = put([
      { timestamp: T0 - 15 * DAY, message: 'too old' },
      { timestamp: T0 - HOUR, message: 'ok 1' },
      { timestamp: T0 + HOUR, message: 'ok 2' },
      { timestamp: T0 + 3 * HOUR, message: 'too new' },
    ]);
    expect(r.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 1, tooNewLogEventStartIndex: 3 });
    expect(r.nextSequenceToken).toMatch(/^\d{56}$/);
    const got = call<GetLogEventsResponse>('GetLogEvents', { logGroupName: 'g', logStreamName: 's', startFromHead: true });
    expect(got.events?.map((e) => e.message)).toEqual(['ok 1', 'ok 2']);
  });

  it('rejects events older than the retention as expired', () => {
    call('PutRetentionPolicy', { logGroupName: 'g', retentionInDays: 1 });
    const r = put([{ timestamp: T0 - 2 * DAY, message: 'expired' }, { timestamp: T0, message: 'ok' }]);
    expect(r.rejectedLogEventsInfo).toEqual({ expiredLogEventEndIndex: 1 });
  });

  it.each([
    ['out of order events', [{ timestamp: T0, message: 'b' }, { timestamp: T0 - 1, message: 'a' }], /chronological order/],
    ['a span over 24 hours', [{ timestamp: T0 - 2 * DAY, message: 'a' }, { timestamp: T0, message: 'b' }], /span more than 24 hours/],
    ['an empty message', [{ timestamp: T0, message: '' }], /length greater than or equal to 1/],
    ['no events', [], /between 1 and 10000/],
    ['a batch over 1 MiB', [{ timestamp: T0, message: 'x'.repeat(1_048_576) }], /Upload too large/],
  ])('refuses %s with InvalidParameterException', (_what, events, message) => {
    expect(() => put(events)).toThrow(message);
  });
});

describe('FilterLogEvents', () => {
  it('interleaves streams, filters, and pages with a bounded scan', () => {
    call('CreateLogGroup', { logGroupName: 'g' });
    for (const s of ['a', 'b']) {
      call('CreateLogStream', { logGroupName: 'g', logStreamName: s });
      const logEvents = Array.from({ length: 6 }, (_, i) => ({ timestamp: T0 - HOUR + i * 2 + (s === 'b' ? 1 : 0), message: `${i % 2 ? 'ERROR' : 'INFO'} ${s}${i}` }));
      call('PutLogEvents', { logGroupName: 'g', logStreamName: s, logEvents });
    }
    const seen: string[] = [];
    let token: string | undefined;
    let calls = 0;
    do {
      const r = call<FilterLogEventsResponse>('FilterLogEvents', { logGroupName: 'g', filterPattern: 'ERROR', limit: 2, nextToken: token });
      seen.push(...(r.events ?? []).map((e) => `${e.logStreamName}:${e.message}`));
      token = r.nextToken;
      calls++;
    } while (token && calls < 20);
    expect(seen).toEqual(['a:ERROR a1', 'b:ERROR b1', 'a:ERROR a3', 'b:ERROR b3', 'a:ERROR a5', 'b:ERROR b5']);
    const r = call<FilterLogEventsResponse>('FilterLogEvents', { logGroupName: 'g', logStreamNames: ['b'], limit: 1 });
    expect(r.events?.[0]).toMatchObject({ logStreamName: 'b', message: 'INFO b0', ingestionTime: T0, eventId: expect.stringMatching(/^\d+$/) });
  });

  it('reads newest first with startFromHead=false', () => {
    seed('g', 's', 4);
    const r = call<FilterLogEventsResponse>('FilterLogEvents', { logGroupName: 'g', startFromHead: false, startTime: T0 - DAY, limit: 2 });
    expect(r.events?.map((e) => e.message)).toEqual(['line 3', 'line 2']);
    const next = call<FilterLogEventsResponse>('FilterLogEvents', { logGroupName: 'g', nextToken: r.nextToken, limit: 5 });
    expect(next.events?.map((e) => e.message)).toEqual(['line 1', 'line 0']);
    expect(next.nextToken).toBeUndefined();
  });

  it('refuses unsupported patterns and conflicting stream filters', () => {
    seed('g', 's', 1);
    expect(failure('FilterLogEvents', { logGroupName: 'g', filterPattern: '[a, b]' }).message).toMatch(/Space-delimited/);
    expect(failure('FilterLogEvents', { logGroupName: 'g', logStreamNames: ['s'], logStreamNamePrefix: 's' }).code).toBe('InvalidParameterException');
    expect(failure('FilterLogEvents', { logGroupName: 'nope' }).code).toBe('ResourceNotFoundException');
  });
});

describe('groups and streams', () => {
  it('lists groups by name with prefix, pattern and paging', () => {
    for (const n of ['/ecs/b', '/ecs/a', '/other', '/ecs/c']) call('CreateLogGroup', { logGroupName: n, tags: { team: 'x' } });
    const page = call<DescribeLogGroupsResponse>('DescribeLogGroups', { logGroupNamePrefix: '/ecs/', limit: 2 });
    expect(page.logGroups?.map((g) => g.logGroupName)).toEqual(['/ecs/a', '/ecs/b']);
    expect(page.logGroups?.[0]).toEqual({
      logGroupName: '/ecs/a',
      creationTime: T0,
      metricFilterCount: 0,
      arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/ecs/a:*',
      logGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/ecs/a',
      storedBytes: 0,
      logGroupClass: 'STANDARD',
    });
    const rest = call<DescribeLogGroupsResponse>('DescribeLogGroups', { logGroupNamePrefix: '/ecs/', limit: 2, nextToken: page.nextToken });
    expect(rest.logGroups?.map((g) => g.logGroupName)).toEqual(['/ecs/c']);
    expect(rest.nextToken).toBeUndefined();
    const byPattern = call<DescribeLogGroupsResponse>('DescribeLogGroups', { logGroupNamePattern: 'the' });
    expect(byPattern.logGroups).toEqual([{ logGroupName: '/other', creationTime: T0, arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/other:*' }]);
    expect(failure('DescribeLogGroups', { limit: 51 }).message).toMatch(/less than or equal to 50/);
  });

  it('orders streams by last event time, descending', () => {
    call('CreateLogGroup', { logGroupName: 'g' });
    for (const [s, t] of [['x', 3], ['y', 1], ['z', 2]] as const) {
      call('CreateLogStream', { logGroupName: 'g', logStreamName: s });
      call('PutLogEvents', { logGroupName: 'g', logStreamName: s, logEvents: [{ timestamp: T0 - t * HOUR, message: s }] });
    }
    const first = call<DescribeLogStreamsResponse>('DescribeLogStreams', { logGroupName: 'g', orderBy: 'LastEventTime', descending: true, limit: 2 });
    expect(first.logStreams?.map((s) => s.logStreamName)).toEqual(['y', 'z']);
    expect(first.logStreams?.[0]).toMatchObject({
      firstEventTimestamp: T0 - HOUR,
      lastEventTimestamp: T0 - HOUR,
      lastIngestionTime: T0,
      arn: 'arn:aws:logs:us-east-1:000000000000:log-group:g:log-stream:y',
      storedBytes: 0,
    });
    const next = call<DescribeLogStreamsResponse>('DescribeLogStreams', { logGroupName: 'g', orderBy: 'LastEventTime', descending: true, nextToken: first.nextToken });
    expect(next.logStreams?.map((s) => s.logStreamName)).toEqual(['x']);
    expect(failure('DescribeLogStreams', { logGroupName: 'g', nextToken: first.nextToken }).code).toBe('InvalidParameterException');
    expect(failure('DescribeLogStreams', { logGroupName: 'g', orderBy: 'LastEventTime', logStreamNamePrefix: 'x' }).code).toBe('InvalidParameterException');
  });

  it('answers the AWS error codes for names, duplicates, retention and missing resources', () => {
    call('CreateLogGroup', { logGroupName: 'g' });
    expect(failure('CreateLogGroup', { logGroupName: 'g' }).code).toBe('ResourceAlreadyExistsException');
    expect(failure('CreateLogGroup', { logGroupName: 'bad name' }).message).toMatch(/regular expression pattern/);
    expect(failure('CreateLogGroup', { logGroupName: 'x'.repeat(513) }).code).toBe('InvalidParameterException');
    expect(failure('CreateLogStream', { logGroupName: 'g', logStreamName: 'a:b' }).code).toBe('InvalidParameterException');
    expect(failure('PutRetentionPolicy', { logGroupName: 'g', retentionInDays: 2 }).message).toMatch(/enum value set: \[1, 3, 5/);
    expect(failure('DeleteLogGroup', { logGroupName: 'nope' }).code).toBe('ResourceNotFoundException');
    expect(failure('DeleteLogStream', { logGroupName: 'g', logStreamName: 'nope' }).code).toBe('ResourceNotFoundException');
    expect(failure('CreateLogGroup', { logGroupName: 'h', extra: 1 }).message).toMatch(/Unknown parameter 'extra'/);
  });

  it('tags by ARN and by name, and forgets tags of a deleted group', () => {
    call('CreateLogGroup', { logGroupName: 'g', tags: { a: '1' } });
    const resourceArn = 'arn:aws:logs:us-east-1:000000000000:log-group:g';
    call('TagResource', { resourceArn, tags: { b: '2' } });
    call('UntagLogGroup', { logGroupName: 'g', tags: ['a'] });
    expect(call('ListTagsForResource', { resourceArn })).toEqual({ tags: { b: '2' } });
    expect(call('ListTagsLogGroup', { logGroupName: 'g' })).toEqual({ tags: { b: '2' } });
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    expect(failure('TagResource', { resourceArn, tags: many }).code).toBe('TooManyTagsException');
    call('DeleteLogGroup', { logGroupName: 'g' });
    call('CreateLogGroup', { logGroupName: 'g' });
    expect(call('ListTagsForResource', { resourceArn })).toEqual({ tags: {} });
    expect(failure('ListTagsForResource', { resourceArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/x' }).code).toBe('InvalidParameterException');
  });

  it('sweeps by retention through the provider', () => {
    seed('g', 's', 2, T0 - 2 * HOUR);
    call('PutRetentionPolicy', { logGroupName: 'g', retentionInDays: 1 });
    clock.advance(DAY);
    expect(logs.sweep(clock.now())).toBe(2);
    call('DeleteRetentionPolicy', { logGroupName: 'g' });
    const g = call<DescribeLogGroupsResponse>('DescribeLogGroups', {}).logGroups?.[0];
    expect(g?.retentionInDays).toBeUndefined();
    expect(g?.storedBytes).toBe(0);
  });
});

describe('bad input', () => {
  it('is always answered with an AWS error, never a crash', () => {
    seed('g', 's', 3);
    const value = fc.oneof(
      fc.constantFrom('g', 's', '', 'arn:aws:logs:us-east-1:000000000000:log-group:g', 'f/0000000000000000000000000000000/s', '{ $.a = 1 }'),
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.oneof(fc.string(), fc.record({ timestamp: fc.integer(), message: fc.string() }))),
      fc.dictionary(fc.string(), fc.string()),
    );
    // Members of the operation's own shape, so most inputs get past the shape check.
    const request = fc.constantFrom(...(Object.keys(logsShapes) as LogsOperation[])).chain((operation) => {
      const shape = logsShapes[operation];
      const members = shape.kind === 'struct' ? Object.keys(shape.members) : [];
      return fc.tuple(fc.constant(operation), fc.dictionary(fc.constantFrom(...members), value));
    });
    fc.assert(
      fc.property(request, ([operation, body]) => {
        try {
          call(operation, body);
        } catch (err) {
          if (!(err instanceof AwsError)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
