import type { MetadataNetwork, MetadataVersion } from './shapes.js';

/**
 * The `Networks` entry of a container. Skiff knows the task's address (the sandbox's, on
 * the Docker network) and nothing else an ENI has, so the rest is derived from it:
 *
 * - subnet: a /16 around the address, what Docker gives its default bridge (172.17.0.0/16)
 *   and, by default, every network it creates;
 * - gateway: the subnet's first address (Docker's bridge gateway, 172.17.0.1), written
 *   with the prefix length as AWS writes it ("172.17.0.1/16");
 * - MAC: 02:42 followed by the four address bytes, the address Docker itself generated
 *   for containers before it switched to random ones;
 * - private DNS name: EC2's scheme, `ip-a-b-c-d.ec2.internal` in us-east-1 and
 *   `ip-a-b-c-d.<region>.compute.internal` elsewhere (nothing resolves it);
 * - AttachmentIndex 0: a Fargate task has one ENI.
 *
 * DomainNameServers and DomainNameSearchList are left out rather than invented: the
 * container resolves names through Docker's DNS, not through a VPC resolver at base+2.
 */
export const SUBNET_PREFIX_LENGTH = 16;

export function awsvpcNetwork(ip: string, region: string, version: MetadataVersion): MetadataNetwork {
  const base: MetadataNetwork = { NetworkMode: 'awsvpc', IPv4Addresses: [ip] };
  const octets = parseIpv4(ip);
  if (version === 3 || !octets) return base;
  const mask = (0xffffffff << (32 - SUBNET_PREFIX_LENGTH)) >>> 0;
  const subnet = (toInt(octets) & mask) >>> 0;
  return {
    ...base,
    AttachmentIndex: 0,
    MACAddress: ['02', '42', ...octets.map((o) => o.toString(16).padStart(2, '0'))].join(':'),
    IPv4SubnetCIDRBlock: `${fromInt(subnet)}/${SUBNET_PREFIX_LENGTH}`,
    PrivateDNSName: `ip-${octets.join('-')}.${region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`}`,
    SubnetGatewayIpv4Address: `${fromInt(subnet + 1)}/${SUBNET_PREFIX_LENGTH}`,
  };
}

function parseIpv4(ip: string): number[] | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number);
}

function toInt(octets: number[]): number {
  return octets.reduce((n, o) => n * 256 + o, 0);
}

function fromInt(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}
