import http from 'node:http';
import { sendError } from './pages.js';
import type { TargetRuntime } from './target.js';

/** Headers that belong to one connection and are never passed on (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-authorization']);

export interface ForwardContext {
  readonly listenerPort: number;
  readonly idleTimeoutMs: number;
  readonly traceId: string;
  /** Called once per request with the status the client got and whether the target sent it. */
  readonly done: (status: number, fromTarget: boolean) => void;
}

class UpstreamTimeout extends Error {}

/**
 * The request headers for the target, as a raw list (http.request takes it without
 * re-validating each header): the client's minus hop-by-hop ones, then X-Forwarded-For
 * (appended to the client's), -Proto, -Port and the trace id.
 */
export function upstreamHeaders(req: http.IncomingMessage, ctx: ForwardContext): string[] {
  const raw = req.rawHeaders;
  const out: string[] = [];
  let xff: string | undefined;
  let chunked = false;
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i]!;
    const lower = k.toLowerCase();
    if (lower === 'x-forwarded-for') xff = xff === undefined ? raw[i + 1]! : `${xff}, ${raw[i + 1]!}`;
    else if (lower === 'x-forwarded-proto' || lower === 'x-forwarded-port' || lower === 'x-amzn-trace-id') continue;
    else if (lower === 'transfer-encoding') chunked = true;
    else if (!HOP_BY_HOP.has(lower)) out.push(k, raw[i + 1]!);
  }
  const ip = clientIp(req);
  out.push('X-Forwarded-For', xff === undefined ? ip : `${xff}, ${ip}`, 'X-Forwarded-Proto', 'http', 'X-Forwarded-Port', String(ctx.listenerPort), 'X-Amzn-Trace-Id', ctx.traceId);
  if (chunked) out.push('Transfer-Encoding', 'chunked');
  return out;
}

function clientIp(req: http.IncomingMessage): string {
  const a = req.socket.remoteAddress ?? '';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

function responseHeaders(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i]!;
    if (!HOP_BY_HOP.has(k.toLowerCase())) out.push(k, raw[i + 1]!);
  }
  return out;
}

function hasNoBody(req: http.IncomingMessage): boolean {
  const len = req.headers['content-length'];
  return req.headers['transfer-encoding'] === undefined && (len === undefined || len === '0');
}

/**
 * Forwards one request to a target over its keep-alive pool and streams the answer back.
 * Connection failures are 502, no answer within the idle timeout is 504 (both with
 * ALB's pages); a bodyless request that fails on a reused keep-alive connection (the
 * target closed it as we sent) is retried once on a fresh one.
 */
export function forward(req: http.IncomingMessage, res: http.ServerResponse, target: TargetRuntime, ctx: ForwardContext): void {
  const headers = upstreamHeaders(req, ctx);
  const bodyless = hasNoBody(req);
  let current: http.ClientRequest | undefined;
  let fromTarget = false;
  res.once('close', () => {
    if (!res.writableFinished) current?.destroy();
    // 460: ALB's code for a client that closed the connection before the answer.
    ctx.done(res.headersSent ? res.statusCode : 460, fromTarget);
  });
  const attempt = (retry: boolean): void => {
    const up = http.request({ host: target.id, port: target.port, method: req.method, path: req.url, headers, agent: target.agent, setHost: false });
    current = up;
    up.setTimeout(ctx.idleTimeoutMs, () => up.destroy(new UpstreamTimeout()));
    up.on('response', (upRes) => {
      fromTarget = true;
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, responseHeaders(upRes.rawHeaders));
      relay(upRes, res);
    });
    up.on('error', (err) => {
      if (res.headersSent || res.destroyed) res.destroy();
      else if (retry && up.reusedSocket && !(err instanceof UpstreamTimeout)) attempt(false);
      else sendError(res, err instanceof UpstreamTimeout ? 504 : 502);
    });
    if (bodyless) up.end();
    else req.pipe(up);
  };
  attempt(bodyless);
}

/** Streams the target's answer to the client with backpressure (lighter than pipe(): fewer listeners per request). */
function relay(from: http.IncomingMessage, to: http.ServerResponse): void {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
  from.on('end', () => to.end());
  from.on('error', () => to.destroy());
}
