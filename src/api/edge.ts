import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsError, CommonErrors, systemClock, type AccountScope, type Clock, type IdGenerator, type Logger } from '../core/index.js';
import { AuthFailure, claimedCredentials, verifySignature, writeAuthError, type AuthProtocol, type Claimed, type CredentialsAuthority } from './auth.js';
import { checkJsonContentType, jsonError, parseJsonBody, serializeJson, type ErrorBody } from './json-protocol.js';
import { JSON_CONTENT_TYPES, type JsonService, type RequestContext } from './service.js';
import { credentialScopeOf, sha256Hex, type CredentialScope } from './sigv4.js';

/** A service with its own wire protocol (rest-xml for S3, query for ELBv2), handed the raw request. */
export type RawHandler = (req: http.IncomingMessage, res: http.ServerResponse, ctx: RequestContext) => Promise<void>;

/** The wire protocol of a raw service: how its errors are written. */
export type RawProtocol = 'restXml' | 'query' | 'restJson';

export interface EdgeOptions {
  scope: AccountScope;
  ids: IdGenerator;
  logger: Logger;
  maxBodyBytes: number;
  /** For signature times; the system clock by default. */
  clock?: Clock;
  /** Checks requests signed with credentials Skiff issued (task roles); without it nothing is checked. */
  credentials?: CredentialsAuthority;
}

interface RawService {
  handler: RawHandler;
  protocol: RawProtocol;
}

/** Bodies the edge read to check a signature, handed to the service's readBody. */
const bufferedBodies = new WeakMap<http.IncomingMessage, Buffer>();

/**
 * The one HTTP server of the control plane. It picks the service (X-Amz-Target for
 * awsJson, else the SigV4 scope's service name, else S3's path style), decodes the
 * request, calls the operation and is the one place errors become AWS errors.
 */
export class Edge {
  private readonly byTarget = new Map<string, JsonService>();
  private readonly bySigningName = new Map<string, JsonService>();
  private readonly raw = new Map<string, RawService>();
  readonly server: http.Server;

