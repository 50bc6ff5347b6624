import type {
  CreateServiceRequest,
  CreateServiceResponse,
  DeleteServiceRequest,
  DeleteServiceResponse,
  DescribeServicesRequest,
  DescribeServicesResponse,
  Failure,
  ListServicesRequest,
  ListServicesResponse,
  Service,
  UpdateServiceRequest,
  UpdateServiceResponse,
} from '@aws-sdk/client-ecs';
import { decodeToken, formatArn, isArn, pageOf } from '../../core/index.js';
import type { StoredService, StoredTaskDefinition, Tag } from '../../store/index.js';
import type { Clusters } from '../clusters.js';
import type { EcsDeps } from '../context.js';
import { checkStrategy, strategyFor } from '../capacity.js';
import { EcsErrors, ecsError } from '../errors.js';
import { checkMaxResults } from '../paging.js';
import type { TaskDefinitions } from '../task-definitions/service.js';
import { validateTags } from '../task-definitions/validate.js';
import { addEvent, newDeployment, nextDeploymentId } from './deployments.js';

const NAME = /^[a-zA-Z0-9_-]{1,255}$/;

/** CreateService, UpdateService, DeleteService, DescribeServices, ListServices: intent for the service scheduler. */
export class Services {
  constructor(
    private readonly deps: EcsDeps,
    private readonly clusters: Clusters,
    private readonly taskDefinitions: TaskDefinitions,
  ) {}

  create(req: CreateServiceRequest): CreateServiceResponse {
    const cluster = this.clusters.require(req.cluster);
    const name = req.serviceName ?? '';
    if (!NAME.test(name)) throw ecsError('InvalidParameterException', 'Service name can have up to 255 letters, numbers, hyphens and underscores.');
    const arn = formatArn(this.deps.scope, 'ecs', `service/${cluster.clusterName}/${name}`);
    const existing = this.deps.store.services.get(arn);
    if (existing && existing.status !== 'INACTIVE') throw ecsError('InvalidParameterException', 'Creation of service was not idempotent.');
    const td = this.requireTaskDefinition(req.taskDefinition);
    const strategy = strategyFor(req, cluster);
    checkServiceConfig(req, td);
    const tags = (req.tags ?? []) as Tag[];
    validateTags(tags);
    const now = this.deps.clock.now();
    const service: StoredService = {
      serviceArn: arn,
      serviceName: name,
      clusterArn: cluster.clusterArn,
      loadBalancers: req.loadBalancers ?? [],
      serviceRegistries: [],
      status: 'ACTIVE',
      desiredCount: req.desiredCount ?? 0,
      runningCount: 0,
      pendingCount: 0,
      launchType: strategy ? undefined : (req.launchType ?? 'FARGATE'),
      capacityProviderStrategy: strategy,
      platformVersion: req.platformVersion ?? 'LATEST',
      platformFamily: 'Linux',
      taskDefinition: td.taskDefinitionArn,
      deploymentConfiguration: {
        deploymentCircuitBreaker: req.deploymentConfiguration?.deploymentCircuitBreaker ?? { enable: false, rollback: false },
        maximumPercent: req.deploymentConfiguration?.maximumPercent ?? 200,
        minimumHealthyPercent: req.deploymentConfiguration?.minimumHealthyPercent ?? 100,
      },
      deployments: [],
      events: [],
      createdAt: now,
      placementConstraints: req.placementConstraints ?? [],
      placementStrategy: req.placementStrategy ?? [],
      networkConfiguration: req.networkConfiguration,
      healthCheckGracePeriodSeconds: req.healthCheckGracePeriodSeconds ?? (req.loadBalancers?.length ? 0 : undefined),
      schedulingStrategy: 'REPLICA',
      deploymentController: { type: 'ECS' },
      createdBy: `arn:aws:iam::${this.deps.scope.account}:root`,
      enableECSManagedTags: req.enableECSManagedTags ?? false,
      propagateTags: req.propagateTags ?? 'NONE',
      enableExecuteCommand: req.enableExecuteCommand ?? false,
      runtime: { failureStreak: 0, draining: {}, registered: [], counted: [], steady: false },
    };
    service.deployments = [newDeployment(service, td.taskDefinitionArn, now, service.desiredCount ?? 0, nextDeploymentId(service, now))];
    this.deps.store.db.transaction(() => {
      this.deps.store.services.put(service);
      this.deps.store.tags.removeAll(arn);
      this.deps.store.tags.put(arn, tags);
    })();
    this.deps.onServiceChanged?.(arn);
    return { service: this.view(service) };
  }

