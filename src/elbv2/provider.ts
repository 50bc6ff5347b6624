import type { RawHandler } from '../api/index.js';
import type { Logger } from '../core/index.js';
import type { Elbv2Context } from './context.js';
import { Elbv2Errors } from './errors.js';
import { Listeners } from './listeners.js';
import { LoadBalancers } from './load-balancers.js';
import { queryHandler, type QueryOperation } from './query-service.js';
import { Rules } from './rules.js';
import { elbv2Shapes, type Elbv2Operation } from './shapes.js';
import { Elbv2Tags } from './tags.js';
import { TargetGroups } from './target-groups.js';
import { Targets } from './targets.js';

export const ELBV2_NAMESPACE = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';
export const ELBV2_VERSION = '2015-12-01';
/** The service name in the SigV4 credential scope of ELBv2 requests. */
export const ELBV2_SIGNING_NAME = 'elasticloadbalancing';

export interface Elbv2Areas {
  readonly loadBalancers: LoadBalancers;
  readonly targetGroups: TargetGroups;
  readonly targets: Targets;
  readonly listeners: Listeners;
  readonly rules: Rules;
  readonly tags: Elbv2Tags;
}

export function createAreas(ctx: Elbv2Context): Elbv2Areas {
  return {
    loadBalancers: new LoadBalancers(ctx),
    targetGroups: new TargetGroups(ctx),
    targets: new Targets(ctx),
    listeners: new Listeners(ctx),
    rules: new Rules(ctx),
    tags: new Elbv2Tags(ctx),
  };
}

/** An operation: decoded against its shape, then handed to the area's method. */
function op<I>(name: Elbv2Operation, fn: (input: I) => unknown): QueryOperation {
  return { input: elbv2Shapes[name], handler: (input) => fn(input as I) };
}

/** The ELBv2 API (awsQuery, 2015-12-01) as a raw handler of the edge. */
export function elbv2Handler(a: Elbv2Areas, logger: Logger, maxBodyBytes: number): RawHandler {
  const { loadBalancers: lb, targetGroups: tg, targets, listeners, rules, tags } = a;
  const operations: Record<Elbv2Operation, QueryOperation> = {
    CreateLoadBalancer: op('CreateLoadBalancer', lb.create.bind(lb)),
    DescribeLoadBalancers: op('DescribeLoadBalancers', lb.describe.bind(lb)),
    DeleteLoadBalancer: op('DeleteLoadBalancer', lb.delete.bind(lb)),
    DescribeLoadBalancerAttributes: op('DescribeLoadBalancerAttributes', lb.describeAttributes.bind(lb)),
    ModifyLoadBalancerAttributes: op('ModifyLoadBalancerAttributes', lb.modifyAttributes.bind(lb)),
    CreateTargetGroup: op('CreateTargetGroup', tg.create.bind(tg)),
    DescribeTargetGroups: op('DescribeTargetGroups', tg.describe.bind(tg)),
    ModifyTargetGroup: op('ModifyTargetGroup', tg.modify.bind(tg)),
    DeleteTargetGroup: op('DeleteTargetGroup', tg.delete.bind(tg)),
    DescribeTargetGroupAttributes: op('DescribeTargetGroupAttributes', tg.describeAttributes.bind(tg)),
    ModifyTargetGroupAttributes: op('ModifyTargetGroupAttributes', tg.modifyAttributes.bind(tg)),
    RegisterTargets: op('RegisterTargets', targets.register.bind(targets)),
    DeregisterTargets: op('DeregisterTargets', targets.deregister.bind(targets)),
    DescribeTargetHealth: op('DescribeTargetHealth', targets.describeHealth.bind(targets)),
    CreateListener: op('CreateListener', listeners.create.bind(listeners)),
    DescribeListeners: op('DescribeListeners', listeners.describe.bind(listeners)),
    ModifyListener: op('ModifyListener', listeners.modify.bind(listeners)),
    DeleteListener: op('DeleteListener', listeners.delete.bind(listeners)),
    CreateRule: op('CreateRule', rules.create.bind(rules)),
    DescribeRules: op('DescribeRules', rules.describe.bind(rules)),
    ModifyRule: op('ModifyRule', rules.modify.bind(rules)),
    DeleteRule: op('DeleteRule', rules.delete.bind(rules)),
    SetRulePriorities: op('SetRulePriorities', rules.setPriorities.bind(rules)),
    AddTags: op('AddTags', tags.add.bind(tags)),
    RemoveTags: op('RemoveTags', tags.remove.bind(tags)),
    DescribeTags: op('DescribeTags', tags.describe.bind(tags)),
  };
  return queryHandler({
    namespace: ELBV2_NAMESPACE,
    version: ELBV2_VERSION,
    operations,
    invalid: Elbv2Errors.ValidationError,
    serverErrorCode: 'InternalFailure',
    maxBodyBytes,
    logger,
  });
}
