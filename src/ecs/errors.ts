import { clientError, errorsOf, serverError, type AwsErrorSpec } from '../core/index.js';

/**
 * Every error the ECS API answers with, as the SDK's exception names. Codes come
 * from the ECS API reference; a test keeps this registry and docs/errors.md in step.
 */
export const EcsErrors = {
  ClientException: clientError('ClientException'),
  InvalidParameterException: clientError('InvalidParameterException'),
  ClusterNotFoundException: clientError('ClusterNotFoundException'),
  ClusterContainsServicesException: clientError('ClusterContainsServicesException'),
  ClusterContainsTasksException: clientError('ClusterContainsTasksException'),
  ClusterContainsContainerInstancesException: clientError('ClusterContainsContainerInstancesException'),
  ResourceNotFoundException: clientError('ResourceNotFoundException'),
  LimitExceededException: clientError('LimitExceededException'),
  UnsupportedFeatureException: clientError('UnsupportedFeatureException'),
  ResourceInUseException: clientError('ResourceInUseException'),
  ServiceNotFoundException: clientError('ServiceNotFoundException'),
  ServiceNotActiveException: clientError('ServiceNotActiveException'),
  ServerException: serverError('ServerException'),
} as const satisfies Record<string, AwsErrorSpec>;

export type EcsErrorCode = keyof typeof EcsErrors;

export const ecsError = errorsOf(EcsErrors);
