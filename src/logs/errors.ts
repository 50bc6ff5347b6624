import { clientError, errorsOf, serverError, type AwsError, type AwsErrorSpec } from '../core/index.js';

/**
 * Every error the CloudWatch Logs API answers with, as the SDK's exception names
 * (`@aws-sdk/client-cloudwatch-logs` models/errors). DataAlreadyAcceptedException and
 * InvalidSequenceTokenException are listed because clients still catch them, though
 * PutLogEvents ignores sequence tokens (as AWS now does) and never raises them.
 */
export const LogsErrors = {
  InvalidParameterException: clientError('InvalidParameterException'),
  ResourceNotFoundException: clientError('ResourceNotFoundException'),
  ResourceAlreadyExistsException: clientError('ResourceAlreadyExistsException'),
  LimitExceededException: clientError('LimitExceededException'),
  TooManyTagsException: clientError('TooManyTagsException'),
  OperationAbortedException: clientError('OperationAbortedException'),
  DataAlreadyAcceptedException: clientError('DataAlreadyAcceptedException'),
  InvalidSequenceTokenException: clientError('InvalidSequenceTokenException'),
  UnrecognizedClientException: clientError('UnrecognizedClientException'),
  ServiceUnavailableException: serverError('ServiceUnavailableException'),
} as const satisfies Record<string, AwsErrorSpec>;

export type LogsErrorCode = keyof typeof LogsErrors;

export const logsError = errorsOf(LogsErrors);

export function invalidParameter(message: string): AwsError {
  return logsError('InvalidParameterException', message);
}

/**
 * AWS's wording for a failed model constraint, e.g. "1 validation error detected: Value
 * '0' at 'limit' failed to satisfy constraint: Member must have value greater than or
 * equal to 1", which scripts sometimes match on.
 */
export function constraintViolation(member: string, value: unknown, constraint: string): AwsError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return invalidParameter(`1 validation error detected: Value '${shown}' at '${member}' failed to satisfy constraint: Member must ${constraint}`);
}

export const groupNotFound = (): AwsError => logsError('ResourceNotFoundException', 'The specified log group does not exist.');
export const streamNotFound = (): AwsError => logsError('ResourceNotFoundException', 'The specified log stream does not exist.');
