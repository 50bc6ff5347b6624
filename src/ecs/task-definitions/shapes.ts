import { S, type Shape } from '../../api/index.js';

/**
 * Input shapes of the task definition operations, member for member with
 * `@aws-sdk/client-ecs` (v3.1164). Members the SDK model marks required are
 * required here too, except a container's `name` and `image`, which validate.ts
 * checks so the caller gets ECS's own messages. Enum values are checked in
 * validate.ts (the shape checker only knows JSON types).
 */

const strings = S.strings;
const stringMap = S.map(S.string);
const keyValue = S.struct({ name: S.string, value: S.string });
const secret = S.struct({ name: S.string, valueFrom: S.string }, ['name', 'valueFrom']);

const portMapping = S.struct({
  containerPort: S.integer,
  hostPort: S.integer,
  protocol: S.string,
  name: S.string,
  appProtocol: S.string,
  containerPortRange: S.string,
});

const linuxParameters = S.struct({
  capabilities: S.struct({ add: strings, drop: strings }),
  devices: S.list(S.struct({ hostPath: S.string, containerPath: S.string, permissions: strings }, ['hostPath'])),
  initProcessEnabled: S.boolean,
  sharedMemorySize: S.integer,
  tmpfs: S.list(S.struct({ containerPath: S.string, size: S.integer, mountOptions: strings }, ['containerPath', 'size'])),
  maxSwap: S.integer,
  swappiness: S.integer,
});

const healthCheck = S.struct(
  { command: strings, interval: S.integer, timeout: S.integer, retries: S.integer, startPeriod: S.integer },
  ['command'],
);

const logConfiguration = S.struct(
  { logDriver: S.string, options: stringMap, secretOptions: S.list(secret) },
  ['logDriver'],
);

export const containerDefinitionShape: Shape = S.struct({
  name: S.string,
  image: S.string,
  repositoryCredentials: S.struct({ credentialsParameter: S.string }, ['credentialsParameter']),
  cpu: S.integer,
  memory: S.integer,
  memoryReservation: S.integer,
  links: strings,
  portMappings: S.list(portMapping),
  essential: S.boolean,
  restartPolicy: S.struct(
    { enabled: S.boolean, ignoredExitCodes: S.list(S.integer), restartAttemptPeriod: S.integer },
    ['enabled'],
  ),
  entryPoint: strings,
  command: strings,
  environment: S.list(keyValue),
  environmentFiles: S.list(S.struct({ value: S.string, type: S.string }, ['value', 'type'])),
  mountPoints: S.list(S.struct({ sourceVolume: S.string, containerPath: S.string, readOnly: S.boolean })),
  volumesFrom: S.list(S.struct({ sourceContainer: S.string, readOnly: S.boolean })),
  linuxParameters,
  secrets: S.list(secret),
  dependsOn: S.list(S.struct({ containerName: S.string, condition: S.string }, ['containerName', 'condition'])),
  startTimeout: S.integer,
  stopTimeout: S.integer,
  versionConsistency: S.string,
  hostname: S.string,
  user: S.string,
  workingDirectory: S.string,
  disableNetworking: S.boolean,
  privileged: S.boolean,
  readonlyRootFilesystem: S.boolean,
  dnsServers: strings,
  dnsSearchDomains: strings,
  extraHosts: S.list(S.struct({ hostname: S.string, ipAddress: S.string }, ['hostname', 'ipAddress'])),
  dockerSecurityOptions: strings,
  interactive: S.boolean,
  pseudoTerminal: S.boolean,
  dockerLabels: stringMap,
  ulimits: S.list(
    S.struct({ name: S.string, softLimit: S.integer, hardLimit: S.integer }, ['name', 'softLimit', 'hardLimit']),
  ),
  logConfiguration,
  healthCheck,
  systemControls: S.list(S.struct({ namespace: S.string, value: S.string })),
  resourceRequirements: S.list(S.struct({ value: S.string, type: S.string, sharingStrategy: S.string }, ['type'])),
  firelensConfiguration: S.struct({ type: S.string, options: stringMap }, ['type']),
  credentialSpecs: strings,
});

const volume = S.struct({
  name: S.string,
  host: S.struct({ sourcePath: S.string }),
  dockerVolumeConfiguration: S.struct({
    scope: S.string,
    autoprovision: S.boolean,
    driver: S.string,
    driverOpts: stringMap,
    labels: stringMap,
  }),
  efsVolumeConfiguration: S.struct(
    {
      fileSystemId: S.string,
      rootDirectory: S.string,
      transitEncryption: S.string,
      transitEncryptionPort: S.integer,
      authorizationConfig: S.struct({ accessPointId: S.string, iam: S.string }),
    },
    ['fileSystemId'],
  ),
  s3filesVolumeConfiguration: S.struct(
    { fileSystemArn: S.string, rootDirectory: S.string, transitEncryptionPort: S.integer, accessPointArn: S.string },
    ['fileSystemArn'],
  ),
  fsxWindowsFileServerVolumeConfiguration: S.struct(
    {
      fileSystemId: S.string,
      rootDirectory: S.string,
      authorizationConfig: S.struct({ credentialsParameter: S.string, domain: S.string }, ['credentialsParameter', 'domain']),
    },
    ['fileSystemId', 'rootDirectory', 'authorizationConfig'],
  ),
  configuredAtLaunch: S.boolean,
});

export const registerTaskDefinitionShape: Shape = S.struct(
  {
    family: S.string,
    taskRoleArn: S.string,
    executionRoleArn: S.string,
    networkMode: S.string,
    containerDefinitions: S.list(containerDefinitionShape),
    volumes: S.list(volume),
    placementConstraints: S.list(S.struct({ type: S.string, expression: S.string })),
    requiresCompatibilities: strings,
    cpu: S.string,
    memory: S.string,
    tags: S.list(S.struct({ key: S.string, value: S.string })),
    pidMode: S.string,
    ipcMode: S.string,
    proxyConfiguration: S.struct(
      { type: S.string, containerName: S.string, properties: S.list(keyValue) },
      ['containerName'],
    ),
    inferenceAccelerators: S.list(S.struct({ deviceName: S.string, deviceType: S.string }, ['deviceName', 'deviceType'])),
    ephemeralStorage: S.struct({ sizeInGiB: S.integer }, ['sizeInGiB']),
    runtimePlatform: S.struct({ cpuArchitecture: S.string, operatingSystemFamily: S.string }),
    enableFaultInjection: S.boolean,
  },
  ['family', 'containerDefinitions'],
);

export const describeTaskDefinitionShape: Shape = S.struct(
  { taskDefinition: S.string, include: strings },
  ['taskDefinition'],
);

export const listTaskDefinitionsShape: Shape = S.struct({
  familyPrefix: S.string,
  status: S.string,
  sort: S.string,
  nextToken: S.string,
  maxResults: S.integer,
});

export const listTaskDefinitionFamiliesShape: Shape = S.struct({
  familyPrefix: S.string,
  status: S.string,
  nextToken: S.string,
  maxResults: S.integer,
});

export const deregisterTaskDefinitionShape: Shape = S.struct({ taskDefinition: S.string }, ['taskDefinition']);

export const deleteTaskDefinitionsShape: Shape = S.struct({ taskDefinitions: strings }, ['taskDefinitions']);
