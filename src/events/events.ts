import type { PutEventsRequestEntry, PutEventsResponse } from '@aws-sdk/client-eventbridge';
import type { JsonService, RawHandler } from '../api/index.js';
import { Buses } from './buses.js';
import type { EventsContext, EventsDeps } from './context.js';
import { deadLetterService } from './dead-letters.js';
import { Dispatcher } from './delivery/dispatcher.js';
import { invokeTarget, type EcsTaskTarget, type StartExecutionTarget, type TargetPorts } from './delivery/invoke.js';
import type { Delivery } from './delivery/model.js';
import type { Envelope } from './enqueue.js';
import { DEFAULT_EVENTS_OPTIONS, type EventsOptions } from './options.js';
import { PatternCache } from './pattern/cache.js';
import { eventsService, type EventsParts } from './provider.js';
import { EventPublisher } from './put-events.js';
import { Rules } from './rules.js';
import { S3Bridge, type S3EventSource } from './s3.js';
import { ScheduledRules } from './scheduled-rules.js';
import type { SchedulerContext } from './scheduler/context.js';
import { Groups } from './scheduler/groups.js';
import { SchedulerRepository } from './scheduler/repository.js';
import { ScheduleRunner, withAttempt } from './scheduler/runner.js';
import { Schedules } from './scheduler/schedules.js';
import { SCHEDULER_SIGNING_NAME, schedulerHandler } from './scheduler/service.js';
import { DeliveryQueue } from './store/queue.js';
import { EventsRepository } from './store/repository.js';
import { Targets } from './targets.js';
import { Ticker } from './ticker.js';

const INGESTED_KEPT_MS = 7 * 86_400_000;

