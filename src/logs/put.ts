import type { InputLogEvent, PutLogEventsRequest, PutLogEventsResponse, RejectedLogEventsInfo } from '@aws-sdk/client-cloudwatch-logs';
import { nowMs, type LogsContext } from './context.js';
import { constraintViolation, invalidParameter } from './errors.js';
import type { LogGroups } from './groups.js';
import type { GroupRow, NewEvent } from './store.js';
import type { LogStreams } from './streams.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX_BATCH_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;
const MAX_EVENTS = 10_000;

/**
 * PutLogEvents with AWS's batch rules: at most 10,000 events and 1 MiB (message bytes
 * plus 26 per event), in chronological order, else InvalidParameterException; events
 * over 2 hours ahead, over 14 days old, or older than the group's retention are
 * rejected (reported in rejectedLogEventsInfo) while the rest are stored; the stored
 * ones may not span more than 24 hours. Sequence tokens are ignored, as AWS now does.
 */
export class PutLogEvents {
  constructor(
    private readonly ctx: LogsContext,
    private readonly groups: LogGroups,
    private readonly streams: LogStreams,
  ) {}

  put(req: PutLogEventsRequest): PutLogEventsResponse {
    const events = checkBatch(req.logEvents ?? []);
    const group = this.groups.require(req.logGroupName ?? '');
    const stream = this.streams.require(group, req.logStreamName ?? '');
    const now = nowMs(this.ctx);
    const { accepted, rejected } = classify(events, group, now);
    if (accepted.length > 0) {
      const first = accepted[0]?.timestamp ?? 0;
      const last = accepted[accepted.length - 1]?.timestamp ?? 0;
      if (last - first > DAY) {
        throw invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
      }
      this.ctx.logs.insertEvents(stream, accepted, now);
    }
    const after = this.ctx.logs.getStream(group.id, stream.name);
    return {
      nextSequenceToken: after?.uploadSequenceToken ?? undefined,
      rejectedLogEventsInfo: Object.keys(rejected).length > 0 ? rejected : undefined,
    };
  }
}

function checkBatch(events: InputLogEvent[]): NewEvent[] {
  if (events.length < 1 || events.length > MAX_EVENTS) {
    throw constraintViolation('logEvents', `[${events.length} events]`, `have length between 1 and ${MAX_EVENTS}`);
  }
  let bytes = 0;
  let previous = -Infinity;
  const out: NewEvent[] = [];
  events.forEach((e, i) => {
    const message = e.message ?? '';
    const timestamp = e.timestamp ?? 0;
    if (message.length < 1) throw constraintViolation(`logEvents.${i + 1}.member.message`, message, 'have length greater than or equal to 1');
    if (timestamp < 0) throw constraintViolation(`logEvents.${i + 1}.member.timestamp`, timestamp, 'have value greater than or equal to 0');
    if (timestamp < previous) throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
    previous = timestamp;
    bytes += Buffer.byteLength(message, 'utf8') + EVENT_OVERHEAD;
    out.push({ timestamp, message });
  });
  if (bytes > MAX_BATCH_BYTES) throw invalidParameter(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  return out;
}

/** Events are in order, so the rejected ones are a prefix (old, expired) and a suffix (new). */
function classify(events: NewEvent[], group: GroupRow, now: number): { accepted: NewEvent[]; rejected: RejectedLogEventsInfo } {
  const tooOldBefore = now - 14 * DAY;
  const expiredBefore = group.retentionDays === null ? -Infinity : now - group.retentionDays * DAY;
  const tooNewAfter = now + 2 * HOUR;
  const countWhile = (pred: (e: NewEvent) => boolean): number => {
    const i = events.findIndex((e) => !pred(e));
    return i < 0 ? events.length : i;
  };
  const tooOldEnd = countWhile((e) => e.timestamp < tooOldBefore);
  const expiredEnd = countWhile((e) => e.timestamp < expiredBefore);
  const firstTooNew = events.findIndex((e) => e.timestamp > tooNewAfter);
  const start = Math.max(tooOldEnd, expiredEnd);
  const end = firstTooNew < 0 ? events.length : Math.max(firstTooNew, start);
  const rejected: RejectedLogEventsInfo = {};
  if (tooOldEnd > 0) rejected.tooOldLogEventEndIndex = tooOldEnd;
  if (expiredEnd > 0) rejected.expiredLogEventEndIndex = expiredEnd;
  if (firstTooNew >= 0) rejected.tooNewLogEventStartIndex = firstTooNew;
  return { accepted: events.slice(start, end), rejected };
}
