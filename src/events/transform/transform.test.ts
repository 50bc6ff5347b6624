import { describe, expect, it } from 'vitest';
import { checkInputSpec, renderInput, type InputSpec } from './input.js';
import { evaluatePath, parsePath } from './json-path.js';

/** The sample event of the "Transforming target input" documentation. */
const EVENT = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING' },
};
const CTX = { ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example', ruleName: 'example', ingestionTime: '2015-11-11T21:29:55Z' };
const PATHS = { timestamp: '$.time', instance: '$.detail.instance-id', state: '$.detail.state' };

const render = (template: string, paths: Record<string, string> = PATHS): unknown =>
  JSON.parse(renderInput({ InputTransformer: { InputPathsMap: paths, InputTemplate: template } }, EVENT, CTX));

describe('InputTransformer: the documented templates', () => {
  it.each<[string, string, unknown]>([
    ['simple string', '"instance <instance> is in <state>"', 'instance i-0123456789 is in RUNNING'],
    ['string with escaped quotes', '"instance \\"<instance>\\" is in <state>"', 'instance "i-0123456789" is in RUNNING'],
    ['simple JSON', '{"instance" : <instance>, "state": <state>}', { instance: 'i-0123456789', state: 'RUNNING' }],
    [
      'JSON with strings and variables',
      '{"instance" : <instance>, "state": "<state>", "instanceStatus": "instance \\"<instance>\\" is in <state>"}',
      { instance: 'i-0123456789', state: 'RUNNING', instanceStatus: 'instance "i-0123456789" is in RUNNING' },
    ],
    ['JSON with static parts', '{"instance" : <instance>, "state": [ 9, <state>, true ], "Transformed" : "Yes"}', { instance: 'i-0123456789', state: [9, 'RUNNING', true], Transformed: 'Yes' }],
    [
      'reserved variables in JSON',
      '{"ruleArn" : <aws.events.rule-arn>, "ruleName" : <aws.events.rule-name>, "originalEvent" : <aws.events.event>}',
      { ruleArn: CTX.ruleArn, ruleName: 'example', originalEvent: EVENT },
    ],
    ['reserved variables in a string', '"<aws.events.rule-name> triggered"', 'example triggered'],
    ['ingestion time', '{"at": "<aws.events.event.ingestion-time>"}', { at: '2015-11-11T21:29:55Z' }],
    ['a missing path is null outside strings and empty inside', '{"a": <nope>, "b": "x<nope>y"}', { a: null, b: 'xy' }],
    ['objects go in as JSON', '{"detail": <d>}', { detail: EVENT.detail }],
    ['unknown placeholders stay as written', '"<b>bold</b> <state>"', '<b>bold</b> RUNNING'],
  ])('%s', (_name, template, expected) => {
    expect(render(template, { ...PATHS, nope: '$.detail.missing', d: '$.detail' })).toEqual(expected);
  });

  it('builds ECS container overrides from an S3 key (the seed flow)', () => {
    const s3 = { detail: { bucket: { name: 'in' }, object: { key: 'uploads/a "quoted" name.csv' } } };
    const out = renderInput(
      {
        InputTransformer: {
          InputPathsMap: { key: '$.detail.object.key', bucket: '$.detail.bucket.name' },
          InputTemplate: '{"containerOverrides":[{"name":"worker","environment":[{"name":"S3_KEY","value":"<key>"},{"name":"S3_BUCKET","value":<bucket>}]}]}',
        },
      },
      s3,
      CTX,
    );
    expect(JSON.parse(out)).toEqual({
      containerOverrides: [{ name: 'worker', environment: [{ name: 'S3_KEY', value: 'uploads/a "quoted" name.csv' }, { name: 'S3_BUCKET', value: 'in' }] }],
    });
    expect(out.startsWith('{"containerOverrides":[{"name":"worker","environment"')).toBe(true); // minified
  });
});

describe('Input and InputPath', () => {
  it('passes the event by default, a constant as given, and the value at a path', () => {
    expect(JSON.parse(renderInput({}, EVENT, CTX))).toEqual(EVENT);
    expect(renderInput({ Input: '{"a": 1}' }, EVENT, CTX)).toBe('{"a": 1}');
    expect(JSON.parse(renderInput({ InputPath: '$.detail' }, EVENT, CTX))).toEqual(EVENT.detail);
    expect(renderInput({ InputPath: '$.resources[0]' }, EVENT, CTX)).toBe('"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"');
  });

  it('reads dotted, bracketed and indexed paths', () => {
    expect(evaluatePath(parsePath('$.detail-type'), EVENT)).toBe('EC2 Instance State-change Notification');
    expect(evaluatePath(parsePath("$['detail']['instance-id']"), EVENT)).toBe('i-0123456789');
    expect(evaluatePath(parsePath('$.resources[3]'), EVENT)).toBeUndefined();
    expect(evaluatePath(parsePath('$'), EVENT)).toBe(EVENT);
    expect(() => parsePath('detail')).toThrow(/starts with \$/);
  });
});

describe('checkInputSpec (PutTargets validation)', () => {
  it.each<[string, InputSpec, RegExp | undefined]>([
    ['valid transformer', { InputTransformer: { InputPathsMap: PATHS, InputTemplate: '{"i": <instance>}' } }, undefined],
    ['two kinds of input', { Input: '{}', InputPath: '$.detail' }, /Only one of Input, InputPath, or InputTransformer/],
    ['Input that is not JSON', { Input: 'hello' }, /not valid JSON/],
    ['bad path', { InputPath: 'detail' }, /starts with \$/],
    ['reserved key', { InputTransformer: { InputPathsMap: { 'aws.x': '$.a' }, InputTemplate: '{}' } }, /reserved prefix/],
    ['unquoted string template', { InputTransformer: { InputPathsMap: PATHS, InputTemplate: 'instance <instance>' } }, /not valid JSON/],
  ])('%s', (_name, spec, message) => {
    const result = checkInputSpec(spec, 't1');
    if (message) expect(result).toMatch(message);
    else expect(result).toBeUndefined();
  });
});
