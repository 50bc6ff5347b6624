import { decodeToken, pageOf } from '../core/index.js';
import { PortUnavailableError } from '../lb/index.js';
import { checkActions, type ActionInput } from './actions.js';
import type { Elbv2Context } from './context.js';
import { badConfig, constraint, elbError, Elbv2Errors, invalid, lbNotFound, listenerNotFound } from './errors.js';
import type { Listener, StoredListener, Tag } from './model.js';
import { listenerArn, newId, pageSize, ruleArn } from './names.js';
import { checkTags } from './tags.js';

interface ListenerInput {
  Protocol?: string;
  Port?: number;
  SslPolicy?: string;
  Certificates?: unknown[];
  AlpnPolicy?: string[];
}

const MAX_LISTENERS = 50;

export function publicListener(l: StoredListener): Listener {
  const { DefaultRuleArn: _rule, ...rest } = l;
  return rest;
}

function checkProtocol(input: ListenerInput): void {
  if (input.Protocol === 'HTTPS') throw elbError('UnsupportedProtocol', 'HTTPS listeners are not supported by skiff yet: use HTTP');
  if (input.Protocol !== undefined && input.Protocol !== 'HTTP') {
    throw elbError('UnsupportedProtocol', `Protocol '${input.Protocol}' is not supported by an Application Load Balancer: use HTTP`);
  }
  if (input.Certificates?.length || input.SslPolicy !== undefined || input.AlpnPolicy?.length) {
    throw badConfig('Certificates, SSL policies and ALPN policies apply to HTTPS listeners only');
  }
  if (input.Port !== undefined && (input.Port < 1 || input.Port > 65535)) throw constraint('port', input.Port, 'Member must have value between 1 and 65535');
}

/** CreateListener, DescribeListeners, ModifyListener, DeleteListener. */
export class Listeners {
  constructor(private readonly ctx: Elbv2Context) {}

  async create(input: ListenerInput & { LoadBalancerArn: string; DefaultActions: ActionInput[]; Tags?: Tag[] }): Promise<{ Listeners: Listener[] }> {
    const { repo } = this.ctx;
    const lb = repo.loadBalancer(input.LoadBalancerArn);
    if (!lb) throw lbNotFound();
    if (input.Protocol === undefined) throw invalid('A listener protocol must be specified');
    if (input.Port === undefined) throw invalid('A listener port must be specified');
    checkProtocol(input);
    const actions = checkActions(this.ctx, input.DefaultActions, lb.LoadBalancerArn);
    checkTags(input.Tags ?? []);
    const siblings = repo.listeners().filter((l) => l.LoadBalancerArn === lb.LoadBalancerArn);
    const same = siblings.find((l) => l.Port === input.Port);
    if (same) {
      if (JSON.stringify(same.DefaultActions) === JSON.stringify(actions)) return { Listeners: [publicListener(same)] };
      throw elbError('DuplicateListener', 'A listener already exists on this port for this load balancer');
    }
    if (siblings.length >= MAX_LISTENERS) throw elbError('TooManyListeners', `A load balancer can have at most ${MAX_LISTENERS} listeners`);
    const arn = listenerArn(lb.LoadBalancerArn, newId(this.ctx.ids));
    const listener: StoredListener = {
      ListenerArn: arn,
      LoadBalancerArn: lb.LoadBalancerArn,
      Port: input.Port,
      Protocol: 'HTTP',
      DefaultActions: actions,
      DefaultRuleArn: ruleArn(arn, newId(this.ctx.ids)),
    };
    await this.withPort(input.Port, () =>
      repo.transaction(() => {
        repo.putListener(listener);
        this.ctx.tags.put(arn, (input.Tags ?? []).map((t) => ({ key: t.Key, value: t.Value ?? '' })));
      }),
    );
    return { Listeners: [publicListener(listener)] };
  }

  describe(input: { LoadBalancerArn?: string; ListenerArns?: string[]; Marker?: string; PageSize?: number }): { Listeners: Listener[]; NextMarker?: string } {
    const size = pageSize(input.PageSize);
    const { repo } = this.ctx;
    let all: StoredListener[];
    if (input.ListenerArns?.length) {
      if (input.LoadBalancerArn !== undefined) throw invalid('Listener ARNs and a load balancer ARN cannot be specified at the same time');
      all = input.ListenerArns.map((arn) => repo.listener(arn) ?? throwNotFound());
    } else if (input.LoadBalancerArn !== undefined) {
      if (!repo.loadBalancer(input.LoadBalancerArn)) throw lbNotFound();
      all = repo.listeners().filter((l) => l.LoadBalancerArn === input.LoadBalancerArn);
    } else {
      throw invalid('You must specify either listener ARNs or a load balancer ARN');
    }
    all.sort((a, b) => (a.ListenerArn < b.ListenerArn ? -1 : 1));
    const after = input.Marker === undefined ? undefined : decodeToken(input.Marker, Elbv2Errors.ValidationError);
    const page = pageOf(all, (l) => l.ListenerArn, size, after);
    return { Listeners: page.items.map(publicListener), ...(page.nextToken ? { NextMarker: page.nextToken } : {}) };
  }

  async modify(input: ListenerInput & { ListenerArn: string; DefaultActions?: ActionInput[] }): Promise<{ Listeners: Listener[] }> {
    const { repo } = this.ctx;
    const current = repo.listener(input.ListenerArn) ?? throwNotFound();
    checkProtocol(input);
    const next: StoredListener = { ...current };
    if (input.DefaultActions !== undefined) next.DefaultActions = checkActions(this.ctx, input.DefaultActions, current.LoadBalancerArn);
    if (input.Port !== undefined && input.Port !== current.Port) {
      const clash = repo.listeners().some((l) => l.LoadBalancerArn === current.LoadBalancerArn && l.Port === input.Port);
      if (clash) throw elbError('DuplicateListener', 'A listener already exists on this port for this load balancer');
      next.Port = input.Port;
    }
    await this.withPort(next.Port, () => repo.putListener(next));
    return { Listeners: [publicListener(next)] };
  }

  delete(input: { ListenerArn: string }): Record<string, never> {
    const { repo, tags } = this.ctx;
    const l = repo.listener(input.ListenerArn) ?? throwNotFound();
    repo.transaction(() => {
      for (const r of repo.rules().filter((x) => x.ListenerArn === l.ListenerArn)) tags.removeAll(r.RuleArn);
      tags.removeAll(l.ListenerArn);
      tags.removeAll(l.DefaultRuleArn);
      repo.deleteListener(l.ListenerArn);
    });
    this.ctx.changed();
    return {};
  }

  /**
   * Opens the port before the listener is stored, so a port another process holds fails
   * the call instead of leaving a listener that serves nothing; the routing table is
   * rebuilt whether or not the write succeeds (which also closes an unused reservation).
   */
  private async withPort(port: number, write: () => void): Promise<void> {
    try {
      await this.ctx.plane.reservePort(port);
      write();
    } catch (err) {
      if (err instanceof PortUnavailableError) throw badConfig(`${err.message} Pick another listener port.`);
      // two calls raced for one port of one load balancer: the UNIQUE index decided
      if (String((err as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')) {
        throw elbError('DuplicateListener', 'A listener already exists on this port for this load balancer');
      }
      throw err;
    } finally {
      this.ctx.changed();
    }
  }
}

function throwNotFound(): never {
  throw listenerNotFound();
}
