import { describe, expect, it } from 'vitest';
import { compilePattern, PatternError } from './compile.js';
import { matchesPattern } from './match.js';

/** The sample event of the EventBridge content-filtering documentation. */
const EC2 = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

const match = (pattern: unknown, event: unknown = EC2): boolean => matchesPattern(compilePattern(JSON.stringify(pattern)), event);

describe('event patterns: the documented examples against the sample EC2 event', () => {
  it.each<[string, unknown, boolean]>([
    ['exact values, event array intersects', { 'detail-type': ['EC2 Instance State-change Notification'], resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'], detail: { state: ['initializing', 'running'] } }, true],
    ['exact value differs', { detail: { state: ['stopped'] } }, false],
    ['prefix', { time: [{ prefix: '2017-10-02' }] }, true],
    ['prefix misses', { time: [{ prefix: '2018' }] }, false],
    ['prefix ignoring case', { source: [{ prefix: { 'equals-ignore-case': 'AWS.E' } }] }, true],
    ['suffix', { source: [{ suffix: 'ec2' }] }, true],
    ['suffix ignoring case', { source: [{ suffix: { 'equals-ignore-case': 'EC2' } }] }, true],
    ['equals-ignore-case', { source: [{ 'equals-ignore-case': 'AWS.EC2' }] }, true],
    ['wildcard', { 'detail-type': [{ wildcard: 'EC2*Notification' }] }, true],
    ['wildcard misses', { 'detail-type': [{ wildcard: 'EC2*Alarm' }] }, false],
    ['anything-but string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, true],
    ['anything-but string, equal', { detail: { state: [{ 'anything-but': 'running' }] } }, false],
    ['anything-but number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, true],
    ['anything-but string list', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, true],
    ['anything-but number list', { detail: { 'c-count': [{ 'anything-but': [5, 6] }] } }, false],
    ['anything-but prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, true],
    ['anything-but prefix, has it', { detail: { state: [{ 'anything-but': { prefix: 'run' } }] } }, false],
    ['anything-but suffix', { detail: { 'instance-id': [{ 'anything-but': { suffix: '000' } }] } }, false],
    ['anything-but equals-ignore-case', { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['RUNNING', 'x'] } }] } }, false],
    ['anything-but wildcard', { detail: { state: [{ 'anything-but': { wildcard: 'st*' } }] } }, true],
    ['numeric range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, true],
    ['numeric out of range', { detail: { 'c-count': [{ numeric: ['>', 5] }] } }, false],
    ['numeric on a string never matches', { detail: { state: [{ numeric: ['>', 0] }] } }, false],
    ['cidr', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, true],
    ['cidr misses', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, false],
    ['exists true', { detail: { 'c-count': [{ exists: true }] } }, true],
    ['exists false on a present field', { detail: { 'c-count': [{ exists: false }] } }, false],
    ['exists false on a missing field', { detail: { 'e-count': [{ exists: false }] } }, true],
    ['complex example', { time: [{ prefix: '2017-10-02' }], detail: { state: [{ 'anything-but': 'initializing' }], 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ 'anything-but': [100, 200, 300] }], 'source-ip': [{ cidr: '10.0.0.0/8' }] } }, true],
    ['a missing field fails the whole pattern', { detail: { nope: ['x'] } }, false],
    ['an exact number matches numerically', { detail: { 'x-limit': [301.80] } }, true],
    ['a string value does not match a number', { detail: { 'c-count': ['5'] } }, false],
  ])('%s', (_name, pattern, expected) => {
    expect(match(pattern)).toBe(expected);
  });
});

