import { S, type Shape } from '../api/index.js';

/** Input shapes of the EventBridge operations skiff serves, members as in the SDK model. */
const tags = S.list(S.struct({ Key: S.string, Value: S.string }, ['Key', 'Value']));
const deadLetter = S.struct({ Arn: S.string });
const retry = S.struct({ MaximumRetryAttempts: S.integer, MaximumEventAgeInSeconds: S.integer });
const awsvpc = S.struct({ Subnets: S.strings, SecurityGroups: S.strings, AssignPublicIp: S.string }, ['Subnets']);
const ecsParameters = S.struct(
  {
    TaskDefinitionArn: S.string,
    TaskCount: S.integer,
    LaunchType: S.string,
    NetworkConfiguration: S.struct({ awsvpcConfiguration: awsvpc }),
    PlatformVersion: S.string,
    Group: S.string,
    CapacityProviderStrategy: S.list(S.struct({ capacityProvider: S.string, weight: S.integer, base: S.integer }, ['capacityProvider'])),
    EnableECSManagedTags: S.boolean,
    EnableExecuteCommand: S.boolean,
    PlacementConstraints: S.list(S.struct({ type: S.string, expression: S.string })),
    PlacementStrategy: S.list(S.struct({ type: S.string, field: S.string })),
    PropagateTags: S.string,
    ReferenceId: S.string,
    Tags: tags,
  },
  ['TaskDefinitionArn'],
);
export const targetShape = S.struct(
  {
    Id: S.string,
    Arn: S.string,
    RoleArn: S.string,
    Input: S.string,
    InputPath: S.string,
    InputTransformer: S.struct({ InputPathsMap: S.map(S.string), InputTemplate: S.string }, ['InputTemplate']),
    KinesisParameters: S.any,
    RunCommandParameters: S.any,
    EcsParameters: ecsParameters,
    BatchParameters: S.any,
    SqsParameters: S.any,
    HttpParameters: S.any,
    RedshiftDataParameters: S.any,
    SageMakerPipelineParameters: S.any,
    DeadLetterConfig: deadLetter,
    RetryPolicy: retry,
    AppSyncParameters: S.any,
  },
  ['Id', 'Arn'],
);
const ruleRef = { Name: S.string, EventBusName: S.string };
const paging = { NextToken: S.string, Limit: S.integer };

export const eventsShapes = {
  CreateEventBus: S.struct(
    { Name: S.string, EventSourceName: S.string, Description: S.string, KmsKeyIdentifier: S.string, DeadLetterConfig: deadLetter, LogConfig: S.any, Tags: tags },
    ['Name'],
  ),
  DescribeEventBus: S.struct({ Name: S.string }),
  ListEventBuses: S.struct({ NamePrefix: S.string, ...paging }),
  DeleteEventBus: S.struct({ Name: S.string }, ['Name']),
  PutRule: S.struct(
    {
      Name: S.string,
      ScheduleExpression: S.string,
      EventPattern: S.string,
      State: S.string,
      Description: S.string,
      RoleArn: S.string,
      Tags: tags,
      EventBusName: S.string,
    },
    ['Name'],
  ),
  DescribeRule: S.struct(ruleRef, ['Name']),
  ListRules: S.struct({ NamePrefix: S.string, EventBusName: S.string, ...paging }),
  EnableRule: S.struct(ruleRef, ['Name']),
  DisableRule: S.struct(ruleRef, ['Name']),
  DeleteRule: S.struct({ ...ruleRef, Force: S.boolean }, ['Name']),
  PutTargets: S.struct({ Rule: S.string, EventBusName: S.string, Targets: S.list(targetShape) }, ['Rule', 'Targets']),
  RemoveTargets: S.struct({ Rule: S.string, EventBusName: S.string, Ids: S.strings, Force: S.boolean }, ['Rule', 'Ids']),
  ListTargetsByRule: S.struct({ Rule: S.string, EventBusName: S.string, ...paging }, ['Rule']),
  ListRuleNamesByTarget: S.struct({ TargetArn: S.string, EventBusName: S.string, ...paging }, ['TargetArn']),
  PutEvents: S.struct(
    {
      Entries: S.list(
        S.struct({
          Time: S.timestamp,
          Source: S.string,
          Resources: S.strings,
          DetailType: S.string,
          Detail: S.string,
          EventBusName: S.string,
          TraceHeader: S.string,
        }),
      ),
      EndpointId: S.string,
    },
    ['Entries'],
  ),
  TestEventPattern: S.struct({ EventPattern: S.string, Event: S.string }, ['EventPattern', 'Event']),
  TagResource: S.struct({ ResourceARN: S.string, Tags: tags }, ['ResourceARN', 'Tags']),
  UntagResource: S.struct({ ResourceARN: S.string, TagKeys: S.strings }, ['ResourceARN', 'TagKeys']),
  ListTagsForResource: S.struct({ ResourceARN: S.string }, ['ResourceARN']),
} satisfies Record<string, Shape>;

export type EventsOperation = keyof typeof eventsShapes;
