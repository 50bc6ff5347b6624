import type http from 'node:http';
import { weightedChooser } from './balance.js';
import type { ListenerConfig, RouteAction } from './config.js';
import { compileRules, route, type CompiledRule, type RequestView } from './match.js';
import { sendError, sendFixed, sendRedirect } from './pages.js';
import { forward } from './proxy.js';
import type { TargetGroupRuntime } from './target-group.js';
import type { TargetRuntime } from './target.js';

/** Where a listener finds target groups and trace ids; the data plane provides both. */
export interface ListenerEnv {
  group(arn: string): TargetGroupRuntime | undefined;
  traceId(incoming: string | string[] | undefined): string;
  /** The current time as an HTTP Date header value. */
  httpDate(): string;
}

type ForwardAction = Extract<RouteAction, { type: 'forward' }>;

/** A listener compiled for serving: its rules and, per forward action, a weighted chooser. */
export class ListenerRuntime {
  readonly rules: CompiledRule[];
  private readonly onlyDefault: RouteAction | undefined;
  private readonly choosers = new Map<RouteAction, () => string | undefined>();

  constructor(readonly config: ListenerConfig) {
    this.rules = compileRules(config.rules);
    const first = config.rules[0];
    this.onlyDefault = config.rules.length === 1 && first?.conditions.length === 0 ? first.action : undefined;
    for (const r of config.rules) if (r.action.type === 'forward') this.choosers.set(r.action, weightedChooser(r.action.groups));
  }

  get dnsName(): string {
    return this.config.dnsName;
  }

  /** The action of the first rule that holds; a listener with only its default rule never calls `view`. */
  actionFor(view: () => RequestView): RouteAction | undefined {
    return this.onlyDefault ?? route(this.rules, view());
  }

  /** The target a forward action sends this request to, counted as in flight; undefined when there is none (503). */
  choose(action: ForwardAction, env: ListenerEnv): TargetRuntime | undefined {
    const arn = this.choosers.get(action)?.();
    const group = arn === undefined ? undefined : env.group(arn);
    const target = group?.pick();
    if (!group || !target) return undefined;
    group.requests++;
    const c = target.counters;
    c.requests++;
    c.inFlight++;
    return target;
  }

  handle(req: http.IncomingMessage, res: http.ServerResponse, env: ListenerEnv): void {
    const action = this.actionFor(() => requestView(req));
    if (!action) return sendError(res, 503);
    if (action.type === 'fixed-response') return sendFixed(res, action);
    if (action.type === 'redirect') return sendRedirect(res, action, requestView(req), this.config.port);
    const target = this.choose(action, env);
    if (!target) return sendError(res, 503);
    const c = target.counters;
    forward(req, res, target, {
      listenerPort: this.config.port,
      idleTimeoutMs: this.config.idleTimeoutMs,
      traceId: env.traceId(req.headers['x-amzn-trace-id']),
      done: (status, fromTarget) => {
        c.inFlight--;
        target.record(status, fromTarget);
      },
    });
  }
}

/** The parts of a request rule conditions look at. */
export function requestView(req: http.IncomingMessage): RequestView {
  let url = req.url ?? '/';
  if (!url.startsWith('/')) {
    // absolute-form (a client that treats us as a proxy): keep path and query only
    try {
      const u = new URL(url);
      url = u.pathname + u.search;
    } catch {
      url = '/';
    }
  }
  const q = url.indexOf('?');
  return {
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    host: hostOf(req.headers.host),
    method: req.method ?? 'GET',
    headers: req.headers,
    sourceIp: req.socket.remoteAddress ?? '',
  };
}

/** The Host header lowercased, without its port (IPv6 literals keep their brackets). */
export function hostOf(host: string | undefined): string {
  if (!host) return '';
  const h = host.toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? h : h.slice(0, end + 1);
  }
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}
