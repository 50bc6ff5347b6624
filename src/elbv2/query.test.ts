import { describe, expect, it } from 'vitest';
import { S } from '../api/index.js';
import { AwsError } from '../core/index.js';
import { Elbv2Errors } from './errors.js';
import { decodeQueryInput, parseQueryRequest } from './query.js';
import { xmlError, xmlResponse, xmlValue } from './xml.js';

const shape = S.struct(
  {
    Name: S.string,
    Port: S.integer,
    Enabled: S.boolean,
    Subnets: S.strings,
    Matcher: S.struct({ HttpCode: S.string }),
    Targets: S.list(S.struct({ Id: S.string, Port: S.integer }, ['Id'])),
    Extra: S.map(S.string),
  },
  ['Name'],
);

function decode(body: string): Record<string, unknown> {
  const { params } = parseQueryRequest(body, new URLSearchParams());
  return decodeQueryInput(params, shape, Elbv2Errors.ValidationError);
}

function failure(body: string): AwsError {
  try {
    decode(body);
  } catch (err) {
    if (err instanceof AwsError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('the awsQuery request decoder', () => {
  it('reads Action and Version apart from the members, body over URL query', () => {
    const r = parseQueryRequest('Action=CreateThing&Version=2015-12-01&Name=a%20b', new URLSearchParams('Name=ignored&X=1'));
    expect(r.action).toBe('CreateThing');
    expect(r.version).toBe('2015-12-01');
    expect([...r.params]).toEqual([
      ['Name', 'a b'],
      ['X', '1'],
    ]);
  });

  it('decodes scalars, nested structures, lists in index order and maps', () => {
    const body = [
      'Name=x',
      'Port=8080',
      'Enabled=TRUE',
      'Subnets.member.2=b',
      'Subnets.member.1=a',
      'Subnets.member.10=j',
      'Matcher.HttpCode=200-299',
      'Targets.member.1.Id=10.0.0.1',
      'Targets.member.1.Port=80',
      'Extra.entry.1.key=k',
      'Extra.entry.1.value=v',
    ].join('&');
    expect(decode(body)).toEqual({
      Name: 'x',
      Port: 8080,
      Enabled: true,
      Subnets: ['a', 'b', 'j'],
      Matcher: { HttpCode: '200-299' },
      Targets: [{ Id: '10.0.0.1', Port: 80 }],
      Extra: { k: 'v' },
    });
  });

  it('takes `List=` as an empty list, as the SDKs send one', () => {
    expect(decode('Name=x&Subnets=')).toEqual({ Name: 'x', Subnets: [] });
  });

  it.each([
    ['Port=abc&Name=x', /Value 'abc' at 'port' failed to satisfy constraint: Member must be an integer/],
    ['Enabled=yes&Name=x', /Member must be true or false/],
    ['Port=1', /Value null at 'name' failed to satisfy constraint: Member must not be null/],
    ['Name=x&Bogus=1', /Unknown parameter 'Bogus'/],
    ['Name=x&Targets.member.1.Port=1', /Value null at 'targets.member.1.id'/],
    ['Name=x&Subnets.1=a', /must be sent as Subnets.member.N/],
    ['Name=x&Subnets.member.x=a', /Invalid list index/],
    ['Name=x&Matcher=1', /Member must be a structure/],
  ])('refuses %s as a ValidationError', (body, message) => {
    const err = failure(body);
    expect(err.code).toBe('ValidationError');
    expect(err.httpStatus).toBe(400);
    expect(err.message).toMatch(message);
  });
});

describe('the awsQuery XML writer', () => {
  const NS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

  it('wraps the result in <Action>Response/<Action>Result with the request id', () => {
    const xml = xmlResponse(NS, 'DescribeThings', { Things: [{ Name: 'a', On: true, N: 3 }], Next: undefined }, 'req-1');
    expect(xml).toContain(`<DescribeThingsResponse xmlns="${NS}">`);
    expect(xml).toContain('<DescribeThingsResult><Things><member><Name>a</Name><On>true</On><N>3</N></member></Things></DescribeThingsResult>');
    expect(xml).toContain('<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>');
    expect(xml).not.toContain('Next');
  });

  it('writes timestamps as ISO 8601, escapes text and keeps empty lists as empty elements', () => {
    expect(xmlValue({ T: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) })).toBe('<T>2026-01-02T03:04:05.006Z</T>');
    expect(xmlValue({ S: `<a & "b" 'c'>` })).toBe('<S>&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;</S>');
    expect(xmlValue({ L: [] })).toBe('<L></L>');
  });

  it('writes the error document with Sender or Receiver', () => {
    const xml = xmlError(NS, 'LoadBalancerNotFound', 'One or more load balancers not found', true, 'r2');
    expect(xml).toContain(
      '<Error><Type>Sender</Type><Code>LoadBalancerNotFound</Code><Message>One or more load balancers not found</Message></Error><RequestId>r2</RequestId></ErrorResponse>',
    );
    expect(xmlError(NS, 'InternalFailure', 'x', false, 'r3')).toContain('<Type>Receiver</Type>');
  });
});
