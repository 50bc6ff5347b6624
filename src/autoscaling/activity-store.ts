import type { Db } from '../store/index.js';
import type { StoredActivity } from './model.js';

export interface ActivityQuery {
  namespace: string;
  resourceId?: string | undefined;
  dimension?: string | undefined;
  includeNotScaled: boolean;
  /** Continue with activities older than this sequence number. */
  beforeSeq?: number | undefined;
  limit: number;
}

interface Row {
  seq: number;
  doc: string;
}

/**
 * Scaling activities, newest first by an AUTOINCREMENT sequence (never reused, so page
 * tokens stay valid while activities are added or trimmed). At most `keepPerTarget` are
 * kept per target; the oldest go first.
 */
export class ActivityStore {
  private readonly s;

  constructor(
    db: Db,
    private readonly keepPerTarget: number,
  ) {
    this.s = {
      insert: db.prepare<[string, string, string, string, string, string, number, string]>(
        `INSERT INTO autoscaling_activities (activity_id, target_key, namespace, resource_id, dimension, status, not_scaled, doc)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      update: db.prepare<[string, string, string]>('UPDATE autoscaling_activities SET status = ?, doc = ? WHERE activity_id = ?'),
      open: db.prepare<[string], Row>(
        "SELECT seq, doc FROM autoscaling_activities WHERE target_key = ? AND status = 'InProgress' ORDER BY seq",
      ),
      trim: db.prepare<[string, string, number]>(
        `DELETE FROM autoscaling_activities WHERE target_key = ? AND seq <= (
           SELECT seq FROM autoscaling_activities WHERE target_key = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
      ),
      query: db.prepare<[Record<string, string | number | null>], Row>(
        `SELECT seq, doc FROM autoscaling_activities
         WHERE namespace = @namespace AND (@resourceId IS NULL OR resource_id = @resourceId)
           AND (@dimension IS NULL OR dimension = @dimension) AND (@includeNotScaled = 1 OR not_scaled = 0)
           AND (@beforeSeq IS NULL OR seq < @beforeSeq)
         ORDER BY seq DESC LIMIT @limit`,
      ),
    };
  }

  insert(a: StoredActivity): void {
    const notScaled = a.notScaledReasons && a.notScaledReasons.length > 0 ? 1 : 0;
    this.s.insert.run(a.activityId, a.targetKey, a.serviceNamespace, a.resourceId, a.scalableDimension, a.status, notScaled, JSON.stringify(a));
    this.s.trim.run(a.targetKey, a.targetKey, this.keepPerTarget);
  }

  update(a: StoredActivity): void {
    this.s.update.run(a.status, JSON.stringify(a), a.activityId);
  }

  /** The target's activities still InProgress, oldest first. */
  open(targetKey: string): StoredActivity[] {
    return this.s.open.all(targetKey).map((r) => JSON.parse(r.doc) as StoredActivity);
  }

  /** One page, newest first; `more` when older matching activities remain. */
  query(q: ActivityQuery): { items: Array<{ seq: number; activity: StoredActivity }>; more: boolean } {
    const rows = this.s.query.all({
      namespace: q.namespace,
      resourceId: q.resourceId ?? null,
      dimension: q.dimension ?? null,
      includeNotScaled: q.includeNotScaled ? 1 : 0,
      beforeSeq: q.beforeSeq ?? null,
      limit: q.limit + 1,
    });
    const items = rows.slice(0, q.limit).map((r) => ({ seq: r.seq, activity: JSON.parse(r.doc) as StoredActivity }));
    return { items, more: rows.length > q.limit };
  }
}
