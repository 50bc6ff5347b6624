import type net from 'node:net';
import type { RouteAction } from './config.js';
import { ChunkedScanner, headEnd, parseRequestHead, parseResponseHead, type RequestHead, type ResponseHead } from './http1.js';
import type { ListenerEnv, ListenerRuntime } from './listener.js';
import { hostOf } from './listener.js';
import type { RequestView } from './match.js';
import { errorPage, statusTitle } from './pages.js';
import type { TargetRuntime } from './target.js';
import { UpstreamTimeout, type Upstream, type UpstreamOwner } from './upstream-pool.js';

/** What a port gives its fast-path connections. */
export interface FastPort {
  readonly port: number;
  readonly env: ListenerEnv;
  pick(hostHeader: string | undefined): ListenerRuntime | undefined;
  /** Hands the connection to node:http, with the bytes read but not yet handled. */
  fallback(socket: net.Socket, pending: Buffer | undefined): void;
  /** Fast-path connections open now (closed with the port). */
  readonly connections: Set<FastConnection>;
}

/** A head longer than this goes to node:http (which answers 431 past its own limit). */
const MAX_HEAD = 16 * 1024;
/** Pipelined bytes buffered while a request is in flight before the client is paused. */
const MAX_PENDING = 64 * 1024;
const KEEP_ALIVE = 'Connection: keep-alive\r\nKeep-Alive: timeout=60\r\n';
const CLOSE = 'Connection: close\r\n';

/**
 * One client connection served without node:http: each request head is parsed here
 * (`http1.ts`), routed by the listener, and forwarded over the target's own keep-alive
 * pool with the same headers node:http's path adds; the answer's head is rewritten (hop-by-hop
 * headers out) and its body relayed as it arrives, never re-framed. One request at a
 * time, as node:http does. The first request the fast path does not handle (anything
 * unusual, or a listener rule that answers by itself) hands the connection, with its
 * unread bytes, to node:http for the rest of its life.
 */
export class FastConnection implements UpstreamOwner {
  private pending: Buffer | undefined;
  private readonly clientIp: string;
  private closed = false;
  private handedOff = false;
  /** The connection is being closed after the last answer; later bytes are ignored. */
  private ending = false;
  // the request in flight (fields rather than an object per request)
  private active = false;
  private head!: RequestHead;
  private target!: TargetRuntime;
  private up: Upstream | undefined;
  private upHead = '';
  private body: Buffer | undefined;
  /** Request body bytes still to come from the client. */
  private bodyLeft = 0;
  private retryable = false;
  private idleTimeoutMs = 0;
  private resp: ResponseHead | undefined;
  private respBuf: Buffer | undefined;
  private respLeft = 0;
  private scanner: ChunkedScanner | undefined;
  private received = false;
  private readonly onData = (chunk: Buffer): void => this.read(chunk);
  private readonly onDrain = (): void => {
    this.up?.socket.resume();
  };
  private readonly onTimeout = (): void => {
    if (!this.active) this.socket.destroy();
  };
  private readonly onClose = (): void => this.clientClosed();
  private readonly onError = (): void => undefined; // 'close' follows

  constructor(
    private readonly socket: net.Socket,
    private readonly port: FastPort,
  ) {
    const a = socket.remoteAddress ?? '';
    this.clientIp = a.startsWith('::ffff:') ? a.slice(7) : a;
    port.connections.add(this);
    socket.on('data', this.onData);
    socket.on('drain', this.onDrain);
    socket.on('timeout', this.onTimeout);
    socket.on('close', this.onClose);
    socket.on('error', this.onError);
    // ALB closes idle client connections after 60 s
    socket.setTimeout(60_000);
  }

  get idle(): boolean {
    return !this.active;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    if (this.ending) return;
    if (this.active && this.bodyLeft > 0 && this.pending === undefined) {
      const n = Math.min(this.bodyLeft, chunk.length);
      this.bodyLeft -= n;
      const part = n === chunk.length ? chunk : chunk.subarray(0, n);
      if (this.up && !this.up.socket.write(part)) this.socket.pause();
      if (n === chunk.length) return;
      chunk = chunk.subarray(n);
    }
    this.pending = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
    if (!this.active) this.serve();
    else if (this.pending.length > MAX_PENDING) this.socket.pause();
  }

