import type {
  CreateLogStreamRequest,
  DeleteLogStreamRequest,
  DescribeLogStreamsRequest,
  DescribeLogStreamsResponse,
  LogStream,
} from '@aws-sdk/client-cloudwatch-logs';
import { decodeToken, encodeToken } from '../core/index.js';
import { nowMs, type LogsContext } from './context.js';
import { LogsErrors, constraintViolation, invalidParameter, logsError, streamNotFound } from './errors.js';
import type { LogGroups } from './groups.js';
import { checkLimit, checkStreamName, groupNameOf, streamArn } from './names.js';
import type { GroupRow, StreamQuery, StreamRow } from './store.js';

type Empty = Record<string, never>;
const ORDERS = ['LogStreamName', 'LastEventTime'] as const;

/** CreateLogStream, DescribeLogStreams and DeleteLogStream. */
export class LogStreams {
  constructor(
    private readonly ctx: LogsContext,
    private readonly groups: LogGroups,
  ) {}

  /** The stream of that name in the group, else ResourceNotFoundException. */
  require(group: GroupRow, name: string): StreamRow {
    const s = this.ctx.logs.getStream(group.id, name);
    if (!s) throw streamNotFound();
    return s;
  }

  create(req: CreateLogStreamRequest): Empty {
    const name = checkStreamName(req.logStreamName ?? '');
    const group = this.groups.require(req.logGroupName ?? '');
    if (!this.ctx.logs.createStream(group.id, name, nowMs(this.ctx))) {
      throw logsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
    }
    return {};
  }

  describe(req: DescribeLogStreamsRequest): DescribeLogStreamsResponse {
    const group = this.groups.require(groupNameOf(this.ctx.scope, req));
    const orderBy = req.orderBy ?? 'LogStreamName';
    if (!(ORDERS as readonly string[]).includes(orderBy)) {
      throw constraintViolation('orderBy', orderBy, `satisfy enum value set: [${ORDERS.join(', ')}]`);
    }
    if (orderBy === 'LastEventTime' && req.logStreamNamePrefix !== undefined) {
      throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
    }
    const limit = checkLimit(req.limit, 50);
    const query: StreamQuery = {
      orderBy: orderBy as StreamQuery['orderBy'],
      descending: req.descending ?? false,
      prefix: req.logStreamNamePrefix,
      after: req.nextToken ? parseStreamsToken(req.nextToken, orderBy, req.descending ?? false) : undefined,
      limit: limit + 1,
    };
    const rows = this.ctx.logs.listStreams(group.id, query);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      logStreams: page.map((s) => this.view(group, s)),
      nextToken: rows.length > limit && last ? streamsToken(query, last) : undefined,
    };
  }

  delete(req: DeleteLogStreamRequest): Empty {
    const group = this.groups.require(req.logGroupName ?? '');
    this.ctx.logs.deleteStream(this.require(group, req.logStreamName ?? ''));
    return {};
  }

  /** AWS reports storedBytes 0 for every stream since 2019; the group carries the total. */
  private view(group: GroupRow, s: StreamRow): LogStream {
    return {
      logStreamName: s.name,
      creationTime: s.creationTime,
      firstEventTimestamp: s.firstEventTimestamp ?? undefined,
      lastEventTimestamp: s.lastEventTimestamp ?? undefined,
      lastIngestionTime: s.lastIngestionTime ?? undefined,
      uploadSequenceToken: s.uploadSequenceToken ?? undefined,
      arn: streamArn(this.ctx.scope, group.name, s.name),
      storedBytes: 0,
    };
  }
}

/** The token carries the ordering it was made for, so a changed request cannot misuse it. */
function streamsToken(q: StreamQuery, last: StreamRow): string {
  return encodeToken(JSON.stringify({ o: q.orderBy, d: q.descending, t: last.lastEventTimestamp ?? 0, n: last.name }));
}

function parseStreamsToken(token: string, orderBy: string, descending: boolean): { lastEvent: number; name: string } {
  const key = decodeToken(token, LogsErrors.InvalidParameterException);
  let parsed: unknown;
  try {
    parsed = JSON.parse(key);
  } catch {
    parsed = undefined;
  }
  const p = parsed as { o?: unknown; d?: unknown; t?: unknown; n?: unknown } | undefined;
  if (!p || p.o !== orderBy || p.d !== descending || typeof p.t !== 'number' || typeof p.n !== 'string') {
    throw invalidParameter('Invalid nextToken: pass the nextToken of a previous response with the same orderBy and descending.');
  }
  return { lastEvent: p.t, name: p.n };
}
