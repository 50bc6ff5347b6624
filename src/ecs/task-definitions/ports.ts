import type { ContainerDefinition, PortMapping, TransportProtocol } from '@aws-sdk/client-ecs';
import { checkEnum, clientFail } from './fail.js';
import { dropUndefined } from './util.js';

const PORT_NAME = /^[a-z0-9_][a-z0-9_-]{0,63}$/;
const PORT_RANGE = /^(\d{1,5})-(\d{1,5})$/;

/** Which (port, protocol) pairs the task's containers already map, and by whom. */
export type PortRegistry = Map<string, string>;

function validPort(p: number | undefined): p is number {
  return p !== undefined && p >= 1 && p <= 65535;
}

function checkRange(range: string, name: string): void {
  const m = PORT_RANGE.exec(range);
  const lo = Number(m?.[1]);
  const hi = Number(m?.[2]);
  if (!m || !validPort(lo) || !validPort(hi) || lo >= hi) {
    clientFail(
      `Invalid 'containerPortRange' setting for container '${name}': '${range}'. Use "first-last" with 1 <= first < last <= 65535.`,
    );
  }
}

/** hostPort as ECS stores it: awsvpc and host mode pin it to containerPort, bridge leaves 0 (dynamic). */
function hostPortFor(pm: PortMapping, networkMode: string | undefined, name: string): number | undefined {
  const container = pm.containerPort;
  if (container === undefined) return pm.hostPort;
  if (networkMode === 'awsvpc' || networkMode === 'host') {
    if (pm.hostPort !== undefined && pm.hostPort !== container) {
      clientFail(`When networkMode=${networkMode}, the host ports and container ports in port mappings must match.`);
    }
    return container;
  }
  if (pm.hostPort !== undefined && (pm.hostPort < 0 || pm.hostPort > 65535)) {
    clientFail(`Invalid 'hostPort' setting for container '${name}'.`);
  }
  return pm.hostPort ?? 0;
}

function normalizePortMapping(pm: PortMapping, networkMode: string | undefined, name: string): PortMapping {
  if (pm.containerPortRange !== undefined) {
    checkRange(pm.containerPortRange, name);
    if (pm.containerPort !== undefined || pm.hostPort !== undefined) {
      clientFail(
        `Invalid port mapping for container '${name}': a mapping with 'containerPortRange' cannot also set 'containerPort' or 'hostPort'.`,
      );
    }
  } else if (!validPort(pm.containerPort)) {
    clientFail(`Invalid 'containerPort' setting for container '${name}'.`);
  }
  checkEnum(pm.protocol, ['tcp', 'udp'], `port mapping protocol of container '${name}'`);
  checkEnum(pm.appProtocol, ['http', 'http2', 'grpc'], `port mapping appProtocol of container '${name}'`);
  if (pm.name !== undefined && !PORT_NAME.test(pm.name)) {
    clientFail(
      `Invalid port mapping name '${pm.name}' for container '${name}': use up to 64 lowercase letters, numbers, underscores and hyphens, not starting with a hyphen.`,
    );
  }
  const out: PortMapping = {
    containerPort: pm.containerPort,
    hostPort: hostPortFor(pm, networkMode, name),
    protocol: pm.protocol ?? ('tcp' satisfies TransportProtocol),
    name: pm.name,
    appProtocol: pm.appProtocol,
    containerPortRange: pm.containerPortRange,
  };
  return dropUndefined(out);
}

/**
 * Normalizes a container's port mappings as ECS returns them (protocol tcp,
 * hostPort filled) and, where the task shares one network namespace (awsvpc,
 * host), refuses a (port, protocol) pair mapped twice.
 */
export function normalizePortMappings(cd: ContainerDefinition, networkMode: string | undefined, used: PortRegistry): PortMapping[] {
  const name = cd.name ?? '';
  const mappings = cd.portMappings ?? [];
  if (networkMode === 'none' && mappings.length > 0) {
    clientFail(`Port mappings are not supported when networkMode=none: remove the portMappings of container '${name}'.`);
  }
  const shared = networkMode === 'awsvpc' || networkMode === 'host';
  return mappings.map((pm) => {
    const out = normalizePortMapping(pm, networkMode, name);
    if (shared && out.containerPort !== undefined) {
      const key = `${out.containerPort}/${out.protocol ?? 'tcp'}`;
      const owner = used.get(key);
      if (owner !== undefined) {
        clientFail(
          `Port ${key} is mapped more than once (containers '${owner}' and '${name}'). ` +
            `Containers of a task with networkMode=${networkMode} share one network namespace, so each port and protocol can be mapped once.`,
        );
      }
      used.set(key, name);
    }
    return out;
  });
}

/** Container settings awsvpc tasks cannot have: they share the task's network namespace. */
export function checkNetworkModeSettings(cd: ContainerDefinition, networkMode: string | undefined): void {
  if (networkMode !== 'awsvpc') return;
  if ((cd.links?.length ?? 0) > 0) clientFail('Links are not supported when networkMode=awsvpc.');
  if (cd.hostname !== undefined) clientFail('hostname is not supported on container when networkMode=awsvpc.');
  if ((cd.extraHosts?.length ?? 0) > 0) clientFail('extraHosts is not supported on container when networkMode=awsvpc.');
  if ((cd.dnsServers?.length ?? 0) > 0) clientFail('dnsServers is not supported on container when networkMode=awsvpc.');
  if ((cd.dnsSearchDomains?.length ?? 0) > 0) {
    clientFail('dnsSearchDomains is not supported on container when networkMode=awsvpc.');
  }
}