describe('event patterns: $or', () => {
  const cw = { source: 'aws.cloudwatch', metricName: 'Other', namespace: 'AWS/EC2', detail: { 'detail-type': 'CloudWatch Alarm State Change' } };
  it.each<[string, unknown, boolean]>([
    ['source && (metricName || namespace)', { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] }, true],
    ['no alternative matches', { $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/ES'] }] }, false],
    ['parallel $or at two levels', { $or: [{ metricName: ['x'] }, { namespace: ['AWS/EC2'] }], detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] } }, true],
    ['an AND inside an $or alternative', { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2'] }, { scope: ['Service'] }] }, false],
  ])('%s', (_name, pattern, expected) => {
    expect(match(pattern, cw)).toBe(expected);
  });

  it('treats $or with one alternative as a field name', () => {
    expect(match({ $or: [{ 'equals-ignore-case': 'x' }] }, { $or: 'X' })).toBe(true);
  });
});

describe('event patterns: arrays, nulls and empty strings', () => {
  const employees = { employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }, { firstName: 'Peter', lastName: 'Jones' }] };

  it('looks into arrays of objects', () => {
    expect(match({ employees: { firstName: ['Anna'] } }, employees)).toBe(true);
  });

  it('keeps fields matched inside an array to one element', () => {
    expect(match({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, employees)).toBe(false);
    expect(match({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, employees)).toBe(true);
  });

  it('flattens arrays of arrays', () => {
    const nested = { employees: [[{ firstName: 'Anna' }], [{ firstName: 'Peter' }]] };
    expect(match({ employees: { firstName: ['Peter'] } }, nested)).toBe(true);
  });

  it('tells null from the empty string', () => {
    const event = { detail: { eventVersion: '', responseElements: null } };
    expect(match({ detail: { eventVersion: [''] } }, event)).toBe(true);
    expect(match({ detail: { responseElements: [null] } }, event)).toBe(true);
    expect(match({ detail: { responseElements: [''] } }, event)).toBe(false);
    expect(match({ detail: { eventVersion: [null] } }, event)).toBe(false);
  });

  it('counts only leaves as present: exists false matches an object-valued field', () => {
    const event = { detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } } };
    expect(match({ detail: { 'c-count': [{ exists: false }] } }, event)).toBe(true);
    expect(match({ detail: { 'c-count': [{ exists: true }] } }, event)).toBe(false);
  });

  it('matches booleans as JSON literals, and cidr for IPv6', () => {
    expect(match({ detail: { ok: [true] } }, { detail: { ok: true } })).toBe(true);
    expect(match({ detail: { ok: ['true'] } }, { detail: { ok: true } })).toBe(false);
    expect(match({ ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db8::1' })).toBe(true);
    expect(match({ ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db9::1' })).toBe(false);
  });

  it('handles wildcard escapes and multi-star patterns', () => {
    expect(match({ k: [{ wildcard: 'a\\*b' }] }, { k: 'a*b' })).toBe(true);
    expect(match({ k: [{ wildcard: 'a\\*b' }] }, { k: 'axb' })).toBe(false);
    expect(match({ k: [{ wildcard: 'uploads/*/in/*.csv' }] }, { k: 'uploads/2024/in/a.csv' })).toBe(true);
  });
});

describe('event patterns: invalid patterns', () => {
  it.each<[string, string, RegExp]>([
    ['not JSON', '{', /not valid JSON/],
    ['not an object', '[1]', /not an object/],
    ['empty object', '{}', /Empty objects/],
    ['empty array', '{"source": []}', /Empty arrays/],
    ['a bare string', '{"source": "aws.ec2"}', /must be an object or an array/],
    ['unknown filter', '{"source": [{"contains": "x"}]}', /Unrecognized match type contains/],
    ['two keys in a filter', '{"source": [{"prefix": "a", "suffix": "b"}]}', /exactly one key/],
    ['bad numeric', '{"n": [{"numeric": ["<", 5, ">", 1]}]}', /Bad numeric range operator/],
    ['numeric too large', '{"n": [{"numeric": [">", 1e10]}]}', /-5.0E9 and 5.0E9/],
    ['bad cidr', '{"ip": [{"cidr": "10.0.0.0/33"}]}', /Nonstandard IP address/],
    ['consecutive wildcards', '{"k": [{"wildcard": "a**b"}]}', /Consecutive wildcard/],
    ['bad escape', '{"k": [{"wildcard": "a\\\\b"}]}', /Invalid escape/],
    ['mixed anything-but list', '{"k": [{"anything-but": ["a", 1]}]}', /all values must be strings or all numbers/],
    ['exists not boolean', '{"k": [{"exists": "yes"}]}', /true or false/],
  ])('%s', (_name, text, message) => {
    expect(() => compilePattern(text)).toThrow(PatternError);
    expect(() => compilePattern(text)).toThrow(message);
  });
});
