import { clientError, errorsOf, serverError, type AwsError, type AwsErrorSpec } from '../core/index.js';

/**
 * Every error the ELBv2 API answers with, by wire code (the `<Code>` of the awsQuery
 * error document; the SDK maps e.g. `LoadBalancerNotFound` to
 * `LoadBalancerNotFoundException`). Codes and statuses are those of the service model.
 */
export const Elbv2Errors = {
  ValidationError: clientError('ValidationError'),
  InvalidConfigurationRequest: clientError('InvalidConfigurationRequest'),
  LoadBalancerNotFound: clientError('LoadBalancerNotFound'),
  TargetGroupNotFound: clientError('TargetGroupNotFound'),
  ListenerNotFound: clientError('ListenerNotFound'),
  RuleNotFound: clientError('RuleNotFound'),
  DuplicateLoadBalancerName: clientError('DuplicateLoadBalancerName'),
  DuplicateTargetGroupName: clientError('DuplicateTargetGroupName'),
  DuplicateListener: clientError('DuplicateListener'),
  DuplicateTagKeys: clientError('DuplicateTagKeys'),
  PriorityInUse: clientError('PriorityInUse'),
  ResourceInUse: clientError('ResourceInUse'),
  InvalidTarget: clientError('InvalidTarget'),
  InvalidScheme: clientError('InvalidScheme'),
  InvalidSubnet: clientError('InvalidSubnet'),
  InvalidLoadBalancerAction: clientError('InvalidLoadBalancerAction'),
  IncompatibleProtocols: clientError('IncompatibleProtocols'),
  UnsupportedProtocol: clientError('UnsupportedProtocol'),
  OperationNotPermitted: clientError('OperationNotPermitted'),
  TooManyTags: clientError('TooManyTags'),
  TooManyActions: clientError('TooManyActions'),
  TooManyTargets: clientError('TooManyTargets'),
  TooManyRules: clientError('TooManyRules'),
  TooManyListeners: clientError('TooManyListeners'),
  TargetGroupAssociationLimit: clientError('TargetGroupAssociationLimit'),
  InternalFailure: serverError('InternalFailure'),
} as const satisfies Record<string, AwsErrorSpec>;

export type Elbv2ErrorCode = keyof typeof Elbv2Errors;

export const elbError = errorsOf(Elbv2Errors);

export const invalid = (message: string): AwsError => elbError('ValidationError', message);
export const badConfig = (message: string): AwsError => elbError('InvalidConfigurationRequest', message);

/** AWS's wording for a failed model constraint (`1 validation error detected: ...`). */
export function constraint(member: string, value: unknown, rule: string): AwsError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return invalid(`1 validation error detected: Value '${shown}' at '${member}' failed to satisfy constraint: ${rule}`);
}

export const lbNotFound = (): AwsError => elbError('LoadBalancerNotFound', 'One or more load balancers not found');
export const tgNotFound = (): AwsError => elbError('TargetGroupNotFound', 'One or more target groups not found');
export const listenerNotFound = (): AwsError => elbError('ListenerNotFound', 'One or more listeners not found');
export const ruleNotFound = (): AwsError => elbError('RuleNotFound', 'One or more rules not found');
