import { describe, expect, it } from 'vitest';
import { ecsSummary, inputFields, retrySummary, shortArn, targetFields, taskDefinitionName } from './targets.js';

const TASK_DEF = 'arn:aws:ecs:us-east-1:000000000000:task-definition/hello:3';

describe('shortArn', () => {
  it('keeps the service and the resource, dropping partition, region and account', () => {
    expect(shortArn('arn:aws:ecs:us-east-1:000000000000:cluster/default')).toBe('ecs:cluster/default');
    expect(shortArn('arn:aws:states:us-east-1:000000000000:stateMachine:orders')).toBe('states:stateMachine:orders');
    expect(shortArn('arn:aws:scheduler:::aws-sdk:ecs:runTask')).toBe('scheduler:aws-sdk:ecs:runTask');
  });

  it('returns what is not an ARN as given, and - for nothing', () => {
    expect(shortArn('default')).toBe('default');
    expect(shortArn(undefined)).toBe('-');
  });
});

describe('taskDefinitionName', () => {
  it('is family:revision of an ARN, and a bare family as given', () => {
    expect(taskDefinitionName(TASK_DEF)).toBe('hello:3');
    expect(taskDefinitionName('hello')).toBe('hello');
    expect(taskDefinitionName('hello:2')).toBe('hello:2');
  });
});

describe('ecsSummary', () => {
  it('names the task definition, count, launch type and network on one line', () => {
    const text = ecsSummary({
      TaskDefinitionArn: TASK_DEF,
      TaskCount: 2,
      LaunchType: 'FARGATE',
      PlatformVersion: '1.4.0',
      NetworkConfiguration: { awsvpcConfiguration: { Subnets: ['subnet-a', 'subnet-b'], SecurityGroups: ['sg-1'], AssignPublicIp: 'ENABLED' } },
      Group: 'batch',
    });
    expect(text).toBe('hello:3 ×2, FARGATE 1.4.0, subnets subnet-a,subnet-b, security groups sg-1, public IP ENABLED, group batch');
  });

  it('counts one task when TaskCount is unset, and leaves out what is not set', () => {
    expect(ecsSummary({ TaskDefinitionArn: TASK_DEF })).toBe('hello:3 ×1');
    expect(ecsSummary({ TaskDefinitionArn: TASK_DEF, NetworkConfiguration: { awsvpcConfiguration: { Subnets: [] } } })).toBe('hello:3 ×1');
  });
});

describe('inputFields', () => {
  it('shows an input transformer as its paths and template', () => {
    const fields = inputFields({ InputTransformer: { InputPathsMap: { key: '$.detail.object.key', bucket: '$.detail.bucket.name' }, InputTemplate: '{"k": <key>}' } });
    expect(fields).toEqual([
      ['Input paths', '<key> = $.detail.object.key, <bucket> = $.detail.bucket.name'],
      ['Input template', '{"k": <key>}'],
    ]);
  });

  it('shows a constant input or an input path, and nothing for the whole event', () => {
    expect(inputFields({ Input: '{"a":1}' })).toEqual([['Input', '{"a":1}']]);
    expect(inputFields({ InputPath: '$.detail' })).toEqual([['Input path', '$.detail']]);
    expect(inputFields({})).toEqual([]);
  });
});

describe('retrySummary and targetFields', () => {
  it('says what of the retry policy is set', () => {
    expect(retrySummary({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 })).toBe('3 retries within 600 s');
    expect(retrySummary({ MaximumRetryAttempts: 0 })).toBe('0 retries');
    expect(retrySummary({})).toBeUndefined();
    expect(retrySummary(undefined)).toBeUndefined();
  });

  it('lists role, ECS task, input, retries and dead letters in that order', () => {
    const fields = targetFields({
      Arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
      RoleArn: 'arn:aws:iam::000000000000:role/r',
      EcsParameters: { TaskDefinitionArn: TASK_DEF },
      Input: '{}',
      RetryPolicy: { MaximumRetryAttempts: 1 },
      DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:dlq' },
    });
    expect(fields).toEqual([
      ['Role', 'arn:aws:iam::000000000000:role/r'],
      ['ECS task', 'hello:3 ×1'],
      ['Input', '{}'],
      ['Retry', '1 retry'],
      ['Dead letters', 'arn:aws:sqs:us-east-1:000000000000:dlq'],
    ]);
  });
});
