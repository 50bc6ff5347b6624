import { decodeToken, pageOf } from '../core/index.js';
import { attributeList, modifyAttributes, TARGET_GROUP_DEFAULTS } from './attributes.js';
import type { Elbv2Context } from './context.js';
import { badConfig, constraint, elbError, Elbv2Errors, invalid, tgNotFound } from './errors.js';
import { HEALTH_DEFAULTS, healthSettings, type HealthCheckInput } from './health-settings.js';
import { DEFAULT_VPC_ID } from './load-balancers.js';
import { targetGroupUsage, type StoredTargetGroup, type Tag, type TargetGroup } from './model.js';
import { checkName, newId, pageSize, targetGroupArn } from './names.js';
import { checkTags } from './tags.js';

interface CreateInput extends HealthCheckInput {
  Name: string;
  Protocol?: string;
  ProtocolVersion?: string;
  Port?: number;
  VpcId?: string;
  TargetType?: string;
  Tags?: Tag[];
  IpAddressType?: string;
}

type Attributes = { Attributes: Array<{ Key: string; Value: string }> };

/** The settings two CreateTargetGroup calls must share for the second to answer the first's group. */
function sameSettings(a: StoredTargetGroup, b: StoredTargetGroup): boolean {
  const strip = ({ TargetGroupArn: _a, attributes: _b, ...rest }: StoredTargetGroup): string => JSON.stringify(rest);
  return strip(a) === strip(b);
}

/** CreateTargetGroup, DescribeTargetGroups, ModifyTargetGroup, DeleteTargetGroup and attributes. */
export class TargetGroups {
  constructor(private readonly ctx: Elbv2Context) {}

  create(input: CreateInput): { TargetGroups: TargetGroup[] } {
    checkName(input.Name, 'target group');
    const tg = this.build(input);
    const existing = this.ctx.repo.targetGroupByName(input.Name);
    if (existing) {
      if (sameSettings(existing, { ...tg, TargetGroupName: existing.TargetGroupName })) return { TargetGroups: [this.view(existing)] };
      throw elbError('DuplicateTargetGroupName', 'A target group with the same name exists, with different settings');
    }
    checkTags(input.Tags ?? []);
    this.ctx.repo.transaction(() => {
      this.ctx.repo.putTargetGroup(tg);
      this.ctx.tags.put(tg.TargetGroupArn, (input.Tags ?? []).map((t) => ({ key: t.Key, value: t.Value ?? '' })));
    });
    this.ctx.changed();
    return { TargetGroups: [this.view(tg)] };
  }

  private build(input: CreateInput): StoredTargetGroup {
    const targetType = input.TargetType ?? 'instance';
    if (targetType !== 'ip' && targetType !== 'instance') {
      throw badConfig(`Target type '${targetType}' is not supported by skiff: use ip (or instance)`);
    }
    if (input.Protocol === undefined) throw invalid('A protocol must be specified');
    if (input.Protocol !== 'HTTP') throw badConfig(`Protocol '${input.Protocol}' is not supported by skiff: Application Load Balancer target groups here use HTTP`);
    if (input.Port === undefined) throw invalid('A port must be specified');
    if (input.Port < 1 || input.Port > 65535) throw constraint('port', input.Port, 'Member must have value between 1 and 65535');
    const version = input.ProtocolVersion ?? 'HTTP1';
    if (version !== 'HTTP1') throw badConfig(`Protocol version '${version}' is not supported by skiff: targets are spoken to in HTTP/1.1`);
    const ipType = input.IpAddressType ?? 'ipv4';
    if (ipType !== 'ipv4' && ipType !== 'ipv6') throw constraint('ipAddressType', ipType, 'Member must satisfy enum value set: [ipv4, ipv6]');
    return {
      TargetGroupArn: targetGroupArn(this.ctx.scope, input.Name, newId(this.ctx.ids)),
      TargetGroupName: input.Name,
      Protocol: 'HTTP',
      ProtocolVersion: 'HTTP1',
      Port: input.Port,
      VpcId: input.VpcId ?? DEFAULT_VPC_ID,
      ...healthSettings(HEALTH_DEFAULTS, input),
      TargetType: targetType,
      IpAddressType: ipType,
      attributes: {},
    };
  }