  constructor(private readonly opts: EdgeOptions) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        opts.logger.error('edge: unhandled failure', { err });
        if (!res.headersSent) writeError(res, jsonError('InternalFailure', 'Internal failure.', 500), 'none');
        else res.destroy();
      });
    });
    // SDK clients pool connections: keep idle ones longer than their own idle limits, and
    // keep the header deadline above the keep-alive one so Node's periodic connection
    // check never closes an idle pooled socket a client is about to reuse
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 70_000;
  }

  addJsonService(svc: JsonService): void {
    this.byTarget.set(svc.targetPrefix, svc);
    this.bySigningName.set(svc.signingName, svc);
  }

  addRawService(signingName: string, handler: RawHandler, protocol: RawProtocol = 'restXml'): void {
    this.raw.set(signingName, { handler, protocol });
  }

  /** The edge's request listener, for another server (the task agent) to hand API calls to. */
  readonly dispatch = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    this.server.emit('request', req, res);
  };

  async listen(host: string, port: number): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = this.opts.ids.uuid();
    res.setHeader('x-amzn-RequestId', requestId);
    const url = new URL(req.url ?? '/', 'http://skiff.local');
    if (url.pathname === '/_skiff/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    const scope = credentialScopeOf(req.headers.authorization, url.searchParams);
    const claimed = this.claim(req, url.searchParams);
    const ctx: RequestContext = {
      requestId,
      region: scope?.region ?? this.opts.scope.region,
      account: this.opts.scope.account,
      signingService: scope?.service,
      accessKeyId: scope?.accessKeyId,
      principal: undefined,
    };
    const target = header(req, 'x-amz-target');
    if (target !== undefined) return this.handleJson(req, res, target, ctx, claimed);
    const raw = this.raw.get(scope?.service ?? 's3');
    if (!raw) {
      await drain(req);
      return writeError(res, unroutable(scope), 'none');
    }
    if (claimed instanceof AuthFailure) return writeAuthError(res, authProtocol(raw.protocol), claimed, requestId);
    if (claimed) {
      try {
        ctx.principal = verifySignature(req, claimed, this.now(), await this.rawPayloadHash(req, scope?.service));
      } catch (err) {
        if (!(err instanceof AuthFailure)) throw err;
        await drain(req);
        return writeAuthError(res, authProtocol(raw.protocol), err, requestId);
      }
    }
    return raw.handler(req, res, ctx);
  }

  private now(): Date {
    return (this.opts.clock ?? systemClock).now();
  }

  /** Credentials Skiff issued that a request claims (undefined: unsigned or foreign), or why they are refused. */
  private claim(req: http.IncomingMessage, query: URLSearchParams): Claimed | AuthFailure | undefined {
    if (!this.opts.credentials) return undefined;
    try {
      return claimedCredentials(req, query, this.opts.credentials, this.now());
    } catch (err) {
      if (err instanceof AuthFailure) return err;
      throw err;
    }
  }

  /**
   * S3 signs the x-amz-content-sha256 it sends (a hash, UNSIGNED-PAYLOAD or a streaming
   * form) and its bodies stream, so that value is taken as is; other services sign the
   * body's hash, so the body is read (and kept for the service's readBody).
   */
  private async rawPayloadHash(req: http.IncomingMessage, service: string | undefined): Promise<string> {
    const declared = header(req, 'x-amz-content-sha256');
    if (service === 's3' || service === undefined) return declared ?? 'UNSIGNED-PAYLOAD';
    const body = await readBody(req, this.opts.maxBodyBytes);
    bufferedBodies.set(req, body);
    return sha256Hex(body);
  }

  private async handleJson(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    target: string,
    ctx: RequestContext,
    claimed: Claimed | AuthFailure | undefined,
  ): Promise<void> {
    const dot = target.lastIndexOf('.');
    const svc = this.byTarget.get(target.slice(0, dot));
    const operation = target.slice(dot + 1);
    const handler = svc && dot > 0 ? svc.operations[operation] : undefined;
    const contentType = svc ? JSON_CONTENT_TYPES[svc.protocol] : JSON_CONTENT_TYPES.awsJson1_1;
    try {
      const body = await readBody(req, this.opts.maxBodyBytes);
      if (claimed instanceof AuthFailure) throw claimed;
      if (claimed) ctx.principal = verifySignature(req, claimed, this.now(), sha256Hex(body));
      if (!svc || !handler) {
        throw new AwsError(CommonErrors.UnknownOperationException, `Unknown operation ${target}.`);
      }
      checkJsonContentType(svc, header(req, 'content-type'));
      const input = parseJsonBody(body);
      const output = await handler(input, ctx);
      const payload = serializeJson(output);
      res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }).end(payload);
    } catch (err) {
      if (err instanceof AuthFailure) return writeAuthError(res, 'json', err, ctx.requestId);
      writeError(res, this.toErrorBody(err, svc, operation), contentType);
    }
  }

  private toErrorBody(err: unknown, svc: JsonService | undefined, operation: string): ErrorBody {
    if (err instanceof AwsError) return jsonError(err.code, err.message, err.httpStatus);
    this.opts.logger.error(`edge: ${operation} failed`, { err });
    const code = svc?.serverErrorCode ?? 'InternalFailure';
    return jsonError(code, 'The server failed to process the request; see the skiff log for details.', 500);
  }
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function unroutable(scope: CredentialScope | undefined): ErrorBody {
  const what = scope ? `service '${scope.service}' is not served by skiff` : 'no X-Amz-Target header or SigV4 credential scope';
  return jsonError('UnknownOperationException', `Cannot route the request: ${what}.`, 400);
}

function writeError(res: http.ServerResponse, e: ErrorBody, contentType: string): void {
  const headers: http.OutgoingHttpHeaders = {
    'content-type': contentType === 'none' ? 'application/x-amz-json-1.1' : contentType,
    'x-amzn-errortype': e.code,
    'content-length': Buffer.byteLength(e.body),
  };
  if (e.status === 413) headers['connection'] = 'close';
  res.writeHead(e.status, headers).end(e.body);
}

class BodyTooLarge extends AwsError {
  constructor(limit: number) {
    super(CommonErrors.RequestEntityTooLargeException, `The request body is larger than ${limit} bytes.`);
  }
}

function authProtocol(protocol: RawProtocol): AuthProtocol {
  return protocol === 'restJson' ? 'json' : protocol;
}

/** Reads a whole body, refusing (without buffering) anything over the limit. */
export async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const buffered = bufferedBodies.get(req);
  if (buffered) return buffered;
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw new BodyTooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new BodyTooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function drain(req: http.IncomingMessage): Promise<void> {
  for await (const _ of req) {
    // discard
  }
}
