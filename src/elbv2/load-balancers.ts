import { decodeToken, pageOf } from '../core/index.js';
import { attributeList, LOAD_BALANCER_DEFAULTS, modifyAttributes } from './attributes.js';
import type { Elbv2Context } from './context.js';
import { badConfig, constraint, elbError, Elbv2Errors, invalid, lbNotFound } from './errors.js';
import type { AvailabilityZone, LoadBalancer, StoredLoadBalancer, Tag } from './model.js';
import { checkName, loadBalancerArn, newId, pageSize } from './names.js';
import { checkTags } from './tags.js';

interface CreateInput {
  Name: string;
  Subnets?: string[];
  SubnetMappings?: Array<{ SubnetId?: string }>;
  SecurityGroups?: string[];
  Scheme?: string;
  Tags?: Tag[];
  Type?: string;
  IpAddressType?: string;
}

/** Skiff has no EC2: every load balancer is in this one (pretend) VPC. */
export const DEFAULT_VPC_ID = 'vpc-00000000000000001';

/** Route 53 hosted zone ids of ALBs, by region (us-east-1's when unknown). */
const HOSTED_ZONES: Record<string, string> = {
  'us-east-1': 'Z35SXDOTRQ7X7K',
  'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-1': 'Z368ELLRRE2KJ0',
  'us-west-2': 'Z1H1FL5HABSF5',
  'eu-west-1': 'Z32O12XQLNTSW2',
  'eu-central-1': 'Z215JYRZR1TBD5',
  'ap-southeast-1': 'Z1LMS91P8CMLE5',
  'ap-northeast-1': 'Z14GRHDCWA56QT',
};

export function publicLoadBalancer(lb: StoredLoadBalancer): LoadBalancer {
  const { attributes: _attributes, ...rest } = lb;
  return rest;
}

/** CreateLoadBalancer, DescribeLoadBalancers, DeleteLoadBalancer and the attribute operations. */
export class LoadBalancers {
  constructor(private readonly ctx: Elbv2Context) {}

  create(input: CreateInput): { LoadBalancers: LoadBalancer[] } {
    checkName(input.Name, 'load balancer');
    const type = input.Type ?? 'application';
    if (type !== 'application') {
      throw badConfig(`Load balancer type '${type}' is not supported by skiff: only Application Load Balancers ('application') run here.`);
    }
    const scheme = input.Scheme ?? 'internet-facing';
    if (scheme !== 'internet-facing' && scheme !== 'internal') throw elbError('InvalidScheme', `Scheme '${scheme}' must be internet-facing or internal`);
    const ipType = input.IpAddressType ?? 'ipv4';
    if (ipType !== 'ipv4' && ipType !== 'dualstack') throw constraint('ipAddressType', ipType, 'Member must satisfy enum value set: [ipv4, dualstack]');
    const subnets = subnetsOf(input);
    const existing = this.ctx.repo.loadBalancerByName(input.Name);
    if (existing) {
      const same = existing.Scheme === scheme && existing.AvailabilityZones.map((z) => z.SubnetId).join() === subnets.join();
      if (same) return { LoadBalancers: [publicLoadBalancer(existing)] };
      throw elbError('DuplicateLoadBalancerName', 'A load balancer with the same name exists, with different settings');
    }
    checkTags(input.Tags ?? []);
    const lb = this.build(input.Name, scheme, ipType, subnets, input.SecurityGroups ?? []);
    this.ctx.repo.transaction(() => {
      this.ctx.repo.putLoadBalancer(lb);
      this.ctx.tags.put(lb.LoadBalancerArn, (input.Tags ?? []).map((t) => ({ key: t.Key, value: t.Value ?? '' })));
    });
    // AWS answers `provisioning` and becomes `active` minutes later; skiff has nothing to
    // provision before a listener exists, so describe shows `active` from then on.
    return { LoadBalancers: [{ ...publicLoadBalancer(lb), State: { Code: 'provisioning' } }] };
  }

  private build(name: string, scheme: 'internet-facing' | 'internal', ipType: 'ipv4' | 'dualstack', subnets: string[], securityGroups: string[]): StoredLoadBalancer {
    const { scope } = this.ctx;
    const id = newId(this.ctx.ids);
    const number = Number.parseInt(id.slice(-8), 16);
    const zones: AvailabilityZone[] = subnets.map((SubnetId, i) => ({
      ZoneName: `${scope.region}${String.fromCharCode(97 + (i % 26))}`,
      SubnetId,
      LoadBalancerAddresses: [],
    }));
    return {
      LoadBalancerArn: loadBalancerArn(scope, name, id),
      DNSName: `${scheme === 'internal' ? 'internal-' : ''}${name}-${number}.${scope.region}.elb.localhost`,
      CanonicalHostedZoneId: HOSTED_ZONES[scope.region] ?? 'Z35SXDOTRQ7X7K',
      CreatedTime: this.ctx.clock.now(),
      LoadBalancerName: name,
      Scheme: scheme,
      VpcId: DEFAULT_VPC_ID,
      State: { Code: 'active' },
      Type: 'application',
      AvailabilityZones: zones,
      SecurityGroups: securityGroups,
      IpAddressType: ipType,
      attributes: {},
    };
  }

