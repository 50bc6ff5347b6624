import type http from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RequestContext } from '../api/index.js';
import { AwsError, type Logger } from '../core/index.js';
import { S3Error } from './errors.js';
import type { S3Target } from './request.js';
import { el, xmlEscape } from './xml.js';

/** What an operation answers: a status, headers and a body (XML text, a byte stream, or nothing). */
export interface S3Response {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | number>>;
  readonly body?: string | Buffer | Readable | undefined;
}

/** One request, as an operation sees it. */
export interface S3Call {
  readonly req: http.IncomingMessage;
  readonly target: S3Target;
  readonly ctx: RequestContext;
  readonly now: Date;
}

export function xmlResponse(xml: string, status = 200, headers: Record<string, string | number> = {}): S3Response {
  return { status, headers: { 'content-type': 'application/xml', ...headers }, body: xml };
}

export function emptyResponse(status = 200, headers: Record<string, string | number> = {}): S3Response {
  return { status, headers, body: undefined };
}

/** Writes an operation's answer; a stream body is piped with backpressure, and cut short if the client goes. */
export async function send(req: http.IncomingMessage, res: http.ServerResponse, out: S3Response, requestId: string): Promise<void> {
  const headers: http.OutgoingHttpHeaders = { 'x-amz-request-id': requestId, 'x-amz-id-2': requestId, ...out.headers };
  const body = req.method === 'HEAD' ? undefined : out.body;
  if (isStream(out.body) && body === undefined) out.body.destroy();
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    headers['content-length'] = Buffer.byteLength(body);
    res.writeHead(out.status, headers).end(body);
    return;
  }
  if (body === undefined) {
    if (headers['content-length'] === undefined && out.status !== 304) headers['content-length'] = 0;
    res.writeHead(out.status, headers).end();
    return;
  }
  res.writeHead(out.status, headers);
  try {
    await pipeline(body, res);
  } catch {
    // the client went away or a file read failed mid-body: the connection is already cut
    res.destroy();
  }
}

function isStream(body: S3Response['body']): body is Readable {
  return body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body);
}

/**
 * The error boundary: an S3Error becomes S3's `<Error>` document with its extra
 * elements; any other AwsError keeps its code and status; anything else is logged and
 * answered as InternalError, so bad input never crashes the server. HEAD answers carry
 * no body, as S3's.
 */
export function sendError(req: http.IncomingMessage, res: http.ServerResponse, err: unknown, target: Pick<S3Target, 'resource'>, ctx: RequestContext, logger: Logger): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  let code = 'InternalError';
  let status = 500;
  let message = 'We encountered an internal error. Please try again; the skiff log has the details.';
  let details: Record<string, string> = {};
  if (err instanceof AwsError) {
    ({ code, httpStatus: status, message } = err);
    if (err instanceof S3Error) details = { ...err.details };
  } else {
    logger.error(`s3: ${req.method ?? ''} ${target.resource} failed`, { err });
  }
  const headers: http.OutgoingHttpHeaders = { 'x-amz-request-id': ctx.requestId, 'x-amz-id-2': ctx.requestId };
  if (status === 304 || req.method === 'HEAD') {
    res.writeHead(status, { ...headers, 'x-amz-error-code': code }).end();
    return;
  }
  const xml = errorDocument(code, message, details, target.resource, ctx.requestId);
  res.writeHead(status, { ...headers, 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) }).end(xml);
}

export function errorDocument(code: string, message: string, details: Record<string, string>, resource: string, requestId: string): string {
  const extra = Object.entries(details).map(([k, v]) => el(k, v)).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message>` +
    `${extra}${el('Resource', resource)}${el('RequestId', requestId)}${el('HostId', requestId)}</Error>`
  );
}
