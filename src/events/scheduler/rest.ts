import type http from 'node:http';
import { readBody, serializeJson, type RawHandler, type RequestContext } from '../../api/index.js';
import { AwsError, clientError, type Logger } from '../../core/index.js';
import { invalid } from './errors.js';

/** One request of a restJson API, decoded: path parameters, query string and JSON body. */
export interface RestRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
  readonly ctx: RequestContext;
}

export interface RestRoute {
  readonly method: string;
  /** e.g. `/schedules/{Name}`; a parameter matches one path segment. */
  readonly path: string;
  readonly handler: (req: RestRequest) => unknown;
}

const UnknownOperation = clientError('UnknownOperationException', 404);

/**
 * The error boundary of a restJson service: answers carry the code in `x-amzn-ErrorType`
 * and `{"Message": …}` in the body, which is where AWS SDK v3 and the AWS CLI read them.
 */
export function restJsonHandler(routes: readonly RestRoute[], opts: { maxBodyBytes: number; logger: Logger; serverErrorCode: string }): RawHandler {
  return async (req, res, ctx) => {
    try {
      const url = new URL(req.url ?? '/', 'http://skiff.local');
      const found = match(routes, req.method ?? 'GET', url.pathname);
      const raw = await readBody(req, opts.maxBodyBytes);
      if (!found) throw new AwsError(UnknownOperation, `No operation serves ${req.method ?? ''} ${url.pathname}.`);
      const output = await found.route.handler({ params: found.params, query: url.searchParams, body: parseBody(raw), ctx });
      send(res, 200, serializeJson(output ?? {}));
    } catch (err) {
      sendError(res, err, opts);
    }
  };
}

function match(routes: readonly RestRoute[], method: string, pathname: string): { route: RestRoute; params: Record<string, string> } | undefined {
  const segments = pathname.split('/').filter((s) => s !== '');
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split('/').filter((s) => s !== '');
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((p, i) => {
      const seg = segments[i] as string;
      if (p.startsWith('{')) {
        params[p.slice(1, -1)] = decodeSegment(seg);
        return true;
      }
      return p === seg;
    });
    if (ok) return { route, params };
  }
  return undefined;
}

function decodeSegment(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    throw invalid(`The path segment '${seg}' is not valid percent-encoding.`);
  }
}

function parseBody(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw invalid('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid('The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

function send(res: http.ServerResponse, status: number, body: string, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers }).end(body);
}

function sendError(res: http.ServerResponse, err: unknown, opts: { logger: Logger; serverErrorCode: string }): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof AwsError) {
    send(res, err.httpStatus, JSON.stringify({ Message: err.message }), { 'x-amzn-errortype': err.code });
    return;
  }
  opts.logger.error('scheduler: request failed', { err });
  const message = 'The server failed to process the request; see the skiff log for details.';
  send(res, 500, JSON.stringify({ Message: message }), { 'x-amzn-errortype': opts.serverErrorCode });
}
