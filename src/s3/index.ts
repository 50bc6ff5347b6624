export { createS3, type S3 } from './provider.js';
export type { S3Deps } from './context.js';
export type { ObjectEvent, ObjectEventListener, ObjectEventReason, OutboxEntry } from './model.js';
export { S3Errors, type S3ErrorCode } from './errors.js';
export { DEFAULT_VIRTUAL_HOST_DOMAINS, virtualHostDomains } from './request.js';