  /** Starts the next buffered request, if its head is complete. */
  private serve(): void {
    while (!this.active && !this.closed && !this.handedOff && !this.ending && this.pending !== undefined) {
      const buf = this.pending;
      const end = headEnd(buf, 0);
      if (end < 0) {
        if (buf.length > MAX_HEAD) this.handOff();
        return;
      }
      const head = parseRequestHead(buf.toString('latin1', 0, end));
      const listener = head && this.port.pick(head.host);
      const action = head && listener?.actionFor(() => view(head, this.socket));
      if (!head || !listener || action?.type !== 'forward') return this.handOff();
      const rest = end === buf.length ? undefined : buf.subarray(end);
      const target = listener.choose(action as Extract<RouteAction, { type: 'forward' }>, this.port.env);
      const bodyNow = Math.min(head.contentLength, rest?.length ?? 0);
      this.pending = rest === undefined || bodyNow === rest.length ? undefined : rest.subarray(bodyNow);
      if (!target) {
        // no target to forward to: the client's body, if any, is not read (the connection closes)
        this.page(503, head.close || head.contentLength > bodyNow);
        continue;
      }
      this.start(head, listener, target, bodyNow === 0 ? undefined : rest!.subarray(0, bodyNow));
    }
  }

  private start(head: RequestHead, listener: ListenerRuntime, target: TargetRuntime, body: Buffer | undefined): void {
    this.active = true;
    this.head = head;
    this.target = target;
    this.body = body;
    this.bodyLeft = head.contentLength - (body?.length ?? 0);
    this.idleTimeoutMs = listener.config.idleTimeoutMs;
    const ip = this.clientIp;
    this.upHead =
      `${head.method} ${head.url} HTTP/1.1\r\n${head.passed}X-Forwarded-For: ${head.xff === undefined ? ip : `${head.xff}, ${ip}`}\r\n` +
      `X-Forwarded-Proto: http\r\nX-Forwarded-Port: ${this.port.port}\r\nX-Amzn-Trace-Id: ${this.port.env.traceId(head.traceId)}\r\n\r\n`;
    this.send(false);
    // a stale keep-alive connection may be retried once, when there is no body to resend
    this.retryable = this.up!.uses > 0 && head.contentLength === 0;
  }

  private send(fresh: boolean): void {
    this.resp = undefined;
    this.respBuf = undefined;
    this.scanner = undefined;
    this.received = false;
    const up = this.target.pool.acquire(this, this.idleTimeoutMs, fresh);
    this.up = up;
    if (this.body) {
      up.socket.cork();
      up.socket.write(this.upHead, 'latin1');
      up.socket.write(this.body);
      up.socket.uncork();
      this.body = undefined;
    } else up.socket.write(this.upHead, 'latin1');
  }

  onUpData(chunk: Buffer): void {
    this.received = true;
    if (this.resp) return this.relay(chunk, 0);
    const buf = this.respBuf === undefined ? chunk : Buffer.concat([this.respBuf, chunk]);
    const end = headEnd(buf, 0);
    if (end < 0) {
      this.respBuf = buf;
      if (buf.length > MAX_HEAD * 4) this.upFailed(new Error('response head too large'));
      return;
    }
    this.respBuf = undefined;
    const resp = parseResponseHead(buf.toString('latin1', 0, end), this.head.method);
    if (!resp || resp.status === 101) return this.upFailed(new Error('invalid response'));
    if (resp.status < 200) {
      // an interim answer (103 Early Hints) is passed on; the final one follows
      this.socket.write(`HTTP/1.1 ${resp.statusText}\r\n${resp.passed}\r\n`, 'latin1');
      if (end < buf.length) this.onUpData(buf.subarray(end));
      return;
    }
    this.resp = resp;
    this.respLeft = resp.contentLength;
    if (resp.framing === 'chunked') this.scanner = new ChunkedScanner();
    const keep = !this.head.close && resp.framing !== 'close' && this.bodyLeft === 0;
    const date = resp.hasDate ? '' : `Date: ${this.port.env.httpDate()}\r\n`;
    this.socket.cork();
    this.socket.write(`HTTP/1.1 ${resp.statusText}\r\n${resp.passed}${date}${keep ? KEEP_ALIVE : CLOSE}\r\n`, 'latin1');
    this.relay(buf, end);
    this.socket.uncork();
  }

