import type {
  Cluster,
  ClusterSetting,
  CreateClusterRequest,
  CreateClusterResponse,
  DeleteClusterRequest,
  DeleteClusterResponse,
  DescribeClustersRequest,
  DescribeClustersResponse,
  ListClustersRequest,
  ListClustersResponse,
  PutClusterCapacityProvidersRequest,
  PutClusterCapacityProvidersResponse,
  UpdateClusterRequest,
  UpdateClusterResponse,
  UpdateClusterSettingsRequest,
  UpdateClusterSettingsResponse,
} from '@aws-sdk/client-ecs';
import { decodeToken, formatArn, isArn, pageOf, parseArn } from '../core/index.js';
import type { Tag } from '../store/index.js';
import type { RequestContext } from '../api/index.js';
import type { AccountSettings } from './account-settings.js';
import { checkProviders, checkStrategy } from './capacity.js';
import { DEFAULT_CLUSTER, type EcsDeps } from './context.js';
import { EcsErrors, ecsError } from './errors.js';
import { checkMaxResults } from './paging.js';
import { validateTags } from './task-definitions/validate.js';

type StoredCluster = Cluster & { clusterName: string; clusterArn: string; status: string };

const NAME = /^[a-zA-Z0-9_-]{1,255}$/;
const SETTING_VALUES: Record<string, readonly string[]> = { containerInsights: ['enabled', 'disabled', 'enhanced'] };
const INCLUDES = ['ATTACHMENTS', 'CONFIGURATIONS', 'SETTINGS', 'STATISTICS', 'TAGS'];

/** ECS clusters: stored data for now (the tasks issue counts tasks in them). */
export class Clusters {
  constructor(
    private readonly deps: EcsDeps,
    private readonly accountSettings?: AccountSettings,
  ) {}

  arnOf(name: string): string {
    return formatArn(this.deps.scope, 'ecs', `cluster/${name}`);
  }

  /** Name from a cluster name or ARN; undefined for an ARN of some other account or region. */
  nameOf(ref: string): string | undefined {
    if (!isArn(ref)) return ref;
    const arn = parseArn(ref);
    if (!arn || arn.service !== 'ecs' || !arn.resource.startsWith('cluster/')) return undefined;
    if (arn.region !== this.deps.scope.region || arn.account !== this.deps.scope.account) return undefined;
    return arn.resource.slice('cluster/'.length);
  }

  /** The ACTIVE cluster a request names (or `default`), else ClusterNotFoundException. */
  require(ref: string | undefined): StoredCluster {
    const found = this.find(ref ?? DEFAULT_CLUSTER);
    if (!found || found.status !== 'ACTIVE') throw ecsError('ClusterNotFoundException', 'Cluster not found.');
    return found;
  }

  find(ref: string): StoredCluster | undefined {
    const name = this.nameOf(ref);
    return name === undefined ? undefined : (this.deps.store.clusters.get(name) as StoredCluster | undefined);
  }

  /** Makes the `default` cluster exist once, as ECS does on first use of an account. */
  ensureDefault(): void {
    if (!this.deps.store.clusters.get(DEFAULT_CLUSTER)) this.create({ clusterName: DEFAULT_CLUSTER });
  }

  create(req: CreateClusterRequest, ctx?: RequestContext): CreateClusterResponse {
    const name = req.clusterName ?? DEFAULT_CLUSTER;
    if (!NAME.test(name)) {
      throw ecsError(
        'InvalidParameterException',
        'Cluster name can have up to 255 characters: letters (uppercase and lowercase), numbers, underscores and hyphens.',
      );
    }
    // without settings of its own, a cluster gets the account's containerInsights setting
    const insights = this.accountSettings?.value('containerInsights', ctx?.principal?.arn ?? `arn:aws:iam::${this.deps.scope.account}:root`) ?? 'disabled';
    const settings = checkSettings(req.settings ?? [{ name: 'containerInsights', value: insights }]);
    const capacityProviders = checkProviders(req.capacityProviders ?? []);
    const defaultCapacityProviderStrategy = checkStrategy(req.defaultCapacityProviderStrategy ?? [], capacityProviders);
    const tags = (req.tags ?? []) as Tag[];
    validateTags(tags);
    const { store } = this.deps;
    return store.tags.transaction(() => {
      const existing = store.clusters.get(name) as StoredCluster | undefined;
      if (existing?.status === 'ACTIVE') return { cluster: this.view(existing, ['TAGS', 'SETTINGS', 'CONFIGURATIONS']) };
      const cluster: StoredCluster = {
        clusterArn: this.arnOf(name),
        clusterName: name,
        status: 'ACTIVE',
        settings,
        configuration: req.configuration,
        capacityProviders,
        defaultCapacityProviderStrategy,
        serviceConnectDefaults: req.serviceConnectDefaults?.namespace ? { namespace: req.serviceConnectDefaults.namespace } : undefined,
      };
      store.clusters.put(cluster);
      store.tags.removeAll(cluster.clusterArn);
      store.tags.put(cluster.clusterArn, tags);
      return { cluster: this.view(cluster, ['TAGS', 'SETTINGS', 'CONFIGURATIONS']) };
    });
  }

