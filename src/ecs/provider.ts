import { shapedOperations, type Handler, type JsonService } from '../api/index.js';
import { AccountSettings } from './account-settings.js';
import { CapacityProviders } from './capacity.js';
import { Clusters } from './clusters.js';
import type { EcsDeps } from './context.js';
import { EcsErrors, ecsError } from './errors.js';
import { clusterShapes } from './shapes.js';
import { EcsTags } from './tags.js';
import { TaskDefinitions } from './task-definitions/service.js';
import { Services } from './services/api.js';
import { serviceShapes } from './services/shapes.js';
import { Tasks } from './tasks/api.js';
import { TaskProtection } from './tasks/protection.js';
import { taskShapes } from './tasks/shapes.js';
import {
  deleteTaskDefinitionsShape,
  deregisterTaskDefinitionShape,
  describeTaskDefinitionShape,
  listTaskDefinitionFamiliesShape,
  listTaskDefinitionsShape,
  registerTaskDefinitionShape,
} from './task-definitions/shapes.js';

/** Operations check their input against its shape before the handler sees it. */
const op = shapedOperations(EcsErrors.InvalidParameterException);

export interface EcsProvider {
  readonly service: JsonService;
  readonly clusters: Clusters;
  readonly taskDefinitions: TaskDefinitions;
  readonly tasks: Tasks;
  readonly services: Services;
  readonly protection: TaskProtection;
}

function unsupported(what: string): Handler {
  return () => {
    throw ecsError('UnsupportedFeatureException', what);
  };
}

/** The ECS API (awsJson 1.1, `AmazonEC2ContainerServiceV20141113`). */
export function createEcsProvider(deps: EcsDeps): EcsProvider {
  const accountSettings = new AccountSettings(deps);
  const clusters = new Clusters(deps, accountSettings);
  const capacity = new CapacityProviders(deps);
  const taskDefinitions = new TaskDefinitions(deps);
  const tags = new EcsTags(deps, clusters, taskDefinitions);
  const tasks = new Tasks(deps, clusters, taskDefinitions);
  const t = taskShapes;
  const protection = new TaskProtection(deps, clusters, tasks);
  const services = new Services(deps, clusters, taskDefinitions);
  const sv = serviceShapes;
  const c = clusterShapes;
  const operations: Record<string, Handler> = {
    CreateCluster: op(c.CreateCluster, clusters.create.bind(clusters)),
    DescribeClusters: op(c.DescribeClusters, clusters.describe.bind(clusters)),
    ListClusters: op(c.ListClusters, clusters.list.bind(clusters)),
    DeleteCluster: op(c.DeleteCluster, clusters.delete.bind(clusters)),
    UpdateCluster: op(c.UpdateCluster, clusters.update.bind(clusters)),
    UpdateClusterSettings: op(c.UpdateClusterSettings, clusters.updateSettings.bind(clusters)),
    PutClusterCapacityProviders: op(c.PutClusterCapacityProviders, clusters.putCapacityProviders.bind(clusters)),
    DescribeCapacityProviders: op(c.DescribeCapacityProviders, capacity.describe.bind(capacity)),
    PutAccountSetting: op(c.PutAccountSetting, accountSettings.put.bind(accountSettings)),
    PutAccountSettingDefault: op(c.PutAccountSettingDefault, accountSettings.putDefault.bind(accountSettings)),
    DeleteAccountSetting: op(c.DeleteAccountSetting, accountSettings.delete.bind(accountSettings)),
    ListAccountSettings: op(c.ListAccountSettings, accountSettings.list.bind(accountSettings)),
    RegisterTaskDefinition: op(registerTaskDefinitionShape, taskDefinitions.register.bind(taskDefinitions)),
    DescribeTaskDefinition: op(describeTaskDefinitionShape, taskDefinitions.describe.bind(taskDefinitions)),
    ListTaskDefinitions: op(listTaskDefinitionsShape, taskDefinitions.list.bind(taskDefinitions)),
    ListTaskDefinitionFamilies: op(listTaskDefinitionFamiliesShape, taskDefinitions.listFamilies.bind(taskDefinitions)),
    DeregisterTaskDefinition: op(deregisterTaskDefinitionShape, taskDefinitions.deregister.bind(taskDefinitions)),
    DeleteTaskDefinitions: op(deleteTaskDefinitionsShape, taskDefinitions.delete.bind(taskDefinitions)),
    RunTask: op(t.RunTask, tasks.run.bind(tasks)),
    StopTask: op(t.StopTask, tasks.stop.bind(tasks)),
    DescribeTasks: op(t.DescribeTasks, tasks.describe.bind(tasks)),
    ListTasks: op(t.ListTasks, tasks.list.bind(tasks)),
    // Fargate clusters have no container instances: the lists are empty, every ARN missing
    ListContainerInstances: op(c.ListContainerInstances, (req: { cluster?: string; maxResults?: number }) => {
      clusters.require(req.cluster);
      return { containerInstanceArns: [] };
    }),
    DescribeContainerInstances: op(c.DescribeContainerInstances, (req: { cluster?: string; containerInstances?: string[] }) => {
      clusters.require(req.cluster);
      return { containerInstances: [], failures: (req.containerInstances ?? []).map((arn) => ({ arn, reason: 'MISSING' })) };
    }),
    StartTask: unsupported('StartTask places tasks on EC2 container instances, which skiff does not have: use RunTask.'),
    UpdateTaskProtection: op(t.UpdateTaskProtection, protection.update.bind(protection)),
    GetTaskProtection: op(t.GetTaskProtection, protection.get.bind(protection)),
    CreateService: op(sv.CreateService, services.create.bind(services)),
    UpdateService: op(sv.UpdateService, services.update.bind(services)),
    DeleteService: op(sv.DeleteService, services.delete.bind(services)),
    DescribeServices: op(sv.DescribeServices, services.describe.bind(services)),
    ListServices: op(sv.ListServices, services.list.bind(services)),
    ListServicesByNamespace: unsupported('Service Connect namespaces are not supported by skiff yet.'),
    TagResource: op(c.TagResource, tags.tag.bind(tags)),
    UntagResource: op(c.UntagResource, tags.untag.bind(tags)),
    ListTagsForResource: op(c.ListTagsForResource, tags.list.bind(tags)),
  };
  return {
    service: {
      protocol: 'awsJson1_1',
      signingName: 'ecs',
      targetPrefix: 'AmazonEC2ContainerServiceV20141113',
      serverErrorCode: 'ServerException',
      operations,
    },
    clusters,
    taskDefinitions,
    tasks,
    services,
    protection,
  };
}
