import { clientError, errorsOf, serverError, type AwsError, type AwsErrorSpec } from '../core/index.js';

/**
 * Every error the Step Functions API answers with, as the SDK's exception names
 * (`@aws-sdk/client-sfn` models/errors). All are client errors (HTTP 400) but the
 * service fault.
 */
export const StatesApiErrors = {
  ActivityAlreadyExists: clientError('ActivityAlreadyExists'),
  ActivityDoesNotExist: clientError('ActivityDoesNotExist'),
  ActivityLimitExceeded: clientError('ActivityLimitExceeded'),
  ActivityWorkerLimitExceeded: clientError('ActivityWorkerLimitExceeded'),
  ConflictException: clientError('ConflictException'),
  ExecutionAlreadyExists: clientError('ExecutionAlreadyExists'),
  ExecutionDoesNotExist: clientError('ExecutionDoesNotExist'),
  ExecutionLimitExceeded: clientError('ExecutionLimitExceeded'),
  InvalidArn: clientError('InvalidArn'),
  InvalidDefinition: clientError('InvalidDefinition'),
  InvalidExecutionInput: clientError('InvalidExecutionInput'),
  InvalidLoggingConfiguration: clientError('InvalidLoggingConfiguration'),
  InvalidName: clientError('InvalidName'),
  InvalidOutput: clientError('InvalidOutput'),
  InvalidToken: clientError('InvalidToken'),
  InvalidTracingConfiguration: clientError('InvalidTracingConfiguration'),
  MissingRequiredParameter: clientError('MissingRequiredParameter'),
  ResourceNotFound: clientError('ResourceNotFound'),
  StateMachineAlreadyExists: clientError('StateMachineAlreadyExists'),
  StateMachineDeleting: clientError('StateMachineDeleting'),
  StateMachineDoesNotExist: clientError('StateMachineDoesNotExist'),
  StateMachineTypeNotSupported: clientError('StateMachineTypeNotSupported'),
  TaskDoesNotExist: clientError('TaskDoesNotExist'),
  TaskTimedOut: clientError('TaskTimedOut'),
  TooManyTags: clientError('TooManyTags'),
  ValidationException: clientError('ValidationException'),
  ServiceUnavailable: serverError('ServiceUnavailable'),
} as const satisfies Record<string, AwsErrorSpec>;

export type StatesApiErrorCode = keyof typeof StatesApiErrors;

export const statesError = errorsOf(StatesApiErrors);

/** AWS's wording for a failed model constraint, e.g. on maxResults. */
export function validation(member: string, value: unknown, constraint: string): AwsError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return statesError('ValidationException', `1 validation error detected: Value '${shown}' at '${member}' failed to satisfy constraint: Member must ${constraint}`);
}
