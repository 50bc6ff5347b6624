import { formatArn, parseArn, type AccountScope, type IdGenerator } from '../core/index.js';
import { constraint, invalid } from './errors.js';

/** 16 hex characters, as AWS's load balancer, listener, rule and target group ids. */
export function newId(ids: IdGenerator): string {
  return ids.hex32().slice(-16);
}

export function loadBalancerArn(scope: AccountScope, name: string, id: string): string {
  return formatArn(scope, 'elasticloadbalancing', `loadbalancer/app/${name}/${id}`);
}

export function targetGroupArn(scope: AccountScope, name: string, id: string): string {
  return formatArn(scope, 'elasticloadbalancing', `targetgroup/${name}/${id}`);
}

/** `listener/app/<lb>/<lb-id>/<id>` under the load balancer's ARN. */
export function listenerArn(lbArn: string, id: string): string {
  return `${lbArn.replace(':loadbalancer/', ':listener/')}/${id}`;
}

export function ruleArn(listener: string, id: string): string {
  return `${listener.replace(':listener/', ':listener-rule/')}/${id}`;
}

/** The listener a rule ARN belongs to (the rule ARN minus its last segment). */
export function listenerOfRule(rule: string): string {
  return rule.slice(0, rule.lastIndexOf('/')).replace(':listener-rule/', ':listener/');
}

export type ResourceKind = 'loadbalancer' | 'targetgroup' | 'listener' | 'listener-rule';

export function kindOf(arn: string): ResourceKind | undefined {
  const parts = parseArn(arn);
  if (!parts || parts.service !== 'elasticloadbalancing') return undefined;
  const kind = parts.resource.split('/')[0];
  return kind === 'loadbalancer' || kind === 'targetgroup' || kind === 'listener' || kind === 'listener-rule' ? kind : undefined;
}

/**
 * Load balancer and target group names: 1 to 32 alphanumerics or hyphens, not starting
 * or ending with a hyphen, and (load balancers) not starting with `internal-`.
 */
export function checkName(name: string, what: 'load balancer' | 'target group'): void {
  if (name.length < 1 || name.length > 32) throw constraint('name', name, 'Member must have length between 1 and 32');
  if (!/^[A-Za-z0-9-]+$/.test(name) || name.startsWith('-') || name.endsWith('-')) {
    throw invalid(`${what === 'load balancer' ? 'Load balancer' : 'Target group'} name '${name}' can contain only alphanumeric characters and hyphens, and must not begin or end with a hyphen`);
  }
  if (what === 'load balancer' && name.toLowerCase().startsWith('internal-')) {
    throw invalid(`Load balancer name '${name}' cannot begin with 'internal-'`);
  }
}

/** ELBv2 pages: PageSize from 1 to 400 (default 400). */
export function pageSize(size: number | undefined): number {
  if (size === undefined) return 400;
  if (size < 1 || size > 400) throw constraint('pageSize', size, 'Member must have value between 1 and 400');
  return size;
}
