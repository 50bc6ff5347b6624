import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, sequentialIds, silentLogger } from '../core/index.js';
import type { ListenerConfig, PlaneConfig, RouteAction, TargetGroupConfig } from './config.js';
import type { CheckResult } from './health-state.js';
import { ManualTimers } from './manual-timers.js';
import { DataPlane } from './plane.js';
import { freePort } from '../../test/helpers/ports.js';

interface Backend {
  name: string;
  port: number;
  connections: number;
  server: http.Server;
  seen: http.IncomingHttpHeaders[];
  /** Requests held open until released (for draining and least-outstanding tests). */
  hold: boolean;
  held: http.ServerResponse[];
}

async function backend(name: string): Promise<Backend> {
  const b: Backend = { name, port: 0, connections: 0, server: http.createServer(), seen: [], hold: false, held: [] };
  b.server.on('connection', () => b.connections++);
  b.server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      b.seen.push(req.headers);
      if (req.url === '/slow' || b.hold) return void b.held.push(res);
      if (req.url === '/chunked') return void res.write(`${name} `, () => res.end('chunked'));
      res.end(`${name} ${req.method} ${req.url}${body ? ` ${body}` : ''}`);
    });
  });
  await new Promise<void>((r) => b.server.listen(0, '127.0.0.1', r));
  b.port = (b.server.address() as AddressInfo).port;
  return b;
}

function get(port: number, path = '/', headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

let a: Backend;
let b: Backend;
let plane: DataPlane;
let timers: ManualTimers;
const verdicts = new Map<number, CheckResult>();
const OK: CheckResult = { ok: true };
const DOWN: CheckResult = { ok: false, reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [500]' };

function group(over: Partial<TargetGroupConfig> = {}): TargetGroupConfig {
  return {
    arn: 'tg-1',
    healthCheck: { path: '/health', port: 'traffic-port', intervalMs: 5000, timeoutMs: 1000, healthyThreshold: 2, unhealthyThreshold: 2, matcher: '200' },
    algorithm: 'round_robin',
    deregistrationDelayMs: 10_000,
    inUse: true,
    targets: [
      { id: '127.0.0.1', port: a.port },
      { id: '127.0.0.1', port: b.port },
    ],
    ...over,
  };
}

function listener(port: number, over: Partial<ListenerConfig> = {}, action?: RouteAction): ListenerConfig {
  return {
    arn: `l-${port}`,
    port,
    dnsName: 'lb-1.us-east-1.elb.localhost',
    idleTimeoutMs: 60_000,
    rules: [{ conditions: [], action: action ?? { type: 'forward', groups: [{ arn: 'tg-1', weight: 1 }] } }],
    ...over,
  };
}

async function names(port: number, n: number, path = '/'): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await get(port, path)).body.split(' ')[0] ?? '');
  return out;
}

beforeAll(async () => {
  a = await backend('A');
  b = await backend('B');
});

afterAll(async () => {
  for (const x of [a, b]) {
    x.server.closeAllConnections();
    await new Promise((r) => x.server.close(r));
  }
});

async function startPlane(config: (port: number) => PlaneConfig): Promise<number> {
  timers = new ManualTimers();
  verdicts.clear();
  plane = new DataPlane({
    logger: silentLogger,
    clock: new ManualClock(Date.UTC(2026, 0, 1)),
    ids: sequentialIds(),
    timers,
    probe: (_host, port) => Promise.resolve(verdicts.get(port) ?? OK),
  });
  const port = await freePort();
  plane.apply(config(port));
  await plane.settled();
  return port;
}

afterEach(async () => {
  a.hold = false;
  b.hold = false;
  await plane.close();
});

