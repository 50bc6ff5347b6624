import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  paginateDescribeLogStreams,
  paginateFilterLogEvents,
  paginateGetLogEvents,
  type CloudWatchLogsClient,
  type InputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, awsCliAsync } from '../helpers/aws-cli.js';
import { logsClient } from '../helpers/logs-sdk.js';
import { startSkiff, tempDataDir, type SkiffProcess } from '../helpers/skiff-process.js';

const GROUP = '/skiff/e2e';
const BIG = 12_345;
const NOW = Date.now();

let skiff: SkiffProcess;
let cleanup: () => void;
let logs: CloudWatchLogsClient;

/** `count` events a millisecond apart, ending now, with zero-padded numbered messages. */
function numbered(count: number, text = (i: number) => `line ${String(i).padStart(5, '0')}`): InputLogEvent[] {
  return Array.from({ length: count }, (_, i) => ({ timestamp: NOW - count + i, message: text(i) }));
}

async function putAll(group: string, stream: string, events: InputLogEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 10_000) {
    const out = await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events.slice(i, i + 10_000) }));
    expect(out.rejectedLogEventsInfo).toBeUndefined();
  }
}

beforeAll(async () => {
  const tmp = tempDataDir();
  cleanup = tmp.cleanup;
  skiff = await startSkiff(tmp.dir, ['--driver', 'fake']);
  logs = logsClient(skiff.endpoint);
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP, tags: { team: 'e2e' } }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'big' }));
  await putAll(GROUP, 'big', numbered(BIG));
});

afterAll(async () => {
  logs.destroy();
  await skiff.stop();
  cleanup();
});

