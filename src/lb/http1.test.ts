import { describe, expect, it } from 'vitest';
import { ChunkedScanner, parseRequestHead, parseResponseHead } from './http1.js';

describe('request heads the fast path takes', () => {
  it('keeps end-to-end header lines as sent, drops hop-by-hop ones and collects X-Forwarded-For', () => {
    const h = parseRequestHead('GET /a?b=1 HTTP/1.1\r\nHost: x.test:80\r\nConnection: keep-alive\r\nX-Forwarded-For: 10.0.0.1\r\nX-Amzn-Trace-Id: Root=1-2-3\r\nX-Custom:  v \r\nContent-Length: 3\r\n\r\n');
    expect(h).toMatchObject({ method: 'GET', url: '/a?b=1', host: 'x.test:80', xff: '10.0.0.1', traceId: 'Root=1-2-3', contentLength: 3, close: false });
    expect(h?.passed).toBe('Host: x.test:80\r\nX-Custom:  v \r\nContent-Length: 3\r\n');
    expect(h?.headers['x-custom']).toBe('v');
    expect(parseRequestHead('GET / HTTP/1.1\r\nHost: x\r\nConnection: Close\r\n\r\n')?.close).toBe(true);
  });

  it('leaves anything unusual to node:http', () => {
    for (const head of [
      'GET / HTTP/1.0\r\nHost: x\r\n\r\n',
      'GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET / HTTP/1.1\r\n\r\n', // no Host
      'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\nY: 1\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nY: a\x00b\r\n\r\n',
    ]) expect(parseRequestHead(head), JSON.stringify(head)).toBeUndefined();
  });
});

describe('response heads', () => {
  it('finds the framing and whether the connection can be reused', () => {
    const r = parseResponseHead('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n', 'GET');
    expect(r).toMatchObject({ status: 200, statusText: '200 OK', framing: 'length', contentLength: 2, keepAlive: true, hasDate: false, passed: 'Content-Length: 2\r\n' });
    expect(parseResponseHead('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', 'GET')).toMatchObject({ framing: 'chunked', passed: 'Transfer-Encoding: chunked\r\n' });
    expect(parseResponseHead('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n', 'HEAD')?.framing).toBe('none');
    expect(parseResponseHead('HTTP/1.1 304 Not Modified\r\n\r\n', 'GET')?.framing).toBe('none');
    expect(parseResponseHead('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\n', 'GET')?.keepAlive).toBe(false);
    expect(parseResponseHead('HTTP/1.0 200 OK\r\n\r\n', 'GET')).toMatchObject({ framing: 'close', keepAlive: false });
    expect(parseResponseHead('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', 'GET')).toBeUndefined();
    expect(parseResponseHead('garbage\r\n\r\n', 'GET')).toBeUndefined();
  });
});

describe('chunked bodies', () => {
  it('finds the end however the body is split, and stops there', () => {
    const body = Buffer.from('4;x=y\r\nabcd\r\n0\r\nTrailer: 1\r\n\r\nNEXT');
    for (let split = 1; split < body.length - 4; split++) {
      const s = new ChunkedScanner();
      const n1 = s.scan(body.subarray(0, split), 0);
      expect(n1).toBe(split);
      const n2 = s.scan(body, split);
      expect(s.done).toBe(true);
      expect(split + n2).toBe(body.length - 4);
    }
    expect(new ChunkedScanner().scan(Buffer.from('zz\r\n'), 0)).toBe(-1);
  });
});
