import { describe, expect, it } from 'vitest';
import { scheduleDetail, scheduleRow } from './schedules.js';

const CLUSTER = 'arn:aws:ecs:us-east-1:000000000000:cluster/default';

describe('scheduleRow', () => {
  it('shows group, name, expression, time zone (UTC when unset), state and the short target ARN', () => {
    expect(scheduleRow({ GroupName: 'default', Name: 'nightly', ScheduleExpression: 'cron(0 3 * * ? *)', State: 'ENABLED', Target: { Arn: CLUSTER, RoleArn: 'r' } })).toEqual([
      'default',
      'nightly',
      'cron(0 3 * * ? *)',
      'UTC',
      'ENABLED',
      'ecs:cluster/default',
    ]);
  });
});

describe('scheduleDetail', () => {
  it('prints the schedule, then its target with the ECS task, input and retries', () => {
    const text = scheduleDetail({
      Name: 'nightly',
      GroupName: 'jobs',
      Arn: 'arn:aws:scheduler:us-east-1:000000000000:schedule/jobs/nightly',
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      CreationDate: new Date(Date.UTC(2025, 5, 1, 8, 0, 0)),
      Target: {
        Arn: CLUSTER,
        RoleArn: 'arn:aws:iam::000000000000:role/sched',
        EcsParameters: { TaskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/report:4', TaskCount: 2 },
        Input: '{"containerOverrides":[]}',
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
      },
    });
    expect(text).toBe(
      [
        'Name:             nightly',
        'Group:            jobs',
        'Arn:              arn:aws:scheduler:us-east-1:000000000000:schedule/jobs/nightly',
        'Expression:       cron(0 3 * * ? *)',
        'Timezone:         Europe/Paris',
        'State:            ENABLED',
        'Flexible window:  FLEXIBLE, up to 15 min',
        'Created:          2025-06-01T08:00:00Z',
        '',
        `Target  ${CLUSTER}`,
        '  Role:      arn:aws:iam::000000000000:role/sched',
        '  ECS task:  report:4 ×2',
        '  Input:     {"containerOverrides":[]}',
        '  Retry:     5 retries within 3600 s',
        '',
      ].join('\n'),
    );
  });

  it('says OFF for a window that is off and prints no target section without one', () => {
    const text = scheduleDetail({ Name: 'n', FlexibleTimeWindow: { Mode: 'OFF' } });
    expect(text).toBe('Name:             n\nTimezone:         UTC\nFlexible window:  OFF\n');
  });
});
