import type { MetricsSource, PredefinedMetric, ScalableServices, ScalableServiceState } from './ports.js';

/**
 * In-memory ports for tests: services whose counts the test sets, and metrics it dials.
 * By default a service runs what it desires at once (`followDesired`).
 */
export class FakeServices implements ScalableServices {
  readonly services = new Map<string, { desiredCount: number; runningCount: number; deploymentInProgress: boolean }>();
  readonly calls: Array<{ resourceId: string; desiredCount: number; cause: string }> = [];
  followDesired = true;
  refuse: string | undefined;

  add(resourceId: string, desiredCount: number): this {
    this.services.set(resourceId, { desiredCount, runningCount: desiredCount, deploymentInProgress: false });
    return this;
  }

  describe(resourceId: string): ScalableServiceState | undefined {
    const s = this.services.get(resourceId);
    return s ? { ...s } : undefined;
  }

  setDesiredCount(resourceId: string, desiredCount: number, cause: string): void {
    if (this.refuse) throw new Error(this.refuse);
    const s = this.services.get(resourceId);
    if (!s) throw new Error(`service ${resourceId} not found`);
    s.desiredCount = desiredCount;
    if (this.followDesired) s.runningCount = desiredCount;
    this.calls.push({ resourceId, desiredCount, cause });
  }

  desired(resourceId: string): number | undefined {
    return this.services.get(resourceId)?.desiredCount;
  }
}

export class FakeMetrics implements MetricsSource {
  private readonly values = new Map<string, number | undefined>();
  readonly samples: Array<{ resourceId: string; metric: PredefinedMetric; resourceLabel: string | undefined }> = [];

  set(resourceId: string, metric: PredefinedMetric, value: number | undefined, resourceLabel?: string): this {
    this.values.set(`${resourceId}|${metric}|${resourceLabel ?? ''}`, value);
    return this;
  }

  sample(resourceId: string, metric: PredefinedMetric, resourceLabel?: string): Promise<number | undefined> {
    this.samples.push({ resourceId, metric, resourceLabel });
    return Promise.resolve(this.values.get(`${resourceId}|${metric}|${resourceLabel ?? ''}`));
  }
}
