import type { MetricsSource, PredefinedMetric, ScalableServices } from '../autoscaling/index.js';
import { parseEcsResourceId } from '../autoscaling/index.js';
import { formatArn, type AccountScope } from '../core/index.js';
import type { EcsProvider } from '../ecs/index.js';
import { parseTaskCpu, parseTaskMemory } from '../ecs/index.js';
import type { ContainerDriver } from '../runtime/index.js';
import type { Store, StoredTask } from '../store/index.js';

/** Application Auto Scaling's view of ECS services, over the store and the ECS API. */
export function scalableServices(store: Store, ecs: EcsProvider, scope: AccountScope): ScalableServices {
  const find = (resourceId: string): { cluster: string; service: string; arn: string } | undefined => {
    const parsed = parseEcsResourceId(resourceId);
    if (!parsed) return undefined;
    const { cluster, service } = parsed;
    return { cluster, service, arn: formatArn(scope, 'ecs', `service/${cluster}/${service}`) };
  };
  return {
    describe(resourceId) {
      const ref = find(resourceId);
      const s = ref && store.services.get(ref.arn);
      if (!s || s.status !== 'ACTIVE') return undefined;
      return {
        desiredCount: s.desiredCount ?? 0,
        runningCount: s.runningCount ?? 0,
        deploymentInProgress: (s.deployments ?? []).length > 1,
      };
    },
    setDesiredCount(resourceId, desiredCount) {
      const ref = find(resourceId);
      if (!ref) throw new Error(`not an ECS service resource id: ${resourceId}`);
      ecs.services.update({ cluster: ref.cluster, service: ref.service, desiredCount });
    },
  };
}

/** Request counts per target group, as the load balancer keeps them (cumulative). */
export interface RequestCounts {
  requestCount(targetGroupArn: string): number;
  healthyTargets(targetGroupArn: string): number;
  targetGroupArnOf(resourceLabel: string): string | undefined;
}

/**
 * Metrics measured from the running containers (driver stats) and the load balancer's
 * counters: CPU and memory as a percentage of what the tasks reserve, averaged over the
 * service's running tasks; requests per healthy target since the previous sample.
 */
export function metricsSource(store: Store, driver: ContainerDriver, scope: AccountScope, lb?: RequestCounts): MetricsSource {
  const lastCounts = new Map<string, number>();
  return {
    async sample(resourceId: string, metric: PredefinedMetric, resourceLabel?: string): Promise<number | undefined> {
      if (metric === 'ALBRequestCountPerTarget') {
        const tg = resourceLabel && lb?.targetGroupArnOf(resourceLabel);
        if (!lb || !tg) return undefined;
        const total = lb.requestCount(tg);
        const previous = lastCounts.get(tg);
        lastCounts.set(tg, total);
        const healthy = lb.healthyTargets(tg);
        return previous === undefined || healthy === 0 ? undefined : (total - previous) / healthy;
      }
      const parsed = parseEcsResourceId(resourceId);
      if (!parsed) return undefined;
      const clusterArn = formatArn(scope, 'ecs', `cluster/${parsed.cluster}`);
      const tasks = store.tasks.unfinishedInGroup(clusterArn, `service:${parsed.service}`).filter((t) => t.lastStatus === 'RUNNING');
      const values = (await Promise.all(tasks.map((t) => taskUtilization(driver, t, metric)))).filter((v): v is number => v !== undefined);
      return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
    },
  };
}

async function taskUtilization(driver: ContainerDriver, task: StoredTask, metric: PredefinedMetric): Promise<number | undefined> {
  const ids = (task.containers ?? []).map((c) => c.runtimeId).filter((id): id is string => id !== undefined);
  const stats = (await Promise.all(ids.map((id) => driver.stats(id).catch(() => undefined)))).filter((s) => s !== undefined);
  if (stats.length === 0) return undefined;
  if (metric === 'ECSServiceAverageCPUUtilization') {
    const reserved = task.cpu ? parseTaskCpu(task.cpu) : undefined;
    return reserved ? (100 * stats.reduce((a, s) => a + s.cpuUnitsUsed, 0)) / reserved : undefined;
  }
  const reservedMiB = task.memory ? parseTaskMemory(task.memory) : undefined;
  return reservedMiB ? (100 * stats.reduce((a, s) => a + s.memoryBytes, 0)) / (reservedMiB * 1024 * 1024) : undefined;
}
