import net from 'node:net';

/** What an upstream connection reports to the exchange using it. */
export interface UpstreamOwner {
  onUpData(chunk: Buffer): void;
  /** The connection closed (after an error, a timeout or the target's close). */
  onUpClose(err: Error | undefined): void;
  onUpDrain(): void;
}

/**
 * One keep-alive connection to a target. Its listeners are attached once and call
 * whichever exchange owns it now, so a request adds none.
 */
export class Upstream {
  owner: UpstreamOwner | undefined;
  /** Requests this connection has carried (0 while the first is on it). */
  uses = 0;
  private error: Error | undefined;

  constructor(
    readonly socket: net.Socket,
    private readonly pool: UpstreamPool,
  ) {
    socket.on('data', (chunk: Buffer) => {
      if (this.owner) this.owner.onUpData(chunk);
      else socket.destroy(); // an idle connection has nothing to say
    });
    socket.on('drain', () => this.owner?.onUpDrain());
    socket.on('timeout', () => socket.destroy(new UpstreamTimeout()));
    socket.on('error', (err) => (this.error = err));
    socket.on('close', () => {
      pool.forget(this);
      const owner = this.owner;
      this.owner = undefined;
      owner?.onUpClose(this.error ?? new Error('target closed the connection'));
    });
  }

  /** Back to the pool for the next request (the exchange is complete on both sides). */
  release(): void {
    this.owner = undefined;
    this.uses++;
    this.socket.setTimeout(0);
    if (this.socket.isPaused()) this.socket.resume();
    this.pool.idle(this);
  }
}

/** No answer from the target within the load balancer's idle timeout (504). */
export class UpstreamTimeout extends Error {
  constructor() {
    super('target did not answer within the idle timeout');
  }
}

/**
 * The fast path's keep-alive connections to one target, reused last-in first-out (as
 * the node:http agent it stands beside does), opened on demand with no upper bound.
 */
export class UpstreamPool {
  private readonly free: Upstream[] = [];
  private readonly all = new Set<Upstream>();
  private closed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** A connection for `owner`: an idle one when there is one, else a new one. */
  acquire(owner: UpstreamOwner, idleTimeoutMs: number, fresh: boolean): Upstream {
    let up: Upstream | undefined;
    while (!fresh && (up = this.free.pop()) !== undefined && up.socket.destroyed);
    if (!up || up.socket.destroyed) {
      up = new Upstream(net.connect({ host: this.host, port: this.port, noDelay: true }), this);
      this.all.add(up);
      if (this.closed) up.socket.destroy();
    }
    up.owner = owner;
    up.socket.setTimeout(idleTimeoutMs);
    return up;
  }

  idle(up: Upstream): void {
    if (this.closed) up.socket.destroy();
    else this.free.push(up);
  }

  forget(up: Upstream): void {
    this.all.delete(up);
    const i = this.free.indexOf(up);
    if (i >= 0) this.free.splice(i, 1);
  }

  /** Closes every connection, idle or in use (the target left the group). */
  close(): void {
    this.closed = true;
    for (const up of [...this.all]) up.socket.destroy();
  }
}
