import type { Service } from '@aws-sdk/client-ecs';
import type { Db } from './db.js';

/** The service scheduler's own bookkeeping, kept with the service but not returned by the API. */
export interface ServiceRuntime {
  /** Consecutive tasks that stopped before reaching RUNNING; drives the launch backoff. */
  failureStreak: number;
  /** No task is launched before this time (ISO), after repeated failures. */
  nextLaunchAt?: string | undefined;
  /** Tasks being taken out of the load balancer before they are stopped: task ARN → since (ISO). */
  draining: Record<string, string>;
  /** Task ARNs already registered as load balancer targets. */
  registered: string[];
  /** Task ARNs already counted as failed for the circuit breaker. */
  counted: string[];
  /** Whether the last pass found the service steady (to emit the event once). */
  steady: boolean;
}

export interface StoredService extends Service {
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  status: string;
  createdAt: Date;
  runtime: ServiceRuntime;
}

const DATE_FIELDS = ['createdAt', 'updatedAt'] as const;

/** ECS services by ARN; the document holds deployments and the last 100 events. */
export class ServiceRepository {
  private readonly getStmt;
  private readonly upsertStmt;
  private readonly listStmt;
  private readonly activeStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], { doc: string }>('SELECT doc FROM services WHERE arn = ?');
    this.upsertStmt = db.prepare(
      `INSERT INTO services (arn, cluster, name, status, created_at, doc) VALUES (@arn, @cluster, @name, @status, @createdAt, @doc)
       ON CONFLICT (arn) DO UPDATE SET status = excluded.status, doc = excluded.doc, created_at = excluded.created_at`,
    );
    this.listStmt = db.prepare<[string], { arn: string }>("SELECT arn FROM services WHERE cluster = ? AND status <> 'INACTIVE' ORDER BY arn");
    this.activeStmt = db.prepare<[], { doc: string }>("SELECT doc FROM services WHERE status <> 'INACTIVE'");
  }

  get(arn: string): StoredService | undefined {
    const row = this.getStmt.get(arn);
    return row ? decode(row.doc) : undefined;
  }

  put(s: StoredService): void {
    this.upsertStmt.run({ arn: s.serviceArn, cluster: s.clusterArn, name: s.serviceName, status: s.status, createdAt: s.createdAt.getTime(), doc: JSON.stringify(s) });
  }

  /** ARNs of a cluster's services that are not INACTIVE. */
  listArns(clusterArn: string): string[] {
    return this.listStmt.all(clusterArn).map((r) => r.arn);
  }

  /** Every ACTIVE or DRAINING service: what the scheduler keeps in shape. */
  live(): StoredService[] {
    return this.activeStmt.all().map((r) => decode(r.doc));
  }
}

function decode(doc: string): StoredService {
  const s = JSON.parse(doc) as StoredService & Record<string, unknown>;
  for (const f of DATE_FIELDS) if (typeof s[f] === 'string') (s as Record<string, unknown>)[f] = new Date(s[f] as string);
  for (const d of s.deployments ?? []) {
    if (typeof d.createdAt === 'string') d.createdAt = new Date(d.createdAt);
    if (typeof d.updatedAt === 'string') d.updatedAt = new Date(d.updatedAt);
  }
  for (const e of s.events ?? []) if (typeof e.createdAt === 'string') e.createdAt = new Date(e.createdAt);
  return s;
}