  describe(input: { LoadBalancerArn?: string; TargetGroupArns?: string[]; Names?: string[]; Marker?: string; PageSize?: number }): {
    TargetGroups: TargetGroup[];
    NextMarker?: string;
  } {
    const size = pageSize(input.PageSize);
    const filters = [input.LoadBalancerArn !== undefined, !!input.TargetGroupArns?.length, !!input.Names?.length].filter(Boolean).length;
    if (filters > 1) throw invalid('Specify at most one of load balancer ARN, target group ARNs and names');
    const { repo } = this.ctx;
    const usage = targetGroupUsage(repo.listeners(), repo.rules());
    let all = repo.targetGroups();
    if (input.LoadBalancerArn !== undefined) {
      if (!repo.loadBalancer(input.LoadBalancerArn)) throw elbError('LoadBalancerNotFound', 'One or more load balancers not found');
      all = all.filter((tg) => usage.get(tg.TargetGroupArn)?.includes(input.LoadBalancerArn!));
    } else if (input.TargetGroupArns?.length) {
      all = only(all, input.TargetGroupArns, (tg) => tg.TargetGroupArn);
    } else if (input.Names?.length) {
      all = only(all, input.Names, (tg) => tg.TargetGroupName);
    }
    const after = input.Marker === undefined ? undefined : decodeToken(input.Marker, Elbv2Errors.ValidationError);
    const page = pageOf(all, (tg) => tg.TargetGroupName, size, after);
    return {
      TargetGroups: page.items.map((tg) => this.view(tg, usage)),
      ...(page.nextToken ? { NextMarker: page.nextToken } : {}),
    };
  }

  modify(input: HealthCheckInput & { TargetGroupArn: string }): { TargetGroups: TargetGroup[] } {
    const tg = this.require(input.TargetGroupArn);
    const next: StoredTargetGroup = { ...tg, ...healthSettings(tg, input) };
    this.ctx.repo.putTargetGroup(next);
    this.ctx.changed();
    return { TargetGroups: [this.view(next)] };
  }

  /** Deleting a target group that does not exist succeeds, as on AWS. */
  delete(input: { TargetGroupArn: string }): Record<string, never> {
    const { repo, tags } = this.ctx;
    const tg = repo.targetGroup(input.TargetGroupArn);
    if (!tg) return {};
    if (targetGroupUsage(repo.listeners(), repo.rules()).has(tg.TargetGroupArn)) {
      throw elbError('ResourceInUse', `Target group '${tg.TargetGroupArn}' is currently in use by a listener or a rule`);
    }
    repo.transaction(() => {
      tags.removeAll(tg.TargetGroupArn);
      repo.deleteTargetGroup(tg.TargetGroupArn);
    });
    this.ctx.changed();
    return {};
  }

  describeAttributes(input: { TargetGroupArn: string }): Attributes {
    return { Attributes: attributeList(this.require(input.TargetGroupArn).attributes, TARGET_GROUP_DEFAULTS) };
  }

  modifyAttributes(input: { TargetGroupArn: string; Attributes: Array<{ Key?: string; Value?: string }> }): Attributes {
    const tg = this.require(input.TargetGroupArn);
    tg.attributes = modifyAttributes('target group', tg.attributes, input.Attributes);
    this.ctx.repo.putTargetGroup(tg);
    this.ctx.changed();
    return { Attributes: attributeList(tg.attributes, TARGET_GROUP_DEFAULTS) };
  }

  require(arn: string): StoredTargetGroup {
    const tg = this.ctx.repo.targetGroup(arn);
    if (!tg) throw tgNotFound();
    return tg;
  }

  /** The API's view: stored settings plus the load balancers that use the group. */
  view(tg: StoredTargetGroup, usage?: Map<string, string[]>): TargetGroup {
    const { attributes: _attributes, ...rest } = tg;
    const u = usage ?? targetGroupUsage(this.ctx.repo.listeners(), this.ctx.repo.rules());
    return { ...rest, LoadBalancerArns: u.get(tg.TargetGroupArn) ?? [] };
  }
}

function only<T>(all: T[], keys: string[], keyOf: (t: T) => string): T[] {
  const wanted = new Set(keys);
  const found = all.filter((t) => wanted.has(keyOf(t)));
  if (found.length < wanted.size) throw tgNotFound();
  return found;
}
