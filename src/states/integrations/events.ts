import type { PutEventsRequestEntry, PutEventsResponse } from '@aws-sdk/client-eventbridge';
import { isObject, type Json } from '../asl/json.js';
import { TASK_FAILED, type TaskCall, type TaskIntegration, type TaskReporter } from '../runtime/contract.js';
import { pascalKeys, serviceError } from './case.js';

/** The reference recorded once the events are put, so a restart does not put them again. */
const PUT_DONE = 'events:put';

/** What Step Functions needs from the event bus: EventBridge's PutEvents. */
export interface EventsIntegration {
  putEvents(entries: PutEventsRequestEntry[]): Promise<PutEventsResponse>;
}

/** ASL passes `Detail` as JSON; EventBridge wants it as a string. */
function entriesOf(input: Json): PutEventsRequestEntry[] | undefined {
  const list = isObject(input) ? input['Entries'] : undefined;
  if (!Array.isArray(list)) return undefined;
  return list.map((e) => {
    const o = isObject(e) ? e : {};
    const detail = o['Detail'];
    return { ...(o as PutEventsRequestEntry), Detail: typeof detail === 'string' ? detail : JSON.stringify(detail ?? {}) };
  });
}

/** `arn:aws:states:::events:putEvents` and `.waitForTaskToken`. */
export class EventsPut implements TaskIntegration {
  constructor(private readonly events: EventsIntegration) {}

  async start(call: TaskCall, report: TaskReporter): Promise<void> {
    if (call.action !== 'putEvents') return report.failed(TASK_FAILED, `skiff supports events:putEvents only, not events:${call.action}`);
    const entries = entriesOf(call.input);
    if (!entries) return report.failed(TASK_FAILED, 'events:putEvents needs an Entries array');
    let out: PutEventsResponse;
    try {
      out = await this.events.putEvents(entries);
    } catch (err) {
      const e = serviceError('EventBridge', err);
      return report.failed(e.error, e.cause);
    }
    const json = pascalKeys({ Entries: out.Entries ?? [], FailedEntryCount: out.FailedEntryCount ?? 0 });
    if ((out.FailedEntryCount ?? 0) > 0) return report.failed('EventBridge.FailedEntry', JSON.stringify(json));
    if (call.pattern === 'callback') {
      await report.started(PUT_DONE, json);
      return;
    }
    await report.started();
    await report.succeeded(json);
  }

  /** After a restart: a put whose result was not recorded is put again (EventBridge is at-least-once too). */
  async resume(call: TaskCall, ref: string | undefined, report: TaskReporter): Promise<void> {
    if (call.pattern === 'callback' && ref !== undefined) return;
    return this.start(call, report);
  }

  async cancel(): Promise<void> {
    // an event once put cannot be taken back
  }
}
