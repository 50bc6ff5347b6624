import type {
  FilteredLogEvent,
  FilterLogEventsRequest,
  FilterLogEventsResponse,
  GetLogEventsRequest,
  GetLogEventsResponse,
  OutputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import type { LogsContext } from './context.js';
import { constraintViolation, invalidParameter } from './errors.js';
import { FilterPatternError, compileFilterPattern, type Matcher } from './filter-pattern.js';
import type { LogGroups } from './groups.js';
import { checkLimit, groupNameOf } from './names.js';
import type { EventRange, EventRow, StreamSelector } from './store.js';
import type { LogStreams } from './streams.js';
import {
  MAX_SEQ,
  MAX_TIMESTAMP,
  cutBefore,
  eventIdOf,
  filterToken,
  parseFilterToken,
  parseStreamToken,
  streamToken,
  type Cut,
  type Direction,
} from './tokens.js';

/** A response carries at most 1 MiB of events, counting 26 bytes of overhead each. */
const MAX_RESPONSE_BYTES = 1_048_576;
const MAX_EVENTS = 10_000;
/** FilterLogEvents' startFromHead=false works only from this startTime on (AWS's rule). */
const BACKWARD_FILTER_EPOCH = Date.UTC(2024, 0, 1);

/** GetLogEvents (one stream, f/ and b/ tokens) and FilterLogEvents (a group, with patterns). */
export class LogReader {
  constructor(
    private readonly ctx: LogsContext,
    private readonly groups: LogGroups,
    private readonly streams: LogStreams,
  ) {}

  getLogEvents(req: GetLogEventsRequest): GetLogEventsResponse {
    const group = this.groups.require(groupNameOf(this.ctx.scope, req));
    const stream = this.streams.require(group, req.logStreamName ?? '');
    const limit = checkLimit(req.limit, MAX_EVENTS);
    const from = checkTime('startTime', req.startTime) ?? 0;
    const end = checkTime('endTime', req.endTime);
    const toExclusive = end ?? MAX_TIMESTAMP + 1;
    const given = req.nextToken !== undefined ? parseStreamToken(req.nextToken) : undefined;
    const direction: Direction = given?.direction ?? (req.startFromHead ? 'forward' : 'backward');
    const start: Cut = { timestamp: from, seq: 0 };
    const cut = given?.cut ?? (direction === 'forward' ? start : { timestamp: Math.max(0, toExclusive - 1), seq: MAX_SEQ });
    const rows = takePage(this.ctx.logs.readStream(stream.id, { direction, cut, from, toExclusive }), limit);
    if (direction === 'backward') rows.reverse();
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (!first || !last) {
      // Nothing more this way: the same token again, which is what ends a paginator.
      const at = given?.cut ?? start;
      return {
        events: [],
        nextForwardToken: given?.direction === 'forward' ? req.nextToken : streamToken('forward', at),
        nextBackwardToken: given?.direction === 'backward' ? req.nextToken : streamToken('backward', at),
      };
    }
    return {
      events: rows.map((r): OutputLogEvent => ({ timestamp: r.timestamp, message: r.message, ingestionTime: r.ingestionTime })),
      nextForwardToken: streamToken('forward', { timestamp: last.timestamp, seq: last.seq }),
      nextBackwardToken: streamToken('backward', cutBefore(first.timestamp, first.seq)),
    };
  }

  filterLogEvents(req: FilterLogEventsRequest): FilterLogEventsResponse {
    const group = this.groups.require(groupNameOf(this.ctx.scope, req));
    const limit = checkLimit(req.limit, MAX_EVENTS);
    const from = checkTime('startTime', req.startTime) ?? 0;
    const end = checkTime('endTime', req.endTime);
    // endTime is inclusive here, unlike GetLogEvents.
    const toExclusive = end === undefined ? MAX_TIMESTAMP + 1 : end + 1;
    const matches = compilePattern(req.filterPattern);
    const given = req.nextToken !== undefined ? parseFilterToken(req.nextToken) : undefined;
    const direction: Direction = given?.direction ?? (req.startFromHead === false ? 'backward' : 'forward');
    if (!given && direction === 'backward' && from < BACKWARD_FILTER_EPOCH) {
      throw invalidParameter('startFromHead=false needs a startTime on or after 2024-01-01T00:00:00Z (1704067200000).');
    }
    const cut = given?.cut ?? (direction === 'forward' ? { timestamp: from, seq: 0 } : { timestamp: Math.max(0, toExclusive - 1), seq: MAX_SEQ });
    const range: EventRange = { direction, cut, from, toExclusive };
    const rows = this.ctx.logs.readGroup(group.id, range, streamSelector(req));
    const { events, resumeAfter } = this.scan(rows, matches, limit);
    return {
      events: events.map(
        (r): FilteredLogEvent => ({
          logStreamName: r.stream,
          timestamp: r.timestamp,
          message: r.message,
          ingestionTime: r.ingestionTime,
          eventId: eventIdOf(r.timestamp, r.seq),
        }),
      ),
      nextToken: resumeAfter ? filterToken(direction, continueFrom(direction, resumeAfter)) : undefined,
    };
  }

  /**
   * Collects matching events up to the limit and the response size, examining at most
   * `filterScanLimit` events so one call never scans a whole large group; `resumeAfter`
   * is the last event handled when more may follow (none when the range is exhausted).
   */
  private scan<R extends EventRow>(rows: IterableIterator<R>, matches: Matcher, limit: number): { events: R[]; resumeAfter?: R } {
    const events: R[] = [];
    let bytes = 0;
    let scanned = 0;
    let last: R | undefined;
    for (const row of rows) {
      if (matches(row.message)) {
        const size = Buffer.byteLength(row.message, 'utf8') + 26;
        if (events.length >= limit || bytes + size > MAX_RESPONSE_BYTES) return { events, resumeAfter: last };
        events.push(row);
        bytes += size;
      }
      last = row;
      if (++scanned >= this.ctx.filterScanLimit) return { events, resumeAfter: row };
    }
    return { events };
  }
}

/** Takes one GetLogEvents page: at most `limit` events and 1 MiB, at least one event. */
function takePage(rows: IterableIterator<EventRow>, limit: number): EventRow[] {
  const page: EventRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = Buffer.byteLength(row.message, 'utf8') + 26;
    if (page.length > 0 && bytes + size > MAX_RESPONSE_BYTES) break;
    page.push(row);
    bytes += size;
    if (page.length >= limit) break;
  }
  return page;
}

/** The cut after the last handled event, in reading order. */
function continueFrom(direction: Direction, e: EventRow): Cut {
  return direction === 'forward' ? { timestamp: e.timestamp, seq: e.seq } : cutBefore(e.timestamp, e.seq);
}

function checkTime(member: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value < 0) throw constraintViolation(member, value, 'have value greater than or equal to 0');
  return Math.min(value, MAX_TIMESTAMP);
}

function compilePattern(pattern: string | undefined): Matcher {
  try {
    return compileFilterPattern(pattern ?? '');
  } catch (err) {
    if (err instanceof FilterPatternError) throw invalidParameter(err.message);
    throw err;
  }
}

function streamSelector(req: FilterLogEventsRequest): StreamSelector {
  const { logStreamNames: names, logStreamNamePrefix: prefix } = req;
  if (names !== undefined && prefix !== undefined) {
    throw invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
  }
  if (names !== undefined) {
    if (names.length < 1 || names.length > 100) {
      throw constraintViolation('logStreamNames', `[${names.length} names]`, 'have length between 1 and 100');
    }
    return { names };
  }
  return prefix !== undefined ? { prefix } : undefined;
}
