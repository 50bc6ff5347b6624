export { createEvents, type Events } from './events.js';
export type { EventsDeps } from './context.js';
export type { EcsTaskTarget, StartExecutionTarget } from './delivery/invoke.js';
export type { S3EventSource, S3ObjectEvent, S3OutboxEntry } from './s3.js';
export { s3Envelope } from './s3.js';
export type { Envelope } from './enqueue.js';
export { eventsOptionsFrom, MIN_SCHEDULE_RATE_ENV, DEFAULT_EVENTS_OPTIONS, type EventsOptions } from './options.js';
export { EventsErrors } from './errors.js';
export { SKIFF_EVENTS_TARGET_PREFIX, type DeadLetterView } from './dead-letters.js';
