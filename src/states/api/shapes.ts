import { S, type Shape } from '../../api/index.js';

/** Input shapes of the Step Functions operations skiff serves, members as in the SDK model. */
const tags = S.list(S.struct({ key: S.string, value: S.string }));
const logging = S.struct({ level: S.string, includeExecutionData: S.boolean, destinations: S.list(S.any) });
const tracing = S.struct({ enabled: S.boolean });
const encryption = S.struct({ kmsKeyId: S.string, kmsDataKeyReusePeriodSeconds: S.integer, type: S.string });
const paged = { maxResults: S.integer, nextToken: S.string };

export const statesShapes = {
  CreateStateMachine: S.struct(
    {
      name: S.string, definition: S.string, roleArn: S.string, type: S.string, loggingConfiguration: logging, tags,
      tracingConfiguration: tracing, publish: S.boolean, versionDescription: S.string, encryptionConfiguration: encryption,
    },
    ['name', 'definition', 'roleArn'],
  ),
  DescribeStateMachine: S.struct({ stateMachineArn: S.string, includedData: S.string }, ['stateMachineArn']),
  UpdateStateMachine: S.struct(
    {
      stateMachineArn: S.string, definition: S.string, roleArn: S.string, loggingConfiguration: logging, tracingConfiguration: tracing,
      publish: S.boolean, versionDescription: S.string, encryptionConfiguration: encryption,
    },
    ['stateMachineArn'],
  ),
  DeleteStateMachine: S.struct({ stateMachineArn: S.string }, ['stateMachineArn']),
  ListStateMachines: S.struct({ ...paged }),
  PublishStateMachineVersion: S.struct({ stateMachineArn: S.string, revisionId: S.string, description: S.string }, ['stateMachineArn']),
  ListStateMachineVersions: S.struct({ stateMachineArn: S.string, ...paged }, ['stateMachineArn']),
  DeleteStateMachineVersion: S.struct({ stateMachineVersionArn: S.string }, ['stateMachineVersionArn']),
  ValidateStateMachineDefinition: S.struct({ definition: S.string, type: S.string, severity: S.string, maxResults: S.integer }, ['definition']),
  StartExecution: S.struct({ stateMachineArn: S.string, name: S.string, input: S.string, traceHeader: S.string }, ['stateMachineArn']),
  StartSyncExecution: S.struct({ stateMachineArn: S.string, name: S.string, input: S.string, traceHeader: S.string, includedData: S.string }, ['stateMachineArn']),
  StopExecution: S.struct({ executionArn: S.string, error: S.string, cause: S.string }, ['executionArn']),
  DescribeExecution: S.struct({ executionArn: S.string, includedData: S.string }, ['executionArn']),
  ListExecutions: S.struct({ stateMachineArn: S.string, statusFilter: S.string, mapRunArn: S.string, redriveFilter: S.string, ...paged }),
  GetExecutionHistory: S.struct(
    { executionArn: S.string, reverseOrder: S.boolean, includeExecutionData: S.boolean, ...paged },
    ['executionArn'],
  ),
  DescribeStateMachineForExecution: S.struct({ executionArn: S.string, includedData: S.string }, ['executionArn']),
  CreateActivity: S.struct({ name: S.string, tags, encryptionConfiguration: encryption }, ['name']),
  DescribeActivity: S.struct({ activityArn: S.string }, ['activityArn']),
  DeleteActivity: S.struct({ activityArn: S.string }, ['activityArn']),
  ListActivities: S.struct({ ...paged }),
  GetActivityTask: S.struct({ activityArn: S.string, workerName: S.string }, ['activityArn']),
  SendTaskSuccess: S.struct({ taskToken: S.string, output: S.string }, ['taskToken', 'output']),
  SendTaskFailure: S.struct({ taskToken: S.string, error: S.string, cause: S.string }, ['taskToken']),
  SendTaskHeartbeat: S.struct({ taskToken: S.string }, ['taskToken']),
  TagResource: S.struct({ resourceArn: S.string, tags }, ['resourceArn', 'tags']),
  UntagResource: S.struct({ resourceArn: S.string, tagKeys: S.strings }, ['resourceArn', 'tagKeys']),
  ListTagsForResource: S.struct({ resourceArn: S.string }, ['resourceArn']),
} satisfies Record<string, Shape>;

export type StatesOperation = keyof typeof statesShapes;
