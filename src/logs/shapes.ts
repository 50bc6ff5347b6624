import { S, type Shape } from '../api/index.js';

/** Input shapes of the CloudWatch Logs operations skiff serves, members as in the SDK model. */
const tagMap = S.map(S.string);
const groupRef = { logGroupName: S.string, logGroupIdentifier: S.string };
const inputLogEvent = S.struct({ timestamp: S.integer, message: S.string }, ['timestamp', 'message']);

export const logsShapes = {
  CreateLogGroup: S.struct(
    { logGroupName: S.string, kmsKeyId: S.string, tags: tagMap, logGroupClass: S.string, deletionProtectionEnabled: S.boolean },
    ['logGroupName'],
  ),
  DescribeLogGroups: S.struct({
    accountIdentifiers: S.strings,
    logGroupNamePrefix: S.string,
    logGroupNamePattern: S.string,
    nextToken: S.string,
    limit: S.integer,
    includeLinkedAccounts: S.boolean,
    logGroupClass: S.string,
    logGroupIdentifiers: S.strings,
  }),
  DeleteLogGroup: S.struct({ logGroupName: S.string }, ['logGroupName']),
  PutRetentionPolicy: S.struct({ logGroupName: S.string, retentionInDays: S.integer }, ['logGroupName', 'retentionInDays']),
  DeleteRetentionPolicy: S.struct({ logGroupName: S.string }, ['logGroupName']),
  CreateLogStream: S.struct({ logGroupName: S.string, logStreamName: S.string }, ['logGroupName', 'logStreamName']),
  DescribeLogStreams: S.struct({
    ...groupRef,
    logStreamNamePrefix: S.string,
    orderBy: S.string,
    descending: S.boolean,
    nextToken: S.string,
    limit: S.integer,
  }),
  DeleteLogStream: S.struct({ logGroupName: S.string, logStreamName: S.string }, ['logGroupName', 'logStreamName']),
  PutLogEvents: S.struct(
    { logGroupName: S.string, logStreamName: S.string, logEvents: S.list(inputLogEvent), sequenceToken: S.string, entity: S.any },
    ['logGroupName', 'logStreamName', 'logEvents'],
  ),
  GetLogEvents: S.struct(
    {
      ...groupRef,
      logStreamName: S.string,
      startTime: S.integer,
      endTime: S.integer,
      nextToken: S.string,
      limit: S.integer,
      startFromHead: S.boolean,
      unmask: S.boolean,
    },
    ['logStreamName'],
  ),
  FilterLogEvents: S.struct({
    ...groupRef,
    logStreamNames: S.strings,
    logStreamNamePrefix: S.string,
    startTime: S.integer,
    endTime: S.integer,
    filterPattern: S.string,
    nextToken: S.string,
    limit: S.integer,
    startFromHead: S.boolean,
    interleaved: S.boolean,
    unmask: S.boolean,
  }),
  TagResource: S.struct({ resourceArn: S.string, tags: tagMap }, ['resourceArn', 'tags']),
  UntagResource: S.struct({ resourceArn: S.string, tagKeys: S.strings }, ['resourceArn', 'tagKeys']),
  ListTagsForResource: S.struct({ resourceArn: S.string }, ['resourceArn']),
  TagLogGroup: S.struct({ logGroupName: S.string, tags: tagMap }, ['logGroupName', 'tags']),
  UntagLogGroup: S.struct({ logGroupName: S.string, tags: S.strings }, ['logGroupName', 'tags']),
  ListTagsLogGroup: S.struct({ logGroupName: S.string }, ['logGroupName']),
} satisfies Record<string, Shape>;

export type LogsOperation = keyof typeof logsShapes;
