import { isIP } from 'node:net';
import { targetKey, type TargetHealth } from '../lb/index.js';
import type { Elbv2Context } from './context.js';
import { constraint, elbError, invalid, tgNotFound } from './errors.js';
import type { StoredTargetGroup } from './model.js';

export interface TargetInput {
  Id: string;
  Port?: number | undefined;
  AvailabilityZone?: string | undefined;
}

export interface TargetHealthDescription {
  Target: { Id: string; Port: number; AvailabilityZone?: string | undefined };
  HealthCheckPort: string;
  TargetHealth: { State: string; Reason?: string | undefined; Description?: string | undefined };
}

const MAX_TARGETS = 1000;

/** RegisterTargets, DeregisterTargets and DescribeTargetHealth (also behind the programmatic interface). */
export class Targets {
  constructor(private readonly ctx: Elbv2Context) {}

  register(input: { TargetGroupArn: string; Targets: TargetInput[] }): Record<string, never> {
    const tg = this.require(input.TargetGroupArn);
    const targets = this.resolve(tg, input.Targets);
    const { repo } = this.ctx;
    repo.transaction(() => {
      const now = this.ctx.clock.now();
      repo.addTargets(targets.map((t) => ({ targetGroupArn: tg.TargetGroupArn, id: t.Id, port: t.Port, availabilityZone: t.AvailabilityZone, registeredAt: now })));
      if (repo.targetsOf(tg.TargetGroupArn).length > MAX_TARGETS) {
        throw elbError('TooManyTargets', `A target group can have at most ${MAX_TARGETS} registered targets`);
      }
    });
    this.ctx.changed();
    return {};
  }

  deregister(input: { TargetGroupArn: string; Targets: TargetInput[] }): Record<string, never> {
    const tg = this.require(input.TargetGroupArn);
    const targets = this.resolve(tg, input.Targets);
    const { repo } = this.ctx;
    const registered = new Set(repo.targetsOf(tg.TargetGroupArn).map((t) => targetKey(t.id, t.port)));
    const missing = targets.filter((t) => !registered.has(targetKey(t.Id, t.Port)));
    if (missing.length > 0) {
      const list = missing.map((t) => `'${t.Id}:${t.Port}'`).join(', ');
      throw elbError('InvalidTarget', `The following targets are not registered in target group '${tg.TargetGroupArn}': ${list}`);
    }
    repo.transaction(() => repo.removeTargets(tg.TargetGroupArn, targets.map((t) => ({ id: t.Id, port: t.Port }))));
    this.ctx.changed();
    return {};
  }

  describeHealth(input: { TargetGroupArn: string; Targets?: TargetInput[] }): { TargetHealthDescriptions: TargetHealthDescription[] } {
    const tg = this.require(input.TargetGroupArn);
    const all = this.known(tg);
    if (!input.Targets?.length) return { TargetHealthDescriptions: all };
    const out: TargetHealthDescription[] = [];
    for (const want of input.Targets) {
      const found = all.filter((d) => d.Target.Id === want.Id && (want.Port === undefined || d.Target.Port === want.Port));
      if (found.length > 0) out.push(...found);
      else out.push(notRegistered(tg, want));
    }
    return { TargetHealthDescriptions: out };
  }

  /** Registered targets and those still draining, with the health the data plane measured. */
  private known(tg: StoredTargetGroup): TargetHealthDescription[] {
    const runtime = this.ctx.plane.group(tg.TargetGroupArn);
    const out = new Map<string, TargetHealthDescription>();
    for (const t of this.ctx.repo.targetsOf(tg.TargetGroupArn)) {
      const health = runtime?.targets.get(targetKey(t.id, t.port))?.health;
      out.set(targetKey(t.id, t.port), describe(tg, t.id, t.port, t.availabilityZone, health));
    }
    for (const t of runtime?.targets.values() ?? []) {
      if (!out.has(t.key)) out.set(t.key, describe(tg, t.id, t.port, undefined, t.health));
    }
    return [...out.values()];
  }

  require(arn: string): StoredTargetGroup {
    const tg = this.ctx.repo.targetGroup(arn);
    if (!tg) throw tgNotFound();
    return tg;
  }

  /** Checks ids for the group's target type and fills in the group's port. */
  private resolve(tg: StoredTargetGroup, targets: TargetInput[]): Array<TargetInput & { Port: number }> {
    if (targets.length === 0) throw constraint('targets', [], 'Member must have at least 1 element');
    return targets.map((t) => {
      const port = t.Port ?? tg.Port;
      if (port < 1 || port > 65535) throw constraint('targets.member.port', port, 'Member must have value between 1 and 65535');
      if (tg.TargetType === 'ip' && isIP(t.Id) === 0) {
        throw elbError('InvalidTarget', `The IP address '${t.Id}' is not a valid IPv4 or IPv6 address`);
      }
      if (t.Id.trim() === '') throw invalid('A target ID must not be empty');
      return { ...t, Port: port };
    });
  }
}

function describe(tg: StoredTargetGroup, id: string, port: number, az: string | undefined, health: TargetHealth | undefined): TargetHealthDescription {
  const state = health ?? { state: 'initial', reason: 'Elb.RegistrationInProgress', description: 'Target registration is in progress' };
  return {
    Target: { Id: id, Port: port, ...(az ? { AvailabilityZone: az } : {}) },
    HealthCheckPort: tg.HealthCheckPort === 'traffic-port' ? String(port) : tg.HealthCheckPort,
    TargetHealth: { State: state.state, Reason: state.reason, Description: state.description },
  };
}

function notRegistered(tg: StoredTargetGroup, t: TargetInput): TargetHealthDescription {
  const port = t.Port ?? tg.Port;
  return {
    Target: { Id: t.Id, Port: port },
    HealthCheckPort: tg.HealthCheckPort === 'traffic-port' ? String(port) : tg.HealthCheckPort,
    TargetHealth: { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' },
  };
}