  update(req: UpdateServiceRequest): UpdateServiceResponse {
    const service = this.requireService(req.cluster, req.service);
    if (service.status !== 'ACTIVE') throw ecsError('ServiceNotActiveException', 'Service was not ACTIVE.');
    const now = this.deps.clock.now();
    const td = req.taskDefinition ? this.requireTaskDefinition(req.taskDefinition) : undefined;
    if (req.desiredCount !== undefined) {
      if (req.desiredCount < 0) throw ecsError('InvalidParameterException', 'desiredCount must be 0 or more.');
      service.desiredCount = req.desiredCount;
    }
    if (req.deploymentConfiguration) {
      checkDeploymentConfiguration(req.deploymentConfiguration);
      service.deploymentConfiguration = { ...service.deploymentConfiguration, ...req.deploymentConfiguration };
    }
    if (req.healthCheckGracePeriodSeconds !== undefined) service.healthCheckGracePeriodSeconds = req.healthCheckGracePeriodSeconds;
    if (req.networkConfiguration) service.networkConfiguration = req.networkConfiguration;
    if (req.loadBalancers) service.loadBalancers = req.loadBalancers;
    if (req.capacityProviderStrategy) {
      // an empty strategy goes back to the launch type (FARGATE)
      const cluster = this.clusters.require(service.clusterArn);
      const strategy = checkStrategy(req.capacityProviderStrategy, cluster.capacityProviders ?? []);
      service.capacityProviderStrategy = strategy.length > 0 ? strategy : undefined;
      service.launchType = strategy.length > 0 ? undefined : 'FARGATE';
    }
    const changedTd = td !== undefined && td.taskDefinitionArn !== service.taskDefinition;
    if (changedTd || req.forceNewDeployment || req.networkConfiguration || req.capacityProviderStrategy) {
      const target = td?.taskDefinitionArn ?? service.taskDefinition ?? '';
      for (const d of service.deployments ?? []) if (d.status === 'PRIMARY') d.status = 'ACTIVE';
      service.taskDefinition = target;
      service.deployments = [newDeployment(service, target, now, service.desiredCount ?? 0, nextDeploymentId(service, now)), ...(service.deployments ?? [])];
      service.runtime.failureStreak = 0;
      service.runtime.nextLaunchAt = undefined;
      service.runtime.steady = false;
    }
    this.deps.store.services.put(service);
    this.deps.onServiceChanged?.(service.serviceArn);
    return { service: this.view(service) };
  }

  delete(req: DeleteServiceRequest): DeleteServiceResponse {
    const service = this.requireService(req.cluster, req.service);
    if (service.status !== 'ACTIVE') return { service: this.view(service) };
    if ((service.desiredCount ?? 0) > 0 && !req.force) {
      throw ecsError('InvalidParameterException', 'The service cannot be stopped while it is scaled above 0.');
    }
    service.status = 'DRAINING';
    service.desiredCount = 0;
    addEvent(service, this.deps.clock.now(), `(service ${service.serviceName}) has begun draining connections on its tasks.`);
    this.deps.store.services.put(service);
    this.deps.onServiceChanged?.(service.serviceArn);
    return { service: this.view(service) };
  }

