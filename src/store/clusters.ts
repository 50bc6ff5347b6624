import type { Cluster } from '@aws-sdk/client-ecs';
import type { Db } from './db.js';

/** ECS clusters by name. Deleted clusters stay, INACTIVE, as ECS keeps them describable. */
export class ClusterRepository {
  private readonly getStmt;
  private readonly upsertStmt;
  private readonly listStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], { doc: string }>('SELECT doc FROM clusters WHERE name = ?');
    this.upsertStmt = db.prepare<[string, string, string, string]>(
      `INSERT INTO clusters (name, arn, status, doc) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET arn = excluded.arn, status = excluded.status, doc = excluded.doc`,
    );
    this.listStmt = db.prepare<[string], { arn: string }>('SELECT arn FROM clusters WHERE status = ? ORDER BY arn');
  }

  get(name: string): Cluster | undefined {
    const row = this.getStmt.get(name);
    return row ? (JSON.parse(row.doc) as Cluster) : undefined;
  }

  put(cluster: Cluster & { clusterName: string; clusterArn: string; status: string }): void {
    this.upsertStmt.run(cluster.clusterName, cluster.clusterArn, cluster.status, JSON.stringify(cluster));
  }

  /** ARNs of clusters in the given status, in ARN order. */
  listArns(status = 'ACTIVE'): string[] {
    return this.listStmt.all(status).map((r) => r.arn);
  }
}
