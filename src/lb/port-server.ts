import http from 'node:http';
import type net from 'node:net';
import { FastConnection, type FastPort } from './fast-path.js';
import type { ListenerEnv, ListenerRuntime } from './listener.js';
import { hostOf } from './listener.js';
import { sendError } from './pages.js';

/** Why a listener port could not be opened, in words for the API's error message. */
export class PortUnavailableError extends Error {
  constructor(
    readonly port: number,
    readonly host: string,
    cause: NodeJS.ErrnoException,
  ) {
    const why =
      cause.code === 'EADDRINUSE'
        ? 'is already in use by another process (or another skiff)'
        : cause.code === 'EACCES'
          ? 'needs privileges this skiff does not have (ports below 1024 need root or CAP_NET_BIND_SERVICE)'
          : `cannot be opened (${cause.code ?? cause.message})`;
    super(`Port ${port} on ${host} ${why}.`, { cause });
  }
}

/**
 * One HTTP server on one port, shared by every listener on that port: on AWS each load
 * balancer has its own addresses, here all listen on one loopback address, so a port
 * with several listeners picks by the Host header (the load balancer's DNS name), and
 * a port with one listener serves every request.
 */
export class PortServer implements FastPort {
  listeners: ListenerRuntime[] = [];
  readonly server: http.Server;
  readonly connections = new Set<FastConnection>();
  private bound: Promise<void> | undefined;
  /** node:http's own connection handler, for connections the fast path hands over. */
  private readonly httpConnection: (socket: net.Socket) => void;

  constructor(
    readonly port: number,
    private readonly host: string,
    readonly env: ListenerEnv,
  ) {
    this.server = http.createServer((req, res) => {
      const listener = this.pick(req.headers.host);
      if (!listener) sendError(res, 503);
      else listener.handle(req, res, env);
    });
    // ALB closes idle client connections after the idle timeout (60 s by default).
    this.server.keepAliveTimeout = 60_000;
    this.server.headersTimeout = 65_000;
    this.server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nServer: awselb/2.0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    // Every connection starts on the fast path (fast-path.ts); node:http takes over a
    // connection at its first request the fast path leaves to it. The server still
    // listens and tracks handed-over connections (timeouts, closeIdleConnections).
    const [httpConnection] = this.server.listeners('connection') as Array<(socket: net.Socket) => void>;
    if (!httpConnection) throw new Error('node:http server without a connection listener');
    this.httpConnection = httpConnection;
    this.server.removeListener('connection', httpConnection);
    this.server.on('connection', (socket: net.Socket) => new FastConnection(socket, this));
  }

  fallback(socket: net.Socket, pending: Buffer | undefined): void {
    this.httpConnection.call(this.server, socket);
    // node:http reads the socket itself from here on; what was read already is given to it first
    if (pending) socket.emit('data', pending);
    if (socket.isPaused()) socket.resume();
  }

  get isBound(): boolean {
    return this.server.listening;
  }

  pick(hostHeader: string | undefined): ListenerRuntime | undefined {
    const ls = this.listeners;
    if (ls.length <= 1) return ls[0];
    const host = hostOf(hostHeader);
    return ls.find((l) => l.dnsName === host) ?? ls[0];
  }

  /** Binds once; concurrent callers share the attempt, and a failed attempt can be retried. */
  bind(): Promise<void> {
    this.bound ??= new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        this.bound = undefined;
        reject(new PortUnavailableError(this.port, this.host, err));
      };
      this.server.once('error', onError);
      this.server.listen(this.port, this.host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    return this.bound;
  }

  /**
   * Stops accepting connections; idle keep-alive connections close at once, requests in
   * flight get `graceMs` to finish before their connections are cut.
   */
  async close(graceMs = 2000): Promise<void> {
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      const cut = setTimeout(() => {
        this.server.closeAllConnections();
        for (const c of this.connections) c.destroy();
      }, graceMs).unref();
      this.server.close(() => {
        clearTimeout(cut);
        resolve();
      });
      this.server.closeIdleConnections();
      for (const c of this.connections) if (c.idle) c.destroy();
    });
  }
}
