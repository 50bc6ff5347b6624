import { clientError, errorsOf, serverError, type AwsError, type AwsErrorSpec } from '../core/index.js';

/**
 * Every error the EventBridge API answers with, as the SDK's exception names
 * (`@aws-sdk/client-eventbridge` models/errors). PutEvents, PutTargets and
 * RemoveTargets also report per-entry failures in their results, with the codes in
 * `EntryErrors` below, without failing the call.
 */
export const EventsErrors = {
  ValidationException: clientError('ValidationException'),
  InvalidEventPatternException: clientError('InvalidEventPatternException'),
  ResourceNotFoundException: clientError('ResourceNotFoundException'),
  ResourceAlreadyExistsException: clientError('ResourceAlreadyExistsException'),
  LimitExceededException: clientError('LimitExceededException'),
  ConcurrentModificationException: clientError('ConcurrentModificationException'),
  ManagedRuleException: clientError('ManagedRuleException'),
  IllegalStatusException: clientError('IllegalStatusException'),
  OperationDisabledException: clientError('OperationDisabledException'),
  InternalException: serverError('InternalException'),
} as const satisfies Record<string, AwsErrorSpec>;

export type EventsErrorCode = keyof typeof EventsErrors;

export const eventsError = errorsOf(EventsErrors);

export const invalid = (message: string): AwsError => eventsError('ValidationException', message);

/** AWS's wording for a parameter that failed a model constraint. */
export function constraint(member: string, value: unknown, rule: string): AwsError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return invalid(`1 validation error detected: Value '${shown}' at '${member}' failed to satisfy constraint: Member must ${rule}`);
}

/** Codes reported per entry by PutEvents / PutTargets / RemoveTargets. */
export const EntryErrors = {
  InvalidArgument: 'InvalidArgument',
  MalformedDetail: 'MalformedDetail',
  NotAuthorizedForSource: 'NotAuthorizedForSourceException',
  NotFound: 'ResourceNotFoundException',
  Validation: 'ValidationException',
  Internal: 'InternalException',
} as const;
