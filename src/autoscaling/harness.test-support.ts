import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RequestContext } from '../api/index.js';
import { AwsError, ManualClock, sequentialIds, silentLogger } from '../core/index.js';
import { createStore, openDatabase, type Store } from '../store/index.js';
import type { AutoscalingDeps } from './context.js';
import { FakeMetrics, FakeServices } from './fakes.js';
import { createAutoscaling, type Autoscaling } from './provider.js';

export const T0 = Date.UTC(2026, 0, 1, 12);
export const SVC = 'service/bean-counter-cluster/bean-counter-service';
export const CPU = 'ECSServiceAverageCPUUtilization';
const request: RequestContext = { requestId: 'r', region: 'us-east-1', account: '000000000000', signingService: undefined, accessKeyId: undefined };

/** One autoscaling over a temporary database, with fake ports and a manual clock. */
export class Harness {
  readonly dir: string;
  readonly clock = new ManualClock(T0);
  readonly services = new FakeServices();
  readonly metrics = new FakeMetrics();
  store: Store;
  scaling: Autoscaling;

  constructor(private readonly overrides: Partial<AutoscalingDeps> = {}, dir?: string) {
    this.dir = dir ?? mkdtempSync(path.join(os.tmpdir(), 'skiff-autoscaling-'));
    this.store = createStore(openDatabase(this.dir));
    this.scaling = this.build();
  }

  private build(): Autoscaling {
    return createAutoscaling({
      store: this.store,
      clock: this.clock,
      ids: sequentialIds(),
      scope: { region: 'us-east-1', account: '000000000000' },
      logger: silentLogger,
      services: this.services,
      metrics: this.metrics,
      ...this.overrides,
    });
  }

  /** Closes the database and opens it again, as a restart of skiff would. */
  restart(): void {
    this.store.db.close();
    this.store = createStore(openDatabase(this.dir));
    this.scaling = this.build();
  }

  call<T = Record<string, unknown>>(operation: string, input: Record<string, unknown>): T {
    const handler = this.scaling.service.operations[operation];
    if (!handler) throw new Error(`no operation ${operation}`);
    return handler(input, request) as T;
  }

  failure(operation: string, input: Record<string, unknown>): AwsError {
    try {
      this.call(operation, input);
    } catch (err) {
      if (err instanceof AwsError) return err;
      throw err;
    }
    throw new Error(`${operation} did not fail`);
  }

  /** Advances the clock by `ms` and runs one evaluation pass. */
  async step(ms: number): Promise<void> {
    this.clock.advance(ms);
    await this.scaling.tick();
  }

  close(): void {
    this.store.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const ecs = { ServiceNamespace: 'ecs', ScalableDimension: 'ecs:service:DesiredCount' };
export const target = { ...ecs, ResourceId: SVC };

/** The seed's scaling-policy.json (bean-counter). */
export const seedPolicy = {
  TargetValue: 75.0,
  PredefinedMetricSpecification: { PredefinedMetricType: CPU },
  ScaleOutCooldown: 60,
  ScaleInCooldown: 60,
};