  describe(input: { LoadBalancerArns?: string[]; Names?: string[]; Marker?: string; PageSize?: number }): { LoadBalancers: LoadBalancer[]; NextMarker?: string } {
    const size = pageSize(input.PageSize);
    if (input.LoadBalancerArns?.length && input.Names?.length) throw invalid('Load balancer names and load balancer ARNs cannot be specified at the same time');
    let all = this.ctx.repo.loadBalancers();
    if (input.LoadBalancerArns?.length) all = pick(all, input.LoadBalancerArns, (lb) => lb.LoadBalancerArn);
    else if (input.Names?.length) all = pick(all, input.Names, (lb) => lb.LoadBalancerName);
    const after = input.Marker === undefined ? undefined : decodeToken(input.Marker, Elbv2Errors.ValidationError);
    const page = pageOf(all, (lb) => lb.LoadBalancerName, size, after);
    return { LoadBalancers: page.items.map(publicLoadBalancer), ...(page.nextToken ? { NextMarker: page.nextToken } : {}) };
  }

  /** Deleting a load balancer that does not exist succeeds, as on AWS. */
  delete(input: { LoadBalancerArn: string }): Record<string, never> {
    const { repo, tags } = this.ctx;
    const lb = repo.loadBalancer(input.LoadBalancerArn);
    if (!lb) return {};
    if (lb.attributes['deletion_protection.enabled'] === 'true') {
      throw elbError('OperationNotPermitted', `Load balancer '${lb.LoadBalancerArn}' cannot be deleted because deletion protection is enabled`);
    }
    repo.transaction(() => {
      for (const l of repo.listeners().filter((x) => x.LoadBalancerArn === lb.LoadBalancerArn)) {
        for (const r of repo.rules().filter((x) => x.ListenerArn === l.ListenerArn)) tags.removeAll(r.RuleArn);
        tags.removeAll(l.ListenerArn);
      }
      tags.removeAll(lb.LoadBalancerArn);
      repo.deleteLoadBalancer(lb.LoadBalancerArn);
    });
    this.ctx.changed();
    return {};
  }

  describeAttributes(input: { LoadBalancerArn: string }): { Attributes: Array<{ Key: string; Value: string }> } {
    const lb = this.require(input.LoadBalancerArn);
    return { Attributes: attributeList(lb.attributes, LOAD_BALANCER_DEFAULTS) };
  }

  modifyAttributes(input: { LoadBalancerArn: string; Attributes: Array<{ Key?: string; Value?: string }> }): { Attributes: Array<{ Key: string; Value: string }> } {
    const lb = this.require(input.LoadBalancerArn);
    lb.attributes = modifyAttributes('load balancer', lb.attributes, input.Attributes);
    this.ctx.repo.putLoadBalancer(lb);
    this.ctx.changed();
    return { Attributes: attributeList(lb.attributes, LOAD_BALANCER_DEFAULTS) };
  }

  require(arn: string): StoredLoadBalancer {
    const lb = this.ctx.repo.loadBalancer(arn);
    if (!lb) throw lbNotFound();
    return lb;
  }
}

/** The items named by `keys`, in store order; any name not found fails the whole call. */
function pick<T>(all: T[], keys: string[], keyOf: (t: T) => string): T[] {
  const wanted = new Set(keys);
  const found = all.filter((t) => wanted.has(keyOf(t)));
  if (found.length < wanted.size) throw lbNotFound();
  return found;
}

function subnetsOf(input: CreateInput): string[] {
  if (input.Subnets?.length && input.SubnetMappings?.length) throw invalid('You can specify subnets or subnet mappings, not both');
  const raw = input.Subnets?.length ? input.Subnets : (input.SubnetMappings ?? []).map((m) => m.SubnetId ?? '');
  const subnets = [...new Set(raw)];
  if (subnets.some((s) => s === '')) throw invalid('A subnet ID must not be empty');
  if (subnets.length < 2) {
    throw invalid('At least two subnets in two different Availability Zones must be specified (skiff records them; traffic stays on loopback)');
  }
  return subnets;
}