  describe(req: DescribeServicesRequest): DescribeServicesResponse {
    const cluster = this.clusters.require(req.cluster);
    const refs = req.services ?? [];
    if (refs.length < 1 || refs.length > 10) throw ecsError('InvalidParameterException', 'services must name from 1 to 10 services.');
    const withTags = (req.include ?? []).includes('TAGS');
    const services: Service[] = [];
    const failures: Failure[] = [];
    for (const ref of refs) {
      const s = this.deps.store.services.get(this.arnOf(cluster.clusterName, ref));
      if (s) services.push(this.view(s, withTags));
      else failures.push({ arn: this.arnOf(cluster.clusterName, ref), reason: 'MISSING' });
    }
    return { services, failures };
  }

  list(req: ListServicesRequest): ListServicesResponse {
    const cluster = this.clusters.require(req.cluster);
    const limit = checkMaxResults(req.maxResults, 100);
    const after = req.nextToken ? decodeToken(req.nextToken, EcsErrors.InvalidParameterException) : undefined;
    const page = pageOf(this.deps.store.services.listArns(cluster.clusterArn), (a) => a, req.maxResults === undefined ? 10 : limit, after);
    return { serviceArns: page.items, nextToken: page.nextToken };
  }

  /** The ACTIVE or DRAINING service a request names. */
  requireService(clusterRef: string | undefined, ref: string | undefined): StoredService {
    const cluster = this.clusters.require(clusterRef);
    const s = ref ? this.deps.store.services.get(this.arnOf(cluster.clusterName, ref)) : undefined;
    if (!s || s.status === 'INACTIVE') throw ecsError('ServiceNotFoundException', 'Service not found.');
    return s;
  }

  view(s: StoredService, withTags = false): Service {
    const { runtime: _runtime, ...rest } = s;
    return { ...rest, tags: withTags ? this.deps.store.tags.list(s.serviceArn) : undefined };
  }

  private arnOf(clusterName: string, ref: string): string {
    return isArn(ref) ? ref : formatArn(this.deps.scope, 'ecs', `service/${clusterName}/${ref}`);
  }

  private requireTaskDefinition(ref: string | undefined): StoredTaskDefinition {
    const td = ref ? this.taskDefinitions.resolve(ref) : undefined;
    if (!td || td.status !== 'ACTIVE') throw ecsError('ClientException', `TaskDefinition not found: ${ref ?? '(none given)'}.`);
    return td;
  }
}

function checkDeploymentConfiguration(cfg: NonNullable<CreateServiceRequest['deploymentConfiguration']>): void {
  const max = cfg.maximumPercent ?? 200;
  const min = cfg.minimumHealthyPercent ?? 100;
  if (min < 0 || min > 100) throw ecsError('InvalidParameterException', 'minimumHealthyPercent must be between 0 and 100.');
  if (max < 100 || max > 2000 || max <= min) {
    throw ecsError('InvalidParameterException', 'maximumPercent must be from 100 to 2000 and greater than minimumHealthyPercent.');
  }
}

function checkServiceConfig(req: CreateServiceRequest, td: StoredTaskDefinition): void {
  if ((req.desiredCount ?? 0) < 0) throw ecsError('InvalidParameterException', 'desiredCount must be 0 or more.');
  if (req.deploymentConfiguration) checkDeploymentConfiguration(req.deploymentConfiguration);
  if (td.networkMode === 'awsvpc' && !req.networkConfiguration?.awsvpcConfiguration) {
    throw ecsError('InvalidParameterException', "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
  for (const lb of req.loadBalancers ?? []) {
    if (!lb.targetGroupArn) throw ecsError('InvalidParameterException', 'A load balancer entry needs a targetGroupArn (Application Load Balancers).');
    const cd = td.containerDefinitions?.find((c) => c.name === lb.containerName);
    if (!cd) throw ecsError('InvalidParameterException', `The container ${lb.containerName ?? ''} does not exist in the task definition.`);
    if (!(cd.portMappings ?? []).some((p) => p.containerPort === lb.containerPort)) {
      throw ecsError('InvalidParameterException', `The container ${cd.name ?? ''} did not have a container port ${String(lb.containerPort)} defined.`);
    }
  }
}
