import { S, type Shape } from '../../api/index.js';
import { tagsShape } from '../shapes.js';

const awsvpcConfiguration = S.struct({ subnets: S.strings, securityGroups: S.strings, assignPublicIp: S.string }, ['subnets']);
const networkConfiguration = S.struct({ awsvpcConfiguration });
const loadBalancers = S.list(S.struct({ targetGroupArn: S.string, loadBalancerName: S.string, containerName: S.string, containerPort: S.integer, advancedConfiguration: S.any }));
const deploymentConfiguration = S.struct({
  deploymentCircuitBreaker: S.struct({ enable: S.boolean, rollback: S.boolean }, ['enable', 'rollback']),
  maximumPercent: S.integer,
  minimumHealthyPercent: S.integer,
  alarms: S.struct({ alarmNames: S.strings, rollback: S.boolean, enable: S.boolean }),
  strategy: S.string,
  bakeTimeInMinutes: S.integer,
  lifecycleHooks: S.list(S.any),
  linearConfiguration: S.any,
  canaryConfiguration: S.any,
});
const strategy = S.list(S.struct({ capacityProvider: S.string, weight: S.integer, base: S.integer }, ['capacityProvider']));
const placement = {
  placementConstraints: S.list(S.struct({ type: S.string, expression: S.string })),
  placementStrategy: S.list(S.struct({ type: S.string, field: S.string })),
};
const common = {
  cluster: S.string,
  taskDefinition: S.string,
  loadBalancers,
  desiredCount: S.integer,
  capacityProviderStrategy: strategy,
  platformVersion: S.string,
  deploymentConfiguration,
  networkConfiguration,
  healthCheckGracePeriodSeconds: S.integer,
  enableExecuteCommand: S.boolean,
  enableECSManagedTags: S.boolean,
  propagateTags: S.string,
  serviceRegistries: S.list(S.any),
  serviceConnectConfiguration: S.any,
  volumeConfigurations: S.list(S.any),
  vpcLatticeConfigurations: S.list(S.any),
  availabilityZoneRebalancing: S.string,
  deploymentController: S.struct({ type: S.string }),
  ...placement,
};

export const serviceShapes = {
  CreateService: S.struct(
    { ...common, serviceName: S.string, clientToken: S.string, launchType: S.string, role: S.string, schedulingStrategy: S.string, tags: tagsShape },
    ['serviceName'],
  ),
  UpdateService: S.struct({ ...common, service: S.string, forceNewDeployment: S.boolean }, ['service']),
  DeleteService: S.struct({ cluster: S.string, service: S.string, force: S.boolean }, ['service']),
  DescribeServices: S.struct({ cluster: S.string, services: S.strings, include: S.strings }, ['services']),
  ListServices: S.struct({ cluster: S.string, nextToken: S.string, maxResults: S.integer, launchType: S.string, schedulingStrategy: S.string, resourceManagementType: S.string }),
} satisfies Record<string, Shape>;
