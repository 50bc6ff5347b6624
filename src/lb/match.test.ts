import { describe, expect, it } from 'vitest';
import type { ConditionConfig, RouteAction } from './config.js';
import { hostOf } from './listener.js';
import { compileCondition, compileRules, parseCidr, route, wildcard, type RequestView } from './match.js';

function view(over: Partial<RequestView> = {}): RequestView {
  return { path: '/', query: '', host: 'app.example.com', method: 'GET', headers: {}, sourceIp: '127.0.0.1', ...over };
}

const fixed = (body: string): RouteAction => ({ type: 'fixed-response', status: 200, contentType: 'text/plain', body });

describe('wildcards', () => {
  it.each([
    ['/img/*', '/img/a/b.png', true],
    ['/img/*', '/img/', true],
    ['/img/*', '/img', false],
    ['/v?/users', '/v1/users', true],
    ['/v?/users', '/v10/users', false],
    ['/a.b', '/aXb', false],
    ['/(x)+', '/(x)+', true],
    ['*', '', true],
  ])('%s against %s is %s', (pattern, value, expected) => {
    expect(wildcard(pattern, false).test(value)).toBe(expected);
  });

  it('is case-sensitive for paths and not for hosts', () => {
    expect(compileCondition({ field: 'path-pattern', values: ['/API/*'] })(view({ path: '/api/x' }))).toBe(false);
    expect(compileCondition({ field: 'host-header', values: ['*.EXAMPLE.com'] })(view())).toBe(true);
  });
});

describe('conditions', () => {
  const cases: Array<[string, ConditionConfig, Partial<RequestView>, boolean]> = [
    ['any of several paths', { field: 'path-pattern', values: ['/a', '/b/*'] }, { path: '/b/c' }, true],
    ['host with ?', { field: 'host-header', values: ['app?.example.com'] }, { host: 'app1.example.com' }, true],
    ['method', { field: 'http-request-method', values: ['POST', 'PUT'] }, { method: 'GET' }, false],
    ['header, case-insensitive value', { field: 'http-header', name: 'User-Agent', values: ['*mobile*'] }, { headers: { 'user-agent': 'X Mobile Y' } }, true],
    ['absent header', { field: 'http-header', name: 'x-env', values: ['*'] }, {}, false],
    ['query key and value', { field: 'query-string', pairs: [{ key: 'v', value: '2*' }] }, { query: 'a=1&v=20' }, true],
    ['query value under any key', { field: 'query-string', pairs: [{ value: 'beta' }] }, { query: 'mode=BETA' }, true],
    ['no query', { field: 'query-string', pairs: [{ value: '*' }] }, { query: '' }, false],
    ['source CIDR', { field: 'source-ip', values: ['127.0.0.0/8'] }, { sourceIp: '127.1.2.3' }, true],
    ['source outside CIDR', { field: 'source-ip', values: ['10.0.0.0/16'] }, { sourceIp: '10.1.0.1' }, false],
  ];
  it.each(cases)('%s', (_what, condition, request, expected) => {
    expect(compileCondition(condition)(view(request))).toBe(expected);
  });

  it('parses CIDRs, IPv4-mapped addresses included', () => {
    expect(parseCidr('0.0.0.0/0')('::ffff:192.168.1.1')).toBe(true);
    expect(parseCidr('192.168.1.1')('192.168.1.2')).toBe(false);
  });
});

describe('rule evaluation', () => {
  const rules = compileRules([
    { conditions: [{ field: 'path-pattern', values: ['/api/*'] }, { field: 'http-request-method', values: ['POST'] }], action: fixed('api-post') },
    { conditions: [{ field: 'path-pattern', values: ['/api/*'] }], action: fixed('api') },
    { conditions: [{ field: 'host-header', values: ['admin.*'] }], action: fixed('admin') },
    { conditions: [], action: fixed('default') },
  ]);
  const body = (r: Partial<RequestView>): string => {
    const a = route(rules, view(r));
    return a?.type === 'fixed-response' ? a.body : '?';
  };

  it('takes the first rule whose conditions all hold, the default last', () => {
    expect(body({ path: '/api/x', method: 'POST' })).toBe('api-post');
    expect(body({ path: '/api/x' })).toBe('api');
    expect(body({ host: 'admin.example.com', path: '/api/x' })).toBe('api');
    expect(body({ host: 'admin.example.com' })).toBe('admin');
    expect(body({ path: '/other' })).toBe('default');
  });

  it('reads the host without its port', () => {
    expect(hostOf('App.Example.com:8080')).toBe('app.example.com');
    expect(hostOf('[::1]:80')).toBe('[::1]');
    expect(hostOf(undefined)).toBe('');
  });
});
