import type { ContainerStats } from '../contract.js';
import type { FakeScript } from './script.js';

/** What a sample depends on: the container's limits and what its script claims. */
export interface StatsSubject {
  id: string;
  name: string;
  script: FakeScript;
  memoryMiB?: number | undefined;
  cpuUnits?: number | undefined;
  cpuLimit?: boolean | undefined;
}

const MiB = 1024 * 1024;
/** What the fake reports as the host's memory, the limit of an unlimited container (as Docker does). */
export const FAKE_HOST_MEMORY_BYTES = 8 * 1024 * MiB;
/** Resident memory of a process that does not say (FAKE_MEMORY_MIB): a small idle server. */
const DEFAULT_MEMORY_MIB = 4;
const NS_PER_MS = 1e6;

/**
 * A sample that is a pure function of the script and the elapsed time, so autoscaling
 * tests can ask for a CPU load (FAKE_CPU_UNITS) and get it back exactly.
 */
export function fakeStats(init: StatsSubject, startedAt: Date, now: Date): ContainerStats {
  const { script } = init;
  const memoryBytes = Math.round((script.memoryMiB ?? DEFAULT_MEMORY_MIB) * MiB);
  const memoryLimitBytes = init.memoryMiB !== undefined ? init.memoryMiB * MiB : FAKE_HOST_MEMORY_BYTES;
  const cpuUnitsUsed =
    init.cpuLimit && init.cpuUnits !== undefined ? Math.min(script.cpuUnits, init.cpuUnits) : script.cpuUnits;
  const elapsedMs = Math.max(0, now.getTime() - startedAt.getTime());
  return {
    read: now,
    cpuUnitsUsed,
    memoryBytes,
    memoryLimitBytes,
    raw: dockerShapedStats(init, now, memoryBytes, memoryLimitBytes, (cpuUnitsUsed / 1024) * elapsedMs * NS_PER_MS),
  };
}

/** The subset of Docker's stats document the task metadata endpoint's /stats passes on. */
function dockerShapedStats(
  init: StatsSubject,
  now: Date,
  usage: number,
  limit: number,
  cpuTotalNs: number,
): Record<string, unknown> {
  const cpu = { cpu_usage: { total_usage: Math.round(cpuTotalNs) }, online_cpus: 1 };
  return {
    id: init.id,
    name: `/${init.name}`,
    read: now.toISOString(),
    cpu_stats: cpu,
    memory_stats: { usage, limit },
    networks: {},
  };
}
