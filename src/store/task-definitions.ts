import type { TaskDefinition } from '@aws-sdk/client-ecs';
import type { Db } from './db.js';

export type TaskDefinitionStatus = 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';

export interface StoredTaskDefinition extends TaskDefinition {
  family: string;
  revision: number;
  taskDefinitionArn: string;
  status: TaskDefinitionStatus;
  registeredAt: Date;
}

interface Row {
  doc: string;
}

interface ListParams {
  family: string | null;
  status: string;
  prefix: string | null;
}

/**
 * Task definition revisions. A family's revision counter lives apart from the
 * revisions so numbers are never reused, even after deletion.
 */
export class TaskDefinitionRepository {
  private readonly bumpStmt;
  private readonly insertStmt;
  private readonly getStmt;
  private readonly latestStmt;
  private readonly updateStmt;
  private readonly arnsStmt;
  private readonly familiesStmt;

  constructor(private readonly db: Db) {
    this.bumpStmt = db.prepare<[string], { last_revision: number }>(
      `INSERT INTO task_definition_families (family, last_revision) VALUES (?, 1)
       ON CONFLICT (family) DO UPDATE SET last_revision = last_revision + 1 RETURNING last_revision`,
    );
    this.insertStmt = db.prepare<[string, number, string, string, number, string]>(
      'INSERT INTO task_definitions (family, revision, arn, status, registered_at, doc) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.getStmt = db.prepare<[string, number], Row>('SELECT doc FROM task_definitions WHERE family = ? AND revision = ?');
    this.latestStmt = db.prepare<[string], Row>(
      `SELECT doc FROM task_definitions WHERE family = ? AND status = 'ACTIVE' ORDER BY revision DESC LIMIT 1`,
    );
    this.updateStmt = db.prepare<[string, string, string, number]>(
      'UPDATE task_definitions SET status = ?, doc = ? WHERE family = ? AND revision = ?',
    );
    this.arnsStmt = db.prepare<[ListParams], { family: string; revision: number; arn: string }>(
      `SELECT family, revision, arn FROM task_definitions
       WHERE (@family IS NULL OR family = @family) AND (@status = 'ALL' OR status = @status)
         AND (@prefix IS NULL OR substr(family, 1, length(@prefix)) = @prefix)
       ORDER BY family, revision`,
    );
    this.familiesStmt = db.prepare<[], { family: string; active: number }>(
      `SELECT f.family AS family,
              EXISTS (SELECT 1 FROM task_definitions t WHERE t.family = f.family AND t.status = 'ACTIVE') AS active
       FROM task_definition_families f
       WHERE EXISTS (SELECT 1 FROM task_definitions t WHERE t.family = f.family)
       ORDER BY f.family`,
    );
  }

  /** Allocates the next revision and stores it, in one transaction. */
  register(
    family: string,
    build: (revision: number) => StoredTaskDefinition,
    after?: (td: StoredTaskDefinition) => void,
  ): StoredTaskDefinition {
    return this.db.transaction((): StoredTaskDefinition => {
      const bumped = this.bumpStmt.get(family);
      if (!bumped) throw new Error(`could not allocate a revision for ${family}`);
      const td = build(bumped.last_revision);
      this.insertStmt.run(td.family, td.revision, td.taskDefinitionArn, td.status, td.registeredAt.getTime(), encode(td));
      after?.(td);
      return td;
    })();
  }

  get(family: string, revision: number): StoredTaskDefinition | undefined {
    return decode(this.getStmt.get(family, revision));
  }

  latestActive(family: string): StoredTaskDefinition | undefined {
    return decode(this.latestStmt.get(family));
  }

  update(td: StoredTaskDefinition): void {
    this.updateStmt.run(td.status, encode(td), td.family, td.revision);
  }

  /** (family, revision, arn) rows, ordered by family then revision ascending. */
  list(filter: { family?: string | undefined; familyPrefix?: string | undefined; status: TaskDefinitionStatus | 'ALL' }): Array<{
    family: string;
    revision: number;
    arn: string;
  }> {
    return this.arnsStmt.all({ family: filter.family ?? null, status: filter.status, prefix: filter.familyPrefix ?? null });
  }

  /** Families that have any stored revision, with whether one of them is ACTIVE. */
  families(): Array<{ family: string; active: boolean }> {
    return this.familiesStmt.all().map((r) => ({ family: r.family, active: r.active === 1 }));
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}

function encode(td: StoredTaskDefinition): string {
  return JSON.stringify(td);
}

const DATE_FIELDS = ['registeredAt', 'deregisteredAt', 'deleteRequestedAt'] as const;

function decode(row: Row | undefined): StoredTaskDefinition | undefined {
  if (!row) return undefined;
  const td = JSON.parse(row.doc) as StoredTaskDefinition;
  for (const f of DATE_FIELDS) {
    const v = td[f] as unknown;
    if (typeof v === 'string') td[f] = new Date(v);
  }
  return td;
}
