import type { CapacityProvider, CapacityProviderStrategyItem, DescribeCapacityProvidersRequest, DescribeCapacityProvidersResponse } from '@aws-sdk/client-ecs';
import { decodeToken, formatArn, pageOf } from '../core/index.js';
import type { EcsDeps } from './context.js';
import { EcsErrors, ecsError } from './errors.js';
import { checkMaxResults } from './paging.js';

/**
 * Capacity providers. Skiff runs every task the same way, so there are the two Fargate
 * providers every account has, FARGATE and FARGATE_SPOT (no CreateCapacityProvider):
 * clusters associate them, strategies name them, and a task records the one it was
 * placed with. A FARGATE_SPOT task is never interrupted here.
 */
export const FARGATE_PROVIDERS: readonly string[] = ['FARGATE', 'FARGATE_SPOT'];
const MAX_STRATEGY = 20;

/** The providers a cluster is to have: Fargate's, each once. */
export function checkProviders(names: readonly string[]): string[] {
  for (const name of names) {
    if (!FARGATE_PROVIDERS.includes(name)) {
      throw ecsError('InvalidParameterException', `The specified capacity provider '${name}' does not exist. Use FARGATE or FARGATE_SPOT.`);
    }
  }
  if (new Set(names).size !== names.length) throw ecsError('InvalidParameterException', 'The capacity providers must be unique.');
  return [...names];
}

/** A capacity provider strategy, checked against the providers its cluster has. */
export function checkStrategy(strategy: readonly CapacityProviderStrategyItem[], associated: readonly string[]): CapacityProviderStrategyItem[] {
  if (strategy.length > MAX_STRATEGY) throw ecsError('InvalidParameterException', `A capacity provider strategy can have at most ${MAX_STRATEGY} capacity providers.`);
  const seen = new Set<string>();
  for (const item of strategy) {
    const name = item.capacityProvider ?? '';
    if (!associated.includes(name)) {
      throw ecsError(
        'InvalidParameterException',
        `The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster: '${name}'. ` +
          'Associate it with PutClusterCapacityProviders first.',
      );
    }
    if (seen.has(name)) throw ecsError('InvalidParameterException', `Capacity provider '${name}' appears more than once in the strategy.`);
    seen.add(name);
    if (item.weight !== undefined && (item.weight < 0 || item.weight > 1000)) throw ecsError('InvalidParameterException', 'A capacity provider weight must be between 0 and 1000.');
    if (item.base !== undefined && (item.base < 0 || item.base > 100_000)) throw ecsError('InvalidParameterException', 'A capacity provider base must be between 0 and 100000.');
  }
  if (strategy.filter((i) => (i.base ?? 0) > 0).length > 1) {
    throw ecsError('InvalidParameterException', 'Only one capacity provider in a capacity provider strategy can have a base defined.');
  }
  if (strategy.length > 1 && strategy.every((i) => (i.weight ?? 0) === 0)) {
    throw ecsError('InvalidParameterException', 'At least one capacity provider in the strategy must have a weight greater than zero.');
  }
  return strategy.map((i) => ({ ...i }));
}

/**
 * The strategy a RunTask or CreateService runs with: its own, checked against the
 * cluster's providers; else, with no launch type either, the cluster's default strategy
 * when it has one; else none (the launch type, FARGATE by default).
 */
export function strategyFor(
  req: { launchType?: string | undefined; capacityProviderStrategy?: CapacityProviderStrategyItem[] | undefined },
  cluster: { capacityProviders?: string[] | undefined; defaultCapacityProviderStrategy?: CapacityProviderStrategyItem[] | undefined },
): CapacityProviderStrategyItem[] | undefined {
  if (req.launchType && req.capacityProviderStrategy) {
    throw ecsError('InvalidParameterException', 'Specifying both a launch type and capacity provider strategy is not supported.');
  }
  if (req.capacityProviderStrategy) return checkStrategy(req.capacityProviderStrategy, cluster.capacityProviders ?? []);
  const fallback = cluster.defaultCapacityProviderStrategy ?? [];
  return req.launchType || fallback.length === 0 ? undefined : fallback;
}

/**
 * The provider the next task of a strategy goes to, given how many tasks each provider
 * holds already: the base first, then in proportion to the weights.
 */
export function placeOn(strategy: readonly CapacityProviderStrategyItem[], placed: ReadonlyMap<string, number>): string | undefined {
  const based = strategy.find((i) => (i.base ?? 0) > 0);
  if (based && (placed.get(based.capacityProvider ?? '') ?? 0) < (based.base ?? 0)) return based.capacityProvider;
  const weighted = strategy.filter((i) => (i.weight ?? 0) > 0 || strategy.length === 1);
  let best: CapacityProviderStrategyItem | undefined;
  let bestShare = Infinity;
  for (const i of weighted) {
    const share = (placed.get(i.capacityProvider ?? '') ?? 0) / Math.max(i.weight ?? 1, 1e-9);
    if (share < bestShare) [best, bestShare] = [i, share];
  }
  return best?.capacityProvider;
}

/** DescribeCapacityProviders: the two Fargate providers. */
export class CapacityProviders {
  constructor(private readonly deps: EcsDeps) {}

  describe(req: DescribeCapacityProvidersRequest): DescribeCapacityProvidersResponse {
    const limit = checkMaxResults(req.maxResults, 10);
    const after = req.nextToken ? decodeToken(req.nextToken, EcsErrors.InvalidParameterException) : undefined;
    const asked = req.capacityProviders ?? FARGATE_PROVIDERS;
    const failures: DescribeCapacityProvidersResponse['failures'] = [];
    const found: CapacityProvider[] = [];
    for (const ref of asked) {
      const name = ref.startsWith('arn:') ? ref.split('/').pop() ?? '' : ref;
      if (FARGATE_PROVIDERS.includes(name)) found.push(this.view(name, req.include?.includes('TAGS') ?? false));
      else failures.push({ arn: ref.startsWith('arn:') ? ref : this.arnOf(ref), reason: 'MISSING' });
    }
    const page = pageOf(found.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '')), (p) => p.name ?? '', limit, after);
    return { capacityProviders: page.items, failures, nextToken: page.nextToken };
  }

  private arnOf(name: string): string {
    return formatArn(this.deps.scope, 'ecs', `capacity-provider/${name}`);
  }

  private view(name: string, tags: boolean): CapacityProvider {
    return { capacityProviderArn: this.arnOf(name), name, status: 'ACTIVE', type: name === 'FARGATE' ? 'FARGATE' : 'FARGATE_SPOT', tags: tags ? [] : undefined };
  }
}