describe('CloudWatch Logs through AWS CLI v2', () => {
  it('creates a group and stream, puts events and reads them back', async () => {
    const group = '/cli/basic';
    expect(awsCli(skiff.endpoint, ['logs', 'create-log-group', '--log-group-name', group]).status).toBe(0);
    expect(awsCli(skiff.endpoint, ['logs', 'create-log-stream', '--log-group-name', group, '--log-stream-name', 'app/1']).status).toBe(0);
    const events = JSON.stringify([
      { timestamp: NOW - 2, message: 'hello' },
      { timestamp: NOW - 1, message: 'world' },
    ]);
    const put = awsCli(skiff.endpoint, ['logs', 'put-log-events', '--log-group-name', group, '--log-stream-name', 'app/1', '--log-events', events]);
    expect(put.status, put.stderr).toBe(0);
    const got = awsCli(skiff.endpoint, ['logs', 'get-log-events', '--log-group-name', group, '--log-stream-name', 'app/1']);
    expect(got.json).toMatchObject({
      events: [
        { timestamp: NOW - 2, message: 'hello', ingestionTime: expect.any(Number) },
        { timestamp: NOW - 1, message: 'world' },
      ],
      nextForwardToken: expect.stringMatching(/^f\//),
      nextBackwardToken: expect.stringMatching(/^b\//),
    });
    const tail = await awsCliAsync(skiff.endpoint, ['logs', 'tail', group, '--since', '1h']);
    expect(tail.status, tail.stderr).toBe(0);
    expect(tail.stdout).toMatch(/app\/1 hello\n.*app\/1 world\n/);
  });

  it(`pages get-log-events with --next-token over ${BIG} events, each exactly once, and stops on the repeated token`, async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let calls = 0;
    for (; calls < 10; calls++) {
      const args = ['logs', 'get-log-events', '--log-group-name', GROUP, '--log-stream-name', 'big', '--start-from-head'];
      const r = await awsCliAsync(skiff.endpoint, token ? [...args, '--next-token', token] : args);
      expect(r.status, r.stderr).toBe(0);
      const page = r.json as { events: { message: string }[]; nextForwardToken: string };
      seen.push(...page.events.map((e) => e.message));
      if (page.nextForwardToken === token) break;
      token = page.nextForwardToken;
    }
    expect(calls).toBe(2); // 10,000 + 2,345, then the end (same token, no events)
    expect(seen).toEqual(numbered(BIG).map((e) => e.message));
  });

  it('auto-paginates filter-log-events over every page and filters by pattern', async () => {
    const all = await awsCliAsync(skiff.endpoint, ['logs', 'filter-log-events', '--log-group-name', GROUP, '--log-stream-names', 'big']);
    expect(all.status, all.stderr).toBe(0);
    const events = (all.json as { events: { eventId: string; message: string; logStreamName: string }[] }).events;
    expect(events).toHaveLength(BIG);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(BIG);
    expect(events.map((e) => e.message)).toEqual(numbered(BIG).map((e) => e.message));
    const some = await awsCliAsync(skiff.endpoint, ['logs', 'filter-log-events', '--log-group-name', GROUP, '--filter-pattern', '"line 0000" -"line 00000"']);
    expect((some.json as { events: { message: string }[] }).events.map((e) => e.message)).toEqual(
      Array.from({ length: 9 }, (_, i) => `line 0000${i + 1}`),
    );
  });

  it('sets and removes the retention policy, refusing values AWS refuses', () => {
    const group = '/cli/retention';
    awsCli(skiff.endpoint, ['logs', 'create-log-group', '--log-group-name', group]);
    expect(awsCli(skiff.endpoint, ['logs', 'put-retention-policy', '--log-group-name', group, '--retention-in-days', '7']).status).toBe(0);
    const described = awsCli(skiff.endpoint, ['logs', 'describe-log-groups', '--log-group-name-prefix', group]);
    // CLI 2.9's model predates logGroupArn and logGroupClass and drops them; the SDK test below sees them.
    expect(described.json).toMatchObject({
      logGroups: [
        {
          logGroupName: group,
          retentionInDays: 7,
          arn: `arn:aws:logs:us-east-1:000000000000:log-group:${group}:*`,
          metricFilterCount: 0,
          storedBytes: 0,
        },
      ],
    });
    const bad = awsCli(skiff.endpoint, ['logs', 'put-retention-policy', '--log-group-name', group, '--retention-in-days', '2']);
    expect(bad.stderr).toContain('(InvalidParameterException)');
    awsCli(skiff.endpoint, ['logs', 'delete-retention-policy', '--log-group-name', group]);
    const after = awsCli(skiff.endpoint, ['logs', 'describe-log-groups', '--log-group-name-prefix', group]);
    expect((after.json as { logGroups: object[] }).logGroups[0]).not.toHaveProperty('retentionInDays');
  });

  it('deletes streams and groups and names the missing resource in errors', () => {
    const group = '/cli/delete';
    awsCli(skiff.endpoint, ['logs', 'create-log-group', '--log-group-name', group]);
    awsCli(skiff.endpoint, ['logs', 'create-log-stream', '--log-group-name', group, '--log-stream-name', 's']);
    expect(awsCli(skiff.endpoint, ['logs', 'create-log-group', '--log-group-name', group]).stderr).toContain('(ResourceAlreadyExistsException)');
    expect(awsCli(skiff.endpoint, ['logs', 'delete-log-stream', '--log-group-name', group, '--log-stream-name', 's']).status).toBe(0);
    const gone = awsCli(skiff.endpoint, ['logs', 'get-log-events', '--log-group-name', group, '--log-stream-name', 's']);
    expect(gone.status).not.toBe(0);
    expect(gone.stderr).toContain('(ResourceNotFoundException)');
    expect(awsCli(skiff.endpoint, ['logs', 'delete-log-group', '--log-group-name', group]).status).toBe(0);
    const again = awsCli(skiff.endpoint, ['logs', 'delete-log-group', '--log-group-name', group]);
    expect(again.stderr).toContain('(ResourceNotFoundException)');
    expect(again.stderr).toContain('The specified log group does not exist.');
  });

  it('tags a log group by ARN', () => {
    const arn = `arn:aws:logs:us-east-1:000000000000:log-group:${GROUP}`;
    expect(awsCli(skiff.endpoint, ['logs', 'tag-resource', '--resource-arn', arn, '--tags', 'env=test']).status).toBe(0);
    expect(awsCli(skiff.endpoint, ['logs', 'list-tags-for-resource', '--resource-arn', arn]).json).toEqual({ tags: { team: 'e2e', env: 'test' } });
  });
});

describe('CloudWatch Logs through AWS SDK v3', () => {
  it('paginateGetLogEvents (stopOnSameToken) returns every event once, in order', async () => {
    const seen: string[] = [];
    let pages = 0;
    const paginator = paginateGetLogEvents(
      { client: logs, pageSize: 5_000, stopOnSameToken: true },
      { logGroupName: GROUP, logStreamName: 'big', startFromHead: true },
    );
    for await (const page of paginator) {
      seen.push(...(page.events ?? []).map((e) => e.message ?? ''));
      if (++pages > 10) throw new Error('paginateGetLogEvents did not stop');
    }
    expect(pages).toBe(4); // 5,000 + 5,000 + 2,345 + the empty page repeating the token
    expect(seen).toEqual(numbered(BIG).map((e) => e.message));
  });

  it('paginateFilterLogEvents applies JSON patterns across streams', async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'json/a' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'json/b' }));
    const doc = (i: number): string => JSON.stringify({ level: i % 3 === 0 ? 'error' : 'info', latency: i * 10 });
    await putAll(GROUP, 'json/a', numbered(30, doc));
    await putAll(GROUP, 'json/b', numbered(30, (i) => doc(i + 1)));
    const found: string[] = [];
    const paginator = paginateFilterLogEvents(
      { client: logs, pageSize: 4 },
      { logGroupName: GROUP, logStreamNamePrefix: 'json/', filterPattern: '{ $.level = "error" && $.latency >= 200 }' },
    );
    for await (const page of paginator) found.push(...(page.events ?? []).map((e) => `${e.logStreamName} ${e.message}`));
    expect(found).toHaveLength(7);
    expect(found.every((f) => f.includes('"level":"error"'))).toBe(true);
  });

  it('paginateDescribeLogStreams lists every stream once', async () => {
    const group = '/sdk/streams';
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    for (let i = 0; i < 5; i++) await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: `s${i}` }));
    const names: string[] = [];
    for await (const page of paginateDescribeLogStreams({ client: logs, pageSize: 2 }, { logGroupName: group })) {
      names.push(...(page.logStreams ?? []).map((s) => s.logStreamName ?? ''));
    }
    expect(names).toEqual(['s0', 's1', 's2', 's3', 's4']);
  });

  it('raises the modelled exceptions', async () => {
    await expect(logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }))).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    await expect(logs.send(new GetLogEventsCommand({ logGroupName: '/nope', logStreamName: 's' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});

describe('after a restart', () => {
  it('keeps groups, streams and events', async () => {
    const before = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'big', limit: 3 }));
    logs.destroy();
    await skiff.stop();
    skiff = await startSkiff(skiff.dataDir, ['--driver', 'fake']);
    logs = logsClient(skiff.endpoint);
    const after = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'big', limit: 3 }));
    expect(after.events).toEqual(before.events);
    expect(after.nextForwardToken).toBe(before.nextForwardToken);
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: GROUP }));
    expect(groups.logGroups?.[0]).toMatchObject({
      logGroupName: GROUP,
      logGroupArn: `arn:aws:logs:us-east-1:000000000000:log-group:${GROUP}`,
      logGroupClass: 'STANDARD',
      storedBytes: expect.any(Number),
    });
    expect(groups.logGroups?.[0]?.storedBytes).toBeGreaterThan(BIG * 10);
  });
});
