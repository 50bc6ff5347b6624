import { S, type Shape } from '../../api/index.js';
import { tagsShape } from '../shapes.js';

const keyValues = S.list(S.struct({ name: S.string, value: S.string }));
const containerOverride = S.struct({
  name: S.string,
  command: S.strings,
  environment: keyValues,
  environmentFiles: S.list(S.struct({ value: S.string, type: S.string })),
  cpu: S.integer,
  memory: S.integer,
  memoryReservation: S.integer,
  resourceRequirements: S.list(S.struct({ value: S.string, type: S.string })),
});
const awsvpcConfiguration = S.struct({ subnets: S.strings, securityGroups: S.strings, assignPublicIp: S.string }, ['subnets']);
const strategy = S.list(S.struct({ capacityProvider: S.string, weight: S.integer, base: S.integer }, ['capacityProvider']));

export const taskShapes = {
  RunTask: S.struct(
    {
      capacityProviderStrategy: strategy,
      cluster: S.string,
      count: S.integer,
      enableECSManagedTags: S.boolean,
      enableExecuteCommand: S.boolean,
      group: S.string,
      launchType: S.string,
      networkConfiguration: S.struct({ awsvpcConfiguration }),
      overrides: S.struct({
        containerOverrides: S.list(containerOverride),
        cpu: S.string,
        inferenceAcceleratorOverrides: S.list(S.struct({ deviceName: S.string, deviceType: S.string })),
        executionRoleArn: S.string,
        memory: S.string,
        taskRoleArn: S.string,
        ephemeralStorage: S.struct({ sizeInGiB: S.integer }, ['sizeInGiB']),
      }),
      placementConstraints: S.list(S.struct({ type: S.string, expression: S.string })),
      placementStrategy: S.list(S.struct({ type: S.string, field: S.string })),
      platformVersion: S.string,
      propagateTags: S.string,
      referenceId: S.string,
      startedBy: S.string,
      tags: tagsShape,
      taskDefinition: S.string,
      clientToken: S.string,
      volumeConfigurations: S.list(S.any),
    },
    ['taskDefinition'],
  ),
  StopTask: S.struct({ cluster: S.string, task: S.string, reason: S.string }, ['task']),
  DescribeTasks: S.struct({ cluster: S.string, tasks: S.strings, include: S.strings }, ['tasks']),
  ListTasks: S.struct({
    cluster: S.string,
    containerInstance: S.string,
    family: S.string,
    nextToken: S.string,
    maxResults: S.integer,
    startedBy: S.string,
    serviceName: S.string,
    desiredStatus: S.string,
    launchType: S.string,
  }),
  UpdateTaskProtection: S.struct({ cluster: S.string, tasks: S.strings, protectionEnabled: S.boolean, expiresInMinutes: S.integer }, ['cluster', 'tasks', 'protectionEnabled']),
  GetTaskProtection: S.struct({ cluster: S.string, tasks: S.strings }, ['cluster']),
} satisfies Record<string, Shape>;
