import type http from 'node:http';
import { readBody, type RawHandler, type RequestContext, type Shape } from '../api/index.js';
import { AwsError, clientError, type AwsErrorSpec, type Logger } from '../core/index.js';
import { decodeQueryInput, parseQueryRequest } from './query.js';
import { xmlError, xmlResponse } from './xml.js';

/** One awsQuery operation: its input shape and handler (sync or async). */
export interface QueryOperation {
  readonly input: Shape;
  readonly handler: (input: Record<string, unknown>, ctx: RequestContext) => unknown;
}

/** A service speaking awsQuery, served as a raw handler of the edge. */
export interface QueryService {
  /** The XML namespace of responses, e.g. `http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/`. */
  readonly namespace: string;
  /** The API version clients send as `Version`. */
  readonly version: string;
  readonly operations: Readonly<Record<string, QueryOperation>>;
  /** The service's validation error (ValidationError for ELBv2). */
  readonly invalid: AwsErrorSpec;
  /** The code answered for a failure of ours (HTTP 500). */
  readonly serverErrorCode: string;
  readonly maxBodyBytes: number;
  readonly logger: Logger;
}

const QueryErrors = {
  InvalidAction: clientError('InvalidAction'),
  MissingAction: clientError('MissingAction'),
  InvalidParameterValue: clientError('InvalidParameterValue'),
} as const;

/**
 * The error boundary of an awsQuery service: every AwsError becomes the
 * `<ErrorResponse>` document with its code and status; anything else is logged and
 * answered as the service's server error, so bad input never crashes the server.
 */
export function queryHandler(svc: QueryService): RawHandler {
  return async (req, res, ctx) => {
    let action = 'Unknown';
    try {
      const body = await readBody(req, svc.maxBodyBytes);
      const url = new URL(req.url ?? '/', 'http://skiff.local');
      const parsed = parseQueryRequest(body.toString('utf8'), url.searchParams);
      action = parsed.action ?? 'Unknown';
      const op = resolveOperation(svc, parsed.action, parsed.version);
      const input = decodeQueryInput(parsed.params, op.input, svc.invalid);
      const output = await op.handler(input, ctx);
      send(res, 200, xmlResponse(svc.namespace, action, output ?? {}, ctx.requestId));
    } catch (err) {
      sendError(svc, res, err, action, ctx.requestId);
    }
  };
}

function resolveOperation(svc: QueryService, action: string | undefined, version: string | undefined): QueryOperation {
  if (!action) throw new AwsError(QueryErrors.MissingAction, 'The request must contain the parameter Action.');
  const op = Object.hasOwn(svc.operations, action) ? svc.operations[action] : undefined;
  if (!op) throw new AwsError(QueryErrors.InvalidAction, `The action ${action} is not valid for this web service.`);
  if (version !== undefined && version !== svc.version) {
    throw new AwsError(QueryErrors.InvalidParameterValue, `Version '${version}' is not supported: this service speaks ${svc.version}.`);
  }
  return op;
}

function sendError(svc: QueryService, res: http.ServerResponse, err: unknown, action: string, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof AwsError) {
    send(res, err.httpStatus, xmlError(svc.namespace, err.code, err.message, err.senderFault, requestId), err.httpStatus === 413);
    return;
  }
  svc.logger.error(`query: ${action} failed`, { err });
  const message = 'The server failed to process the request; see the skiff log for details.';
  send(res, 500, xmlError(svc.namespace, svc.serverErrorCode, message, false, requestId));
}

function send(res: http.ServerResponse, status: number, xml: string, close = false): void {
  const headers: http.OutgoingHttpHeaders = { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml) };
  if (close) headers['connection'] = 'close';
  res.writeHead(status, headers).end(xml);
}
