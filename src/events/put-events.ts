import type {
  PutEventsRequest,
  PutEventsRequestEntry,
  PutEventsResponse,
  PutEventsResultEntry,
  TestEventPatternRequest,
  TestEventPatternResponse,
} from '@aws-sdk/client-eventbridge';
import { AwsError } from '../core/index.js';
import type { Buses } from './buses.js';
import type { EventsContext } from './context.js';
import { enqueueMatching, type Envelope } from './enqueue.js';
import { constraint, EntryErrors, invalid } from './errors.js';
import { busNameOf, eventTime } from './names.js';
import { compilePattern, isPlainObject, PatternError } from './pattern/compile.js';
import { matchesPattern } from './pattern/match.js';
import { checkPattern } from './rules.js';

const MAX_REQUEST_BYTES = 256 * 1024;
const TEST_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'resources', 'detail-type'];

type Accepted = { bus: string; event: Envelope };

/** PutEvents and TestEventPattern, and the in-process publish the S3 bridge and bus targets use. */
export class EventPublisher {
  constructor(
    private readonly ctx: EventsContext,
    private readonly buses: Buses,
  ) {}

  putEvents(req: PutEventsRequest): PutEventsResponse {
    const entries = req.Entries ?? [];
    if (entries.length < 1 || entries.length > 10) throw constraint('entries', `[${entries.length} entries]`, 'have length between 1 and 10');
    if (Buffer.byteLength(JSON.stringify(entries)) > MAX_REQUEST_BYTES) throw invalid('Total size of the entries in the request is over the limit.');
    const now = this.ctx.clock.now();
    const results: PutEventsResultEntry[] = [];
    const accepted: Accepted[] = [];
    for (const entry of entries) {
      const checked = this.check(entry, now);
      if ('bus' in checked) {
        accepted.push(checked);
        results.push({ EventId: checked.event.id });
      } else results.push(checked);
    }
    this.accept(accepted, now.getTime());
    return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
  }

  /** Puts events on buses in one transaction (their deliveries are durable when this returns). */
  accept(events: readonly Accepted[], receivedMs: number): number {
    if (events.length === 0) return 0;
    const queued = this.ctx.repo.transaction(() => events.reduce((n, a) => n + enqueueMatching(this.ctx, a.bus, a.event, receivedMs), 0));
    if (queued > 0) this.ctx.onQueued();
    return queued;
  }

  private check(entry: PutEventsRequestEntry, now: Date): Accepted | PutEventsResultEntry {
    const fail = (code: string, message: string): PutEventsResultEntry => ({ ErrorCode: code, ErrorMessage: message });
    if (!entry.Source) return fail(EntryErrors.InvalidArgument, 'Parameter Source is not valid. Reason: Source is a required argument.');
    if (!entry.DetailType) return fail(EntryErrors.InvalidArgument, 'Parameter DetailType is not valid. Reason: DetailType is a required argument.');
    if (entry.Detail === undefined) return fail(EntryErrors.InvalidArgument, 'Parameter Detail is not valid. Reason: Detail is a required argument.');
    if (entry.Source.toLowerCase().startsWith('aws.')) return fail(EntryErrors.NotAuthorizedForSource, 'Not authorized for the source.');
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      return fail(EntryErrors.MalformedDetail, 'Detail is malformed.');
    }
    if (!isPlainObject(detail)) return fail(EntryErrors.MalformedDetail, 'Detail is malformed.');
    let bus: string;
    try {
      bus = this.buses.require(entry.EventBusName).Name;
    } catch (err) {
      if (err instanceof AwsError) return fail(err.code, err.message);
      throw err;
    }
    const time = entry.Time === undefined ? now : toDate(entry.Time);
    if (!time) return fail(EntryErrors.InvalidArgument, 'Parameter Time is not valid.');
    const event: Envelope = {
      version: '0',
      id: this.ctx.ids.uuid(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: this.ctx.scope.account,
      time: eventTime(time),
      region: this.ctx.scope.region,
      resources: entry.Resources ?? [],
      detail,
    };
    return { bus, event };
  }

  /** Puts one already-built event on a bus (S3 notifications, bus-to-bus targets). */
  publish(busRef: string, event: Envelope): number {
    const bus = busNameOf(this.ctx.scope, busRef);
    return this.accept([{ bus, event }], this.ctx.clock.now().getTime());
  }

  testEventPattern(req: TestEventPatternRequest): TestEventPatternResponse {
    checkPattern(req.EventPattern ?? '');
    let event: unknown;
    try {
      event = JSON.parse(req.Event ?? '');
    } catch {
      throw invalid('Parameter Event is not valid: it is not JSON.');
    }
    if (!isPlainObject(event)) throw invalid('Parameter Event is not valid: it must be a JSON object.');
    const missing = TEST_EVENT_FIELDS.filter((f) => event[f] === undefined);
    if (missing.length > 0) throw invalid(`Parameter Event is not valid. Reason: Provided Event has missing required field(s): ${missing.join(', ')}.`);
    try {
      return { Result: matchesPattern(compilePattern(req.EventPattern ?? ''), event) };
    } catch (err) {
      if (err instanceof PatternError) throw invalid(err.message);
      throw err;
    }
  }
}

/** awsJson sends timestamps as epoch seconds; a string may be ISO or epoch seconds. */
function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? (/^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value)) : NaN;
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}