  describe(req: DescribeClustersRequest): DescribeClustersResponse {
    const refs = req.clusters ?? [DEFAULT_CLUSTER];
    if (refs.length > 100) throw ecsError('InvalidParameterException', 'clusters can have at most 100 items.');
    const include = req.include ?? [];
    for (const i of include) {
      if (!INCLUDES.includes(i)) throw ecsError('InvalidParameterException', `include values must be among ${INCLUDES.join(', ')}.`);
    }
    const clusters: Cluster[] = [];
    const failures: DescribeClustersResponse['failures'] = [];
    for (const ref of refs) {
      const c = this.find(ref);
      if (c) clusters.push(this.view(c, include));
      else failures.push({ arn: isArn(ref) ? ref : this.arnOf(ref), reason: 'MISSING' });
    }
    return { clusters, failures };
  }

  list(req: ListClustersRequest): ListClustersResponse {
    const limit = checkMaxResults(req.maxResults, 100);
    const after = req.nextToken ? decodeToken(req.nextToken, EcsErrors.InvalidParameterException) : undefined;
    const page = pageOf(this.deps.store.clusters.listArns('ACTIVE'), (a) => a, limit, after);
    return { clusterArns: page.items, nextToken: page.nextToken };
  }

  delete(req: DeleteClusterRequest): DeleteClusterResponse {
    const cluster = this.require(req.cluster);
    if (this.deps.store.services.listArns(cluster.clusterArn).length > 0) {
      throw ecsError('ClusterContainsServicesException', 'The Cluster cannot be deleted while Services are active.');
    }
    const counts = this.deps.store.tasks.counts(cluster.clusterArn);
    if (counts.running + counts.pending > 0) {
      throw ecsError('ClusterContainsTasksException', 'The Cluster cannot be deleted while Tasks are active.');
    }
    const deleted: StoredCluster = { ...cluster, status: 'INACTIVE' };
    this.deps.store.clusters.put(deleted);
    return { cluster: this.view(deleted, []) };
  }

  update(req: UpdateClusterRequest): UpdateClusterResponse {
    const cluster = this.require(req.cluster);
    const next: StoredCluster = {
      ...cluster,
      settings: req.settings ? mergeSettings(cluster.settings ?? [], checkSettings(req.settings)) : cluster.settings,
      configuration: req.configuration ?? cluster.configuration,
      serviceConnectDefaults: req.serviceConnectDefaults?.namespace
        ? { namespace: req.serviceConnectDefaults.namespace }
        : cluster.serviceConnectDefaults,
    };
    this.deps.store.clusters.put(next);
    return { cluster: this.view(next, ['SETTINGS', 'CONFIGURATIONS', 'TAGS']) };
  }

  /** Replaces the cluster's capacity providers and its default strategy (both required; `[]` clears). */
  putCapacityProviders(req: PutClusterCapacityProvidersRequest): PutClusterCapacityProvidersResponse {
    const cluster = this.require(req.cluster);
    const capacityProviders = checkProviders(req.capacityProviders ?? []);
    const defaultCapacityProviderStrategy = checkStrategy(req.defaultCapacityProviderStrategy ?? [], capacityProviders);
    const dropped = (cluster.capacityProviders ?? []).filter((p) => !capacityProviders.includes(p));
    const inUse = dropped.find((p) => this.deps.store.tasks.unfinishedOnProvider(cluster.clusterArn, p));
    if (inUse) {
      throw ecsError('ResourceInUseException', `The capacity provider ${inUse} cannot be removed from the cluster because it is in use by tasks that are not stopped.`);
    }
    const next: StoredCluster = { ...cluster, capacityProviders, defaultCapacityProviderStrategy };
    this.deps.store.clusters.put(next);
    return { cluster: this.view(next, ['SETTINGS', 'CONFIGURATIONS', 'TAGS']) };
  }

  updateSettings(req: UpdateClusterSettingsRequest): UpdateClusterSettingsResponse {
    if (!req.settings) throw ecsError('InvalidParameterException', 'settings is required.');
    return this.update({ cluster: req.cluster, settings: req.settings });
  }

  /** The response shape: counts live on the cluster, optional parts only when asked for. */
  private view(c: StoredCluster, include: readonly string[]): Cluster {
    const counts = this.deps.store.tasks.counts(c.clusterArn);
    return {
      clusterArn: c.clusterArn,
      clusterName: c.clusterName,
      status: c.status,
      registeredContainerInstancesCount: 0,
      runningTasksCount: counts.running,
      pendingTasksCount: counts.pending,
      activeServicesCount: this.deps.store.services.listArns(c.clusterArn).length,
      statistics: include.includes('STATISTICS') ? [] : undefined,
      tags: include.includes('TAGS') ? this.deps.store.tags.list(c.clusterArn) : undefined,
      settings: include.includes('SETTINGS') ? c.settings : undefined,
      configuration: include.includes('CONFIGURATIONS') ? c.configuration : undefined,
      capacityProviders: c.capacityProviders,
      defaultCapacityProviderStrategy: c.defaultCapacityProviderStrategy,
      serviceConnectDefaults: c.serviceConnectDefaults,
    };
  }
}

function checkSettings(settings: ClusterSetting[]): ClusterSetting[] {
  for (const s of settings) {
    const allowed = s.name ? SETTING_VALUES[s.name] : undefined;
    if (!allowed) throw ecsError('InvalidParameterException', `Unknown cluster setting '${String(s.name)}'; the one setting is containerInsights.`);
    if (!s.value || !allowed.includes(s.value)) {
      throw ecsError('InvalidParameterException', `Cluster setting ${s.name} must be one of ${allowed.join(', ')}.`);
    }
  }
  return settings;
}

function mergeSettings(current: ClusterSetting[], updates: ClusterSetting[]): ClusterSetting[] {
  const byName = new Map(current.map((s) => [s.name, s]));
  for (const s of updates) byName.set(s.name, s);
  return [...byName.values()];
}
