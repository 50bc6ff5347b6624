import { S, checkShape, type RawHandler, type Shape } from '../../api/index.js';
import type { Logger } from '../../core/index.js';
import { SchedulerErrors } from './errors.js';
import type { Groups } from './groups.js';
import { restJsonHandler, type RestRequest, type RestRoute } from './rest.js';
import type { Schedules } from './schedules.js';
import type { ScheduleInput } from './validate.js';

/** EventBridge Scheduler's restJson API, signing name `scheduler`. */
export const SCHEDULER_SIGNING_NAME = 'scheduler';

const awsvpc = S.struct({ Subnets: S.strings, SecurityGroups: S.strings, AssignPublicIp: S.string });
const target = S.struct({
  Arn: S.string,
  RoleArn: S.string,
  Input: S.string,
  DeadLetterConfig: S.struct({ Arn: S.string }),
  RetryPolicy: S.struct({ MaximumEventAgeInSeconds: S.integer, MaximumRetryAttempts: S.integer }),
  EcsParameters: S.struct({
    TaskDefinitionArn: S.string,
    TaskCount: S.integer,
    LaunchType: S.string,
    NetworkConfiguration: S.struct({ awsvpcConfiguration: awsvpc }),
    PlatformVersion: S.string,
    Group: S.string,
    CapacityProviderStrategy: S.any,
    EnableECSManagedTags: S.boolean,
    EnableExecuteCommand: S.boolean,
    PlacementConstraints: S.any,
    PlacementStrategy: S.any,
    PropagateTags: S.string,
    ReferenceId: S.string,
    Tags: S.list(S.map(S.string)),
  }),
  EventBridgeParameters: S.struct({ DetailType: S.string, Source: S.string }),
  KinesisParameters: S.any,
  SageMakerPipelineParameters: S.any,
  SqsParameters: S.any,
});
const schedule = S.struct({
  ScheduleExpression: S.string,
  Target: target,
  FlexibleTimeWindow: S.struct({ Mode: S.string, MaximumWindowInMinutes: S.integer }),
  GroupName: S.string,
  StartDate: S.timestamp,
  EndDate: S.timestamp,
  Description: S.string,
  ScheduleExpressionTimezone: S.string,
  State: S.string,
  KmsKeyArn: S.string,
  ClientToken: S.string,
  ActionAfterCompletion: S.string,
});
const tags = S.list(S.struct({ Key: S.string, Value: S.string }));
const group = S.struct({ Tags: tags, ClientToken: S.string });

function body<I>(shape: Shape, r: RestRequest): I {
  checkShape(r.body, shape, SchedulerErrors.ValidationException);
  return r.body as I;
}

const optional = (q: URLSearchParams, name: string): string | undefined => q.get(name) ?? undefined;
const optionalNumber = (q: URLSearchParams, name: string): number | undefined => (q.has(name) ? Number(q.get(name)) : undefined);

export function schedulerRoutes(schedules: Schedules, groups: Groups): RestRoute[] {
  const name = (r: RestRequest): string => r.params['Name'] ?? '';
  const arn = (r: RestRequest): string => r.params['ResourceArn'] ?? '';
  return [
    { method: 'POST', path: '/schedules/{Name}', handler: (r) => schedules.create(name(r), body<ScheduleInput>(schedule, r)) },
    { method: 'PUT', path: '/schedules/{Name}', handler: (r) => schedules.update(name(r), body<ScheduleInput>(schedule, r)) },
    { method: 'GET', path: '/schedules/{Name}', handler: (r) => schedules.get(name(r), optional(r.query, 'groupName')) },
    { method: 'DELETE', path: '/schedules/{Name}', handler: (r) => schedules.delete(name(r), optional(r.query, 'groupName')) },
    {
      method: 'GET',
      path: '/schedules',
      handler: (r) =>
        schedules.list({
          ScheduleGroup: optional(r.query, 'ScheduleGroup'),
          NamePrefix: optional(r.query, 'NamePrefix'),
          State: optional(r.query, 'State'),
          NextToken: optional(r.query, 'NextToken'),
          MaxResults: optionalNumber(r.query, 'MaxResults'),
        }),
    },
    { method: 'POST', path: '/schedule-groups/{Name}', handler: (r) => groups.create(name(r), body(group, r)) },
    { method: 'GET', path: '/schedule-groups/{Name}', handler: (r) => groups.get(name(r)) },
    { method: 'DELETE', path: '/schedule-groups/{Name}', handler: (r) => groups.delete(name(r)) },
    {
      method: 'GET',
      path: '/schedule-groups',
      handler: (r) =>
        groups.list({ NamePrefix: optional(r.query, 'NamePrefix'), NextToken: optional(r.query, 'NextToken'), MaxResults: optionalNumber(r.query, 'MaxResults') }),
    },
    { method: 'GET', path: '/tags/{ResourceArn}', handler: (r) => groups.listTags(arn(r)) },
    { method: 'POST', path: '/tags/{ResourceArn}', handler: (r) => groups.tag(arn(r), body(S.struct({ Tags: tags }, ['Tags']), r)) },
    { method: 'DELETE', path: '/tags/{ResourceArn}', handler: (r) => groups.untag(arn(r), r.query.getAll('TagKeys')) },
  ];
}

export function schedulerHandler(schedules: Schedules, groups: Groups, opts: { maxBodyBytes: number; logger: Logger }): RawHandler {
  return restJsonHandler(schedulerRoutes(schedules, groups), { ...opts, serverErrorCode: 'InternalServerException' });
}
