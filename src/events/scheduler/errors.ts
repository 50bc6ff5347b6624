import { clientError, errorsOf, serverError, type AwsError, type AwsErrorSpec } from '../../core/index.js';

/** Every error EventBridge Scheduler answers with, with its HTTP status (`@aws-sdk/client-scheduler`). */
export const SchedulerErrors = {
  ValidationException: clientError('ValidationException', 400),
  ResourceNotFoundException: clientError('ResourceNotFoundException', 404),
  ConflictException: clientError('ConflictException', 409),
  ServiceQuotaExceededException: clientError('ServiceQuotaExceededException', 402),
  ThrottlingException: clientError('ThrottlingException', 429),
  InternalServerException: serverError('InternalServerException', 500),
} as const satisfies Record<string, AwsErrorSpec>;

export type SchedulerErrorCode = keyof typeof SchedulerErrors;

export const schedulerError = errorsOf(SchedulerErrors);

export const invalid = (message: string): AwsError => schedulerError('ValidationException', message);
