import { clientError, errorsOf, serverError, type AwsError, type AwsErrorSpec } from '../core/index.js';

/**
 * Every error the Application Auto Scaling API answers with, as its model names them
 * (botocore `application-autoscaling/2016-02-06`). All are HTTP 400 except the server fault.
 */
export const AutoscalingErrors = {
  ValidationException: clientError('ValidationException'),
  ObjectNotFoundException: clientError('ObjectNotFoundException'),
  /** Modelled; never raised: SQLite transactions serialize every write (see README). */
  ConcurrentUpdateException: clientError('ConcurrentUpdateException'),
  LimitExceededException: clientError('LimitExceededException'),
  /** Modelled; skiff's alarms are built in, so reading them cannot be refused (see README). */
  FailedResourceAccessException: clientError('FailedResourceAccessException'),
  InvalidNextTokenException: clientError('InvalidNextTokenException'),
  ResourceNotFoundException: clientError('ResourceNotFoundException'),
  TooManyTagsException: clientError('TooManyTagsException'),
  InternalServiceException: serverError('InternalServiceException'),
} as const satisfies Record<string, AwsErrorSpec>;

export type AutoscalingErrorCode = keyof typeof AutoscalingErrors;

export const scalingError = errorsOf(AutoscalingErrors);

export function validation(message: string): AwsError {
  return scalingError('ValidationException', message);
}
