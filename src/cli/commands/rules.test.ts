import { describe, expect, it } from 'vitest';
import { compactPattern, ruleDetail, ruleRow } from './rules.js';

const CLUSTER = 'arn:aws:ecs:us-east-1:000000000000:cluster/default';
const TASK_DEF = 'arn:aws:ecs:us-east-1:000000000000:task-definition/worker:2';

describe('ruleRow', () => {
  it('shows a pattern on one line and each target as id (short ARN)', () => {
    const row = ruleRow({ Name: 'on-upload', State: 'ENABLED', EventPattern: '{\n  "source": ["aws.s3"]\n}' }, [
      { Id: 'worker', Arn: CLUSTER },
      { Id: 'flow', Arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:orders' },
    ]);
    expect(row).toEqual(['on-upload', 'ENABLED', '{"source":["aws.s3"]}', 'worker (ecs:cluster/default), flow (states:stateMachine:orders)']);
  });

  it('shows a schedule expression, cuts a long pattern, and - for no targets', () => {
    expect(ruleRow({ Name: 'tick', State: 'DISABLED', ScheduleExpression: 'rate(5 minutes)' }, [])).toEqual(['tick', 'DISABLED', 'rate(5 minutes)', '-']);
    const long = JSON.stringify({ source: ['app.uploads'], detail: { key: [{ prefix: 'a-very-long-prefix-that-goes-on-and-on/' }] } });
    const cell = ruleRow({ Name: 'x', EventPattern: long }, [])[2] ?? '';
    expect(cell).toHaveLength(60);
    expect(cell.endsWith('…')).toBe(true);
  });
});

describe('compactPattern', () => {
  it('normalises JSON whitespace and leaves other text alone', () => {
    expect(compactPattern('{ "a" : [ 1 ] }')).toBe('{"a":[1]}');
    expect(compactPattern('not json')).toBe('not json');
  });
});

describe('ruleDetail', () => {
  it('prints the rule, then each target with its ECS task and input transformer', () => {
    const text = ruleDetail(
      { Name: 'on-upload', Arn: 'arn:aws:events:us-east-1:000000000000:rule/on-upload', EventBusName: 'default', State: 'ENABLED', EventPattern: '{"source":["aws.s3"]}' },
      [
        {
          Id: 'worker',
          Arn: CLUSTER,
          EcsParameters: { TaskDefinitionArn: TASK_DEF, TaskCount: 1, LaunchType: 'FARGATE' },
          InputTransformer: { InputPathsMap: { key: '$.detail.object.key' }, InputTemplate: '{"k":<key>}' },
        },
      ],
    );
    expect(text).toBe(
      [
        'Name:       on-upload',
        'Arn:        arn:aws:events:us-east-1:000000000000:rule/on-upload',
        'Event bus:  default',
        'State:      ENABLED',
        'Pattern:    {"source":["aws.s3"]}',
        'Targets:    1',
        '',
        `  worker  ${CLUSTER}`,
        '    ECS task:        worker:2 ×1, FARGATE',
        '    Input paths:     <key> = $.detail.object.key',
        '    Input template:  {"k":<key>}',
        '',
      ].join('\n'),
    );
  });
});