export interface Events {
  /** EventBridge (awsJson 1.1, `AWSEvents`): `edge.addJsonService(events.service)`. */
  readonly service: JsonService;
  /** Skiff's dead-letter read (`SkiffEvents`): `edge.addJsonService(events.deadLetters)`. */
  readonly deadLetters: JsonService;
  /** EventBridge Scheduler (restJson): `edge.addRawService(events.scheduler.signingName, events.scheduler.handler)`. */
  readonly scheduler: { readonly signingName: string; readonly handler: RawHandler };
  /** Connects targets and the S3 store's events; may be called after creation (e.g. once Step Functions exists). */
  connect(parts: { ecs?: EcsTaskTarget; stepFunctions?: StartExecutionTarget; s3?: S3EventSource }): void;
  /** Puts an event on a bus in-process. */
  publish(busRef: string, event: Envelope): number;
  /** PutEvents in-process (Step Functions' `events:putEvents` integration), with per-entry results. */
  putEvents(entries: PutEventsRequestEntry[]): Promise<PutEventsResponse>;
  /** One pass of the rule and schedule loops (tests drive these with a manual clock). */
  tickSchedules(): number;
  /** Attempts every due delivery and waits for the attempts (tests). */
  runDueDeliveries(): Promise<number>;
  /** Moves the S3 outbox onto the default bus now (tests). */
  drainS3(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

type Ports = { ecs?: EcsTaskTarget | undefined; stepFunctions?: StartExecutionTarget | undefined; bus?: TargetPorts['bus'] };

/** Builds EventBridge, EventBridge Scheduler and their delivery machinery over one database. */
export function createEvents(deps: EventsDeps & { maxBodyBytes: number }): Events {
  const options = { ...DEFAULT_EVENTS_OPTIONS, ...deps.options };
  const queue = new DeliveryQueue(deps.store.db);
  const ports: Ports = { ecs: deps.ecs, stepFunctions: deps.stepFunctions };
  const invoke = (d: Delivery): ReturnType<typeof invokeTarget> => invokeTarget(d.origin === 'schedule' ? { ...d, input: withAttempt(d.input, d.attempts + 1) } : d, ports);
  const dispatcher = new Dispatcher({ queue, clock: deps.clock, logger: deps.logger, invoke, backoff: options.backoff });
  const loops = new Loops(deps, options, queue);
  const ctx: EventsContext = {
    repo: new EventsRepository(deps.store.db),
    queue,
    tags: deps.store.tags,
    patterns: new PatternCache(),
    clock: deps.clock,
    ids: deps.ids,
    scope: deps.scope,
    logger: deps.logger,
    options,
    onQueued: () => dispatcher.wake(),
  };
  const eb = eventBridge(ctx, () => loops.wake());
  ports.bus = (busArn, input) => eb.publisher.publish(busArn, asEnvelope(input));
  const sctx: SchedulerContext = { repo: new SchedulerRepository(deps.store.db), tags: deps.store.tags, clock: deps.clock, scope: deps.scope, options, onChanged: () => loops.wake() };
  const groups = new Groups(sctx);
  const schedules = new Schedules(sctx);
  groups.ensureDefault();
  loops.add(new ScheduledRules(ctx), new ScheduleRunner({ ctx: sctx, queue, ids: deps.ids, logger: deps.logger, onQueued: () => dispatcher.wake() }));
  return {
    service: eventsService(ctx, eb),
    deadLetters: deadLetterService(queue, deps.clock, () => dispatcher.wake()),
    scheduler: { signingName: SCHEDULER_SIGNING_NAME, handler: schedulerHandler(schedules, groups, { maxBodyBytes: deps.maxBodyBytes, logger: deps.logger }) },
    connect: (parts) => {
      if (parts.ecs) ports.ecs = parts.ecs;
      if (parts.stepFunctions) ports.stepFunctions = parts.stepFunctions;
      if (parts.s3) loops.connectS3(parts.s3, (event) => eb.publisher.publish('default', event));
      dispatcher.wake();
    },
    publish: (busRef, event) => eb.publisher.publish(busRef, event),
    putEvents: async (entries) => eb.publisher.putEvents({ Entries: entries }),
    tickSchedules: () => loops.tick(),
    runDueDeliveries: () => dispatcher.runDue(),
    drainS3: () => loops.drainS3(),
    start: () => {
      loops.start();
      dispatcher.start();
    },
    stop: async () => {
      loops.stop();
      await dispatcher.stop();
    },
  };
}

function eventBridge(ctx: EventsContext, wakeSchedules: () => void): EventsParts {
  const buses = new Buses(ctx);
  buses.ensureDefault();
  const rules = new Rules(ctx, buses, wakeSchedules);
  return { buses, rules, targets: new Targets(ctx, buses, rules), publisher: new EventPublisher(ctx, buses) };
}

/**
 * The clock-driven side: the scheduled-rule and schedule loops, the S3 outbox drain
 * and the pruning of old S3 ingestion records, all run by one ticker.
 */
class Loops {
  private readonly ticker: Ticker;
  private readonly loops: { tick(): number }[] = [];
  private bridge: S3Bridge | undefined;
  private prunedAt = 0;

  constructor(
    private readonly deps: EventsDeps,
    options: EventsOptions,
    private readonly queue: DeliveryQueue,
  ) {
    this.ticker = new Ticker('events', options.tickMs, () => this.tick(), deps.logger);
  }

  add(...loops: { tick(): number }[]): void {
    this.loops.push(...loops);
  }

  connectS3(source: S3EventSource, publish: (event: Envelope) => number): void {
    const { clock, logger, scope, ids } = this.deps;
    this.bridge = new S3Bridge({ source, queue: this.queue, clock, logger, scope, newId: () => ids.uuid(), publish });
    this.bridge.connect();
  }

  drainS3(): Promise<number> {
    return this.bridge?.drain() ?? Promise.resolve(0);
  }

  tick(): number {
    const now = this.deps.clock.now().getTime();
    if (now - this.prunedAt > 3_600_000) {
      this.queue.pruneIngested(now - INGESTED_KEPT_MS);
      this.prunedAt = now;
    }
    if (this.bridge) void this.bridge.drain();
    return this.loops.reduce((n, loop) => n + loop.tick(), 0);
  }

  wake(): void {
    this.ticker.wake();
  }

  start(): void {
    this.ticker.start();
  }

  stop(): void {
    this.ticker.stop();
  }
}

/** A bus target's input must be an event: the forwarded one, or a schedule's built one. */
function asEnvelope(input: string): Envelope {
  const event = JSON.parse(input) as Partial<Envelope>;
  if (typeof event !== 'object' || event === null || typeof event.source !== 'string' || typeof event['detail-type'] !== 'string') {
    throw new Error('the input for an event bus target must be an event with source and detail-type');
  }
  return event as Envelope;
}