  /** Passes the body bytes of `buf` from `from` to the client; finishes at the body's end. */
  private relay(buf: Buffer, from: number): void {
    const resp = this.resp!;
    let n = buf.length - from;
    let complete = false;
    if (resp.framing === 'none') {
      n = 0;
      complete = true;
    } else if (resp.framing === 'length') {
      n = Math.min(n, this.respLeft);
      this.respLeft -= n;
      complete = this.respLeft === 0;
    } else if (resp.framing === 'chunked') {
      n = this.scanner!.scan(buf, from);
      if (n < 0) return this.upFailed(new Error('invalid chunked body'));
      complete = this.scanner!.done;
    }
    if (n > 0 && !this.socket.write(from === 0 && n === buf.length ? buf : buf.subarray(from, from + n))) this.up?.socket.pause();
    // bytes after the answer: the target is out of step, the connection is not reused
    if (complete) this.finish(from + n === buf.length);
  }

  private finish(reusable: boolean): void {
    const up = this.up!;
    const resp = this.resp!;
    this.up = undefined;
    if (reusable && resp.keepAlive && this.bodyLeft === 0) up.release();
    else {
      up.owner = undefined;
      up.socket.destroy();
    }
    this.complete(resp.status, true);
    const keep = !this.head.close && resp.framing !== 'close' && this.bodyLeft === 0;
    if (!keep) {
      this.ending = true;
      this.socket.end();
      return;
    }
    if (this.socket.isPaused()) this.socket.resume();
    this.serve();
  }

  /** Counts a finished request, as the node:http path does. */
  private complete(status: number, fromTarget: boolean): void {
    this.active = false;
    this.target.counters.inFlight--;
    this.target.record(status, fromTarget);
  }

  onUpDrain(): void {
    this.socket.resume();
  }

  onUpClose(err: Error | undefined): void {
    if (!this.active || this.closed) return;
    const resp = this.resp;
    if (resp?.framing === 'close' && !(err instanceof UpstreamTimeout) && !(err as NodeJS.ErrnoException | undefined)?.code) {
      // the body ended with the connection, as its head said
      this.up = undefined;
      this.complete(resp.status, true);
      this.ending = true;
      this.socket.end();
      return;
    }
    this.upFailed(err);
  }

  /** The target failed this request: 502/504 if the client has no answer yet, else the client is cut. */
  private upFailed(err: Error | undefined): void {
    const up = this.up;
    this.up = undefined;
    if (up) {
      up.owner = undefined;
      up.socket.destroy();
    }
    if (this.resp) {
      this.complete(this.resp.status, true);
      this.socket.destroy();
      return;
    }
    if (this.retryable && !this.received && !(err instanceof UpstreamTimeout)) {
      this.retryable = false;
      this.send(true);
      return;
    }
    const status = err instanceof UpstreamTimeout ? 504 : 502;
    this.complete(status, false);
    this.page(status, this.head.close || this.bodyLeft > 0);
    if (!this.head.close && this.bodyLeft === 0) this.serve();
  }

  /** One of the load balancer's own answers (ALB's error page). */
  private page(status: number, close: boolean): void {
    const page = errorPage(status);
    this.socket.cork();
    this.socket.write(
      `HTTP/1.1 ${statusTitle(status)}\r\nServer: awselb/2.0\r\nContent-Type: text/html\r\nContent-Length: ${page.length}\r\n` +
        `Date: ${this.port.env.httpDate()}\r\n${close ? CLOSE : KEEP_ALIVE}\r\n`,
      'latin1',
    );
    this.socket.write(page);
    this.socket.uncork();
    if (close) {
      this.ending = true;
      this.socket.end();
    }
  }

  private clientClosed(): void {
    this.closed = true;
    this.port.connections.delete(this);
    if (!this.active) return;
    const up = this.up;
    this.up = undefined;
    if (up) {
      up.owner = undefined;
      up.socket.destroy();
    }
    // 460: ALB's code for a client that closed the connection before the answer
    this.complete(this.resp ? this.resp.status : 460, this.resp !== undefined);
  }

  private handOff(): void {
    this.handedOff = true;
    this.port.connections.delete(this);
    const s = this.socket;
    s.removeListener('data', this.onData);
    s.removeListener('drain', this.onDrain);
    s.removeListener('timeout', this.onTimeout);
    s.removeListener('close', this.onClose);
    s.removeListener('error', this.onError);
    s.setTimeout(0);
    const pending = this.pending;
    this.pending = undefined;
    this.port.fallback(s, pending);
  }
}

function view(head: RequestHead, socket: net.Socket): RequestView {
  const q = head.url.indexOf('?');
  return {
    path: q < 0 ? head.url : head.url.slice(0, q),
    query: q < 0 ? '' : head.url.slice(q + 1),
    host: hostOf(head.host),
    method: head.method,
    headers: head.headers,
    sourceIp: socket.remoteAddress ?? '',
  };
}