describe('the data plane', () => {
  it('round-robins over targets still in their initial checks (failing open), with forwarding headers', async () => {
    const port = await startPlane((p) => ({ listeners: [listener(p)], targetGroups: [group()] }));
    expect(await names(port, 4)).toEqual(['A', 'B', 'A', 'B']);
    const h = a.seen.at(-1)!;
    expect(h['x-forwarded-for']).toBe('127.0.0.1');
    expect(h['x-forwarded-proto']).toBe('http');
    expect(h['x-forwarded-port']).toBe(String(port));
    expect(h['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const posted = await get(port, '/p', { 'content-type': 'text/plain', 'x-forwarded-for': '10.0.0.9', 'x-amzn-trace-id': 'Root=1-abc' }, 'POST', 'hello');
    expect(posted.body).toMatch(/^[AB] POST \/p hello$/);
    const seen = (posted.body.startsWith('A') ? a : b).seen.at(-1)!;
    expect(seen['x-forwarded-for']).toBe('10.0.0.9, 127.0.0.1');
    expect(seen['x-amzn-trace-id']).toMatch(/^Self=1-[0-9a-f]{8}-[0-9a-f]{24};Root=1-abc$/);
    expect(plane.group('tg-1')?.requests).toBe(5);
  });

  it('reuses keep-alive connections to targets and counts requests per target', async () => {
    const port = await startPlane((p) => ({ listeners: [listener(p)], targetGroups: [group()] }));
    const before = a.connections + b.connections;
    for (let i = 0; i < 20; i++) await get(port);
    expect(a.connections + b.connections - before).toBeLessThanOrEqual(2);
    const counters = [...plane.group('tg-1')!.targets.values()].map((t) => t.counters);
    expect(counters.map((c) => [c.requests, c.inFlight, c.http2xx])).toEqual([
      [10, 0, 10],
      [10, 0, 10],
    ]);
  });

  it('stops routing to a target that fails its health checks, and fails open when none is healthy', async () => {
    const port = await startPlane((p) => ({ listeners: [listener(p)], targetGroups: [group()] }));
    verdicts.set(b.port, DOWN);
    timers.advance(0);
    await flush();
    timers.advance(5000);
    await flush();
    const states = [...plane.group('tg-1')!.targets.values()].map((t) => [t.port, t.health.state, t.health.reason]);
    expect(states).toEqual([
      [a.port, 'healthy', undefined],
      [b.port, 'unhealthy', 'Target.ResponseCodeMismatch'],
    ]);
    expect(await names(port, 4)).toEqual(['A', 'A', 'A', 'A']);
    verdicts.set(a.port, DOWN);
    timers.advance(10_000);
    await flush();
    expect(new Set(await names(port, 4))).toEqual(new Set(['A', 'B']));
  });

  it('drains a deregistered target: no new requests, in-flight ones finish, gone after the delay', async () => {
    const port = await startPlane((p) => ({ listeners: [listener(p)], targetGroups: [group()] }));
    b.hold = true;
    a.hold = true;
    const inFlight = [get(port, '/1'), get(port, '/2')];
    await new Promise((r) => setTimeout(r, 50));
    plane.apply({ listeners: [listener(port)], targetGroups: [group({ targets: [{ id: '127.0.0.1', port: a.port }] })] });
    const drained = plane.group('tg-1')!.targets.get(`127.0.0.1:${b.port}`)!;
    expect(drained.health.state).toBe('draining');
    expect(drained.counters.inFlight).toBe(1);
    a.hold = false;
    expect(await names(port, 3)).toEqual(['A', 'A', 'A']);
    for (const res of b.held.splice(0)) res.end('B late');
    for (const res of a.held.splice(0)) res.end('A late');
    expect((await Promise.all(inFlight)).map((r) => r.body).sort()).toEqual(['A late', 'B late']);
    timers.advance(10_000);
    expect(plane.group('tg-1')!.targets.has(`127.0.0.1:${b.port}`)).toBe(false);
  });

  it('prefers the target with fewer requests in flight under least_outstanding_requests', async () => {
    const port = await startPlane((p) => ({ listeners: [listener(p)], targetGroups: [group({ algorithm: 'least_outstanding_requests' })] }));
    const slow = get(port, '/slow');
    await new Promise((r) => setTimeout(r, 50));
    const busy = a.held.length > 0 ? 'A' : 'B';
    expect(await names(port, 3)).toEqual(Array(3).fill(busy === 'A' ? 'B' : 'A'));
    for (const res of [...a.held.splice(0), ...b.held.splice(0)]) res.end('done');
    await slow;
  });

  it('answers 503 with no targets, 502 when the target refuses, 504 after the idle timeout', async () => {
    const closed = await freePort();
    const port = await startPlane((p) => ({
      listeners: [listener(p, { idleTimeoutMs: 200 })],
      targetGroups: [group({ targets: [] })],
    }));
    const none = await get(port);
    expect([none.status, none.headers['server']]).toEqual([503, 'awselb/2.0']);
    expect(none.body).toContain('<title>503 Service Temporarily Unavailable</title>');
    plane.apply({ listeners: [listener(port, { idleTimeoutMs: 200 })], targetGroups: [group({ targets: [{ id: '127.0.0.1', port: closed }] })] });
    const refused = await get(port);
    expect(refused.status).toBe(502);
    expect(refused.body).toContain('502 Bad Gateway');
    plane.apply({ listeners: [listener(port, { idleTimeoutMs: 200 })], targetGroups: [group({ targets: [{ id: '127.0.0.1', port: a.port }] })] });
    const timedOut = await get(port, '/slow');
    expect(timedOut.status).toBe(504);
    expect(timedOut.body).toContain('504 Gateway Time-out');
    const t = plane.group('tg-1')!.targets.get(`127.0.0.1:${a.port}`)!;
    expect(t.counters).toMatchObject({ requests: 1, inFlight: 0, http5xx: 1, errors: 1 });
    a.held.splice(0).forEach((r) => r.destroy());
  });

  it('serves fixed responses and redirects, and picks the listener by Host when a port is shared', async () => {
    const port = await startPlane((p) => ({
      listeners: [
        listener(p, { arn: 'l-1' }, { type: 'fixed-response', status: 418, contentType: 'text/plain', body: 'teapot' }),
        listener(p, { arn: 'l-2', dnsName: 'other-2.us-east-1.elb.localhost' }, {
          type: 'redirect', status: 301, protocol: '#{protocol}', host: 'example.com', port: '#{port}', path: '/new/#{path}', query: '#{query}',
        }),
      ],
      targetGroups: [],
    }));
    const teapot = await get(port, '/', { host: 'lb-1.us-east-1.elb.localhost' });
    expect([teapot.status, teapot.body, teapot.headers['content-type']]).toEqual([418, 'teapot', 'text/plain; charset=utf-8']);
    const moved = await get(port, '/a/b?x=1', { host: `Other-2.us-east-1.elb.localhost:${port}` });
    expect([moved.status, moved.headers['location']]).toEqual([301, `http://example.com:${port}/new/a/b?x=1`]);
    expect((await get(port, '/', { host: '127.0.0.1' })).status).toBe(418);
  });

  it('serves pipelined keep-alive requests in order, relays chunked answers, and hands unusual requests to node:http', async () => {
    const port = await startPlane((p) => ({ listeners: [listener(p)], targetGroups: [group({ targets: [{ id: '127.0.0.1', port: a.port }] })] }));
    const socket = net.connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
    socket.write('GET /one HTTP/1.1\r\nHost: x\r\n\r\nPOST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhel');
    await new Promise((r) => setTimeout(r, 50));
    socket.write('loGET /chunked HTTP/1.1\r\nHost: x\r\n\r\nHEAD /four HTTP/1.1\r\nHost: x\r\n\r\n');
    // a chunked upload is node:http's; the connection stays usable
    socket.write('POST /five HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /six HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await new Promise((r) => socket.on('close', r));
    const bodies = got.split(/HTTP\/1\.1 /).slice(1);
    expect(bodies.map((r) => r.slice(0, 3))).toEqual(['200', '200', '200', '200', '200', '200']);
    expect(bodies[0]).toMatch(/\r\n\r\nA GET \/one$/);
    expect(bodies[1]).toMatch(/\r\n\r\nA POST \/two hello$/);
    expect(bodies[2]).toMatch(/Transfer-Encoding: chunked\r\n[^]*\r\n\r\n2\r\nA \r\n7\r\nchunked\r\n0\r\n\r\n$/);
    expect(bodies[3]).toMatch(/\r\n\r\n$/);
    expect(bodies[4]).toMatch(/A POST \/five abc$/);
    expect(bodies[5]).toMatch(/Connection: close\r\n[^]*A GET \/six$/);
    expect(got).not.toMatch(/Keep-Alive: timeout=5\b/); // the target's hop-by-hop headers stay behind
    // the target saw the load balancer's headers on the fast path too
    expect(a.seen.at(-6)).toMatchObject({ host: 'x', 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http', 'x-forwarded-port': String(port) });
    expect(a.seen.at(-6)?.['x-amzn-trace-id']).toMatch(/^Root=1-/);
  });

  it('answers a malformed request with 400 and retries a bodyless request once when a reused connection was closed by the target', async () => {
    const port = await startPlane((p) => ({ listeners: [listener(p)], targetGroups: [group({ targets: [{ id: '127.0.0.1', port: a.port }] })] }));
    const raw = net.connect(port, '127.0.0.1');
    let got = '';
    raw.on('data', (d: Buffer) => (got += d.toString('latin1')));
    raw.write('GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    await new Promise((r) => raw.on('close', r));
    expect(got).toMatch(/^HTTP\/1\.1 400 /);
    expect((await get(port, '/x')).status).toBe(200);
    // the target drops its idle keep-alive connections; the next request still succeeds
    a.server.closeIdleConnections();
    await new Promise((r) => setTimeout(r, 20));
    expect((await get(port, '/y')).status).toBe(200);
  });
});
