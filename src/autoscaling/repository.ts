import type { Db } from '../store/index.js';
import { emptyState, type EvaluationState, type StoredPolicy, type StoredScheduledAction, type StoredTarget } from './model.js';

interface Doc {
  doc: string;
}

function parse<T>(row: Doc | undefined): T | undefined {
  return row ? (JSON.parse(row.doc) as T) : undefined;
}

/**
 * Scalable targets with their policies, scheduled actions and evaluation state, as JSON
 * documents keyed by the target key. Deleting a target cascades to the rest.
 */
export class ScalingRepository {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      getTarget: db.prepare<[string], Doc>('SELECT doc FROM autoscaling_targets WHERE target_key = ?'),
      targetByArn: db.prepare<[string], Doc>('SELECT doc FROM autoscaling_targets WHERE arn = ?'),
      putTarget: db.prepare<[string, string, string, string, string, string]>(
        `INSERT INTO autoscaling_targets (target_key, namespace, resource_id, dimension, arn, doc) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (target_key) DO UPDATE SET doc = excluded.doc`,
      ),
      deleteTarget: db.prepare<[string]>('DELETE FROM autoscaling_targets WHERE target_key = ?'),
      targets: db.prepare<[{ ns: string | null }], Doc>(
        'SELECT doc FROM autoscaling_targets WHERE (@ns IS NULL OR namespace = @ns) ORDER BY namespace, resource_id, dimension',
      ),
      countTargets: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM autoscaling_targets WHERE namespace = ?'),
      getPolicy: db.prepare<[string, string], Doc>('SELECT doc FROM autoscaling_policies WHERE target_key = ? AND name = ?'),
      putPolicy: db.prepare<[string, string, string]>(
        `INSERT INTO autoscaling_policies (target_key, name, doc) VALUES (?, ?, ?)
         ON CONFLICT (target_key, name) DO UPDATE SET doc = excluded.doc`,
      ),
      deletePolicy: db.prepare<[string, string]>('DELETE FROM autoscaling_policies WHERE target_key = ? AND name = ?'),
      policies: db.prepare<[string], Doc>('SELECT doc FROM autoscaling_policies WHERE target_key = ? ORDER BY name'),
      getAction: db.prepare<[string, string], Doc>('SELECT doc FROM autoscaling_scheduled_actions WHERE target_key = ? AND name = ?'),
      putAction: db.prepare<[string, string, string]>(
        `INSERT INTO autoscaling_scheduled_actions (target_key, name, doc) VALUES (?, ?, ?)
         ON CONFLICT (target_key, name) DO UPDATE SET doc = excluded.doc`,
      ),
      deleteAction: db.prepare<[string, string]>('DELETE FROM autoscaling_scheduled_actions WHERE target_key = ? AND name = ?'),
      actions: db.prepare<[string], Doc>('SELECT doc FROM autoscaling_scheduled_actions WHERE target_key = ? ORDER BY name'),
      getState: db.prepare<[string], Doc>('SELECT doc FROM autoscaling_state WHERE target_key = ?'),
      putState: db.prepare<[string, string]>(
        'INSERT INTO autoscaling_state (target_key, doc) VALUES (?, ?) ON CONFLICT (target_key) DO UPDATE SET doc = excluded.doc',
      ),
    };
  }

  getTarget(key: string): StoredTarget | undefined {
    return parse(this.s.getTarget.get(key));
  }

  targetByArn(arn: string): StoredTarget | undefined {
    return parse(this.s.targetByArn.get(arn));
  }

  putTarget(t: StoredTarget): void {
    this.s.putTarget.run(t.key, t.serviceNamespace, t.resourceId, t.scalableDimension, t.arn, JSON.stringify(t));
  }

  /** Deletes the target with its policies, scheduled actions and state (cascade). */
  deleteTarget(key: string): void {
    this.s.deleteTarget.run(key);
  }

  /** Targets in (namespace, resource id, dimension) order; every namespace when undefined. */
  targets(namespace?: string): StoredTarget[] {
    return this.s.targets.all({ ns: namespace ?? null }).map((r) => JSON.parse(r.doc) as StoredTarget);
  }

  countTargets(namespace: string): number {
    return this.s.countTargets.get(namespace)?.n ?? 0;
  }

  getPolicy(key: string, name: string): StoredPolicy | undefined {
    return parse(this.s.getPolicy.get(key, name));
  }

  putPolicy(p: StoredPolicy): void {
    this.s.putPolicy.run(p.targetKey, p.name, JSON.stringify(p));
  }

  deletePolicy(key: string, name: string): boolean {
    return this.s.deletePolicy.run(key, name).changes > 0;
  }

  policies(key: string): StoredPolicy[] {
    return this.s.policies.all(key).map((r) => JSON.parse(r.doc) as StoredPolicy);
  }

  getAction(key: string, name: string): StoredScheduledAction | undefined {
    return parse(this.s.getAction.get(key, name));
  }

  putAction(a: StoredScheduledAction): void {
    this.s.putAction.run(a.targetKey, a.name, JSON.stringify(a));
  }

  deleteAction(key: string, name: string): boolean {
    return this.s.deleteAction.run(key, name).changes > 0;
  }

  actions(key: string): StoredScheduledAction[] {
    return this.s.actions.all(key).map((r) => JSON.parse(r.doc) as StoredScheduledAction);
  }

  state(key: string): EvaluationState {
    return parse<EvaluationState>(this.s.getState.get(key)) ?? emptyState();
  }

  /** Writes the state only while the target exists (the foreign key refuses it otherwise). */
  putState(key: string, state: EvaluationState): void {
    if (this.getTarget(key)) this.s.putState.run(key, JSON.stringify(state));
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
