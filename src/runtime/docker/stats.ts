/** One Docker stats document (cgroup v1 or v2) as the contract's ContainerStats. */
import type { ContainerStats } from '../contract.js';
import { parseDockerTime } from './util.js';

interface CpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] };
  system_cpu_usage?: number;
  online_cpus?: number;
}

export interface DockerStats {
  read?: string;
  cpu_stats?: CpuStats;
  precpu_stats?: CpuStats;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
}

/**
 * CPU as ECS reports it: 1024 units per core kept busy between Docker's two samples
 * (`precpu_stats` is the sample taken about a second before `cpu_stats`). Docker's
 * system_cpu_usage counts every core, so the share of it is scaled by the core count.
 */
export function cpuUnitsUsed(doc: DockerStats): number {
  const now = doc.cpu_stats;
  const before = doc.precpu_stats;
  const used = (now?.cpu_usage?.total_usage ?? 0) - (before?.cpu_usage?.total_usage ?? 0);
  const system = (now?.system_cpu_usage ?? 0) - (before?.system_cpu_usage ?? 0);
  // no previous sample yet (a container just started): nothing to measure against
  if (!before?.system_cpu_usage || system <= 0 || used <= 0) return 0;
  const cores = now?.online_cpus || now?.cpu_usage?.percpu_usage?.length || 1;
  return (used / system) * cores * 1024;
}

/**
 * Memory as the ECS agent reports it: usage without the page cache, which the kernel
 * reclaims before it OOM-kills (cgroup v1 reports it as `cache`; v2 has no `cache`, and
 * `inactive_file` is the reclaimable part).
 */
export function memoryBytes(doc: DockerStats): number {
  const usage = doc.memory_stats?.usage ?? 0;
  const details = doc.memory_stats?.stats ?? {};
  const cache = details['cache'] ?? details['inactive_file'] ?? 0;
  return cache < usage ? usage - cache : usage;
}

export function statsFromDocker(doc: DockerStats): ContainerStats {
  return {
    read: parseDockerTime(doc.read) ?? new Date(),
    cpuUnitsUsed: cpuUnitsUsed(doc),
    memoryBytes: memoryBytes(doc),
    memoryLimitBytes: doc.memory_stats?.limit ?? 0,
    raw: doc,
  };
}
