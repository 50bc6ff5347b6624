import { S, type Shape } from '../api/index.js';

/** Input shapes of the cluster and tag operations (task definitions: task-definitions/shapes.ts). */
const tag = S.struct({ key: S.string, value: S.string });
export const tagsShape = S.list(tag);
const setting = S.struct({ name: S.string, value: S.string });
const executeCommandConfiguration = S.struct({
  kmsKeyId: S.string,
  logging: S.string,
  logConfiguration: S.struct({
    cloudWatchLogGroupName: S.string,
    cloudWatchEncryptionEnabled: S.boolean,
    s3BucketName: S.string,
    s3EncryptionEnabled: S.boolean,
    s3KeyPrefix: S.string,
  }),
});
const configuration = S.struct({
  executeCommandConfiguration,
  managedStorageConfiguration: S.struct({ kmsKeyId: S.string, fargateEphemeralStorageKmsKeyId: S.string }),
});
const strategy = S.list(S.struct({ capacityProvider: S.string, weight: S.integer, base: S.integer }, ['capacityProvider']));

export const clusterShapes = {
  CreateCluster: S.struct({
    clusterName: S.string,
    tags: tagsShape,
    settings: S.list(setting),
    configuration,
    capacityProviders: S.strings,
    defaultCapacityProviderStrategy: strategy,
    serviceConnectDefaults: S.struct({ namespace: S.string }),
  }),
  DescribeClusters: S.struct({ clusters: S.strings, include: S.strings }),
  ListClusters: S.struct({ nextToken: S.string, maxResults: S.integer }),
  DeleteCluster: S.struct({ cluster: S.string }, ['cluster']),
  UpdateCluster: S.struct(
    { cluster: S.string, settings: S.list(setting), configuration, serviceConnectDefaults: S.struct({ namespace: S.string }) },
    ['cluster'],
  ),
  UpdateClusterSettings: S.struct({ cluster: S.string, settings: S.list(setting) }, ['cluster', 'settings']),
  PutClusterCapacityProviders: S.struct(
    { cluster: S.string, capacityProviders: S.strings, defaultCapacityProviderStrategy: strategy },
    ['cluster', 'capacityProviders', 'defaultCapacityProviderStrategy'],
  ),
  PutAccountSetting: S.struct({ name: S.string, value: S.string, principalArn: S.string }, ['name', 'value']),
  PutAccountSettingDefault: S.struct({ name: S.string, value: S.string }, ['name', 'value']),
  DeleteAccountSetting: S.struct({ name: S.string, principalArn: S.string }, ['name']),
  ListAccountSettings: S.struct({ name: S.string, value: S.string, principalArn: S.string, effectiveSettings: S.boolean, nextToken: S.string, maxResults: S.integer }),
  ListContainerInstances: S.struct({ cluster: S.string, filter: S.string, nextToken: S.string, maxResults: S.integer, status: S.string }),
  DescribeContainerInstances: S.struct({ cluster: S.string, containerInstances: S.strings, include: S.strings }, ['containerInstances']),
  DescribeCapacityProviders: S.struct({ capacityProviders: S.strings, cluster: S.string, include: S.strings, maxResults: S.integer, nextToken: S.string }),
  TagResource: S.struct({ resourceArn: S.string, tags: tagsShape }, ['resourceArn', 'tags']),
  UntagResource: S.struct({ resourceArn: S.string, tagKeys: S.strings }, ['resourceArn', 'tagKeys']),
  ListTagsForResource: S.struct({ resourceArn: S.string }, ['resourceArn']),
} satisfies Record<string, Shape>;
