import type { Db } from '../store/index.js';
import type { RegisteredTarget, StoredListener, StoredLoadBalancer, StoredRule, StoredTargetGroup } from './model.js';

interface DocRow {
  doc: string;
}

interface TargetRow {
  target_group_arn: string;
  id: string;
  port: number;
  availability_zone: string | null;
  registered_at: number;
}

/** Everything ELBv2 stores, read at once: what the data plane's routing table is built from. */
export interface Elbv2Snapshot {
  loadBalancers: StoredLoadBalancer[];
  listeners: StoredListener[];
  rules: StoredRule[];
  targetGroups: StoredTargetGroup[];
  targets: RegisteredTarget[];
}

/**
 * The ELBv2 tables (migration 004). Documents are whole resources as JSON; every write
 * replaces one document in one statement, and callers group writes with `transaction`.
 */
export class Elbv2Repository {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      lbGet: db.prepare<[string], DocRow>('SELECT doc FROM elbv2_load_balancers WHERE arn = ?'),
      lbByName: db.prepare<[string], DocRow>('SELECT doc FROM elbv2_load_balancers WHERE name = ?'),
      lbAll: db.prepare<[], DocRow>('SELECT doc FROM elbv2_load_balancers ORDER BY name'),
      lbPut: db.prepare<[string, string, number, string]>(
        `INSERT INTO elbv2_load_balancers (arn, name, created_at, doc) VALUES (?, ?, ?, ?)
         ON CONFLICT (arn) DO UPDATE SET doc = excluded.doc`,
      ),
      lbDelete: db.prepare<[string]>('DELETE FROM elbv2_load_balancers WHERE arn = ?'),
      lsGet: db.prepare<[string], DocRow>('SELECT doc FROM elbv2_listeners WHERE arn = ?'),
      lsAll: db.prepare<[], DocRow>('SELECT doc FROM elbv2_listeners ORDER BY arn'),
      lsPut: db.prepare<[string, string, number, string]>(
        `INSERT INTO elbv2_listeners (arn, load_balancer_arn, port, doc) VALUES (?, ?, ?, ?)
         ON CONFLICT (arn) DO UPDATE SET port = excluded.port, doc = excluded.doc`,
      ),
      lsDelete: db.prepare<[string]>('DELETE FROM elbv2_listeners WHERE arn = ?'),
      ruleGet: db.prepare<[string], DocRow>('SELECT doc FROM elbv2_rules WHERE arn = ?'),
      ruleAll: db.prepare<[], DocRow>('SELECT doc FROM elbv2_rules ORDER BY listener_arn, priority'),
      rulePut: db.prepare<[string, string, number, string]>(
        `INSERT INTO elbv2_rules (arn, listener_arn, priority, doc) VALUES (?, ?, ?, ?)
         ON CONFLICT (arn) DO UPDATE SET priority = excluded.priority, doc = excluded.doc`,
      ),
      ruleDelete: db.prepare<[string]>('DELETE FROM elbv2_rules WHERE arn = ?'),
      tgGet: db.prepare<[string], DocRow>('SELECT doc FROM elbv2_target_groups WHERE arn = ?'),
      tgByName: db.prepare<[string], DocRow>('SELECT doc FROM elbv2_target_groups WHERE name = ?'),
      tgAll: db.prepare<[], DocRow>('SELECT doc FROM elbv2_target_groups ORDER BY name'),
      tgPut: db.prepare<[string, string, string]>(
        `INSERT INTO elbv2_target_groups (arn, name, doc) VALUES (?, ?, ?) ON CONFLICT (arn) DO UPDATE SET doc = excluded.doc`,
      ),
      tgDelete: db.prepare<[string]>('DELETE FROM elbv2_target_groups WHERE arn = ?'),
      targetsOf: db.prepare<[string], TargetRow>('SELECT * FROM elbv2_targets WHERE target_group_arn = ? ORDER BY id, port'),
      targetsAll: db.prepare<[], TargetRow>('SELECT * FROM elbv2_targets ORDER BY target_group_arn, id, port'),
      targetPut: db.prepare<[string, string, number, string | null, number]>(
        `INSERT INTO elbv2_targets (target_group_arn, id, port, availability_zone, registered_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (target_group_arn, id, port) DO NOTHING`,
      ),
      targetDelete: db.prepare<[string, string, number]>('DELETE FROM elbv2_targets WHERE target_group_arn = ? AND id = ? AND port = ?'),
    };
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  loadBalancer(arn: string): StoredLoadBalancer | undefined {
    return decodeLb(this.s.lbGet.get(arn));
  }
  loadBalancerByName(name: string): StoredLoadBalancer | undefined {
    return decodeLb(this.s.lbByName.get(name));
  }
  /** All load balancers, by name. */
  loadBalancers(): StoredLoadBalancer[] {
    return this.s.lbAll.all().map((r) => decodeLb(r)!);
  }
  putLoadBalancer(lb: StoredLoadBalancer): void {
    this.s.lbPut.run(lb.LoadBalancerArn, lb.LoadBalancerName, lb.CreatedTime.getTime(), JSON.stringify(lb));
  }
  /** Deletes the load balancer with its listeners and rules. */
  deleteLoadBalancer(arn: string): void {
    this.s.lbDelete.run(arn);
  }

  listener(arn: string): StoredListener | undefined {
    return parse<StoredListener>(this.s.lsGet.get(arn));
  }
  listeners(): StoredListener[] {
    return this.s.lsAll.all().map((r) => parse<StoredListener>(r)!);
  }
  putListener(l: StoredListener): void {
    this.s.lsPut.run(l.ListenerArn, l.LoadBalancerArn, l.Port, JSON.stringify(l));
  }
  deleteListener(arn: string): void {
    this.s.lsDelete.run(arn);
  }

  rule(arn: string): StoredRule | undefined {
    return parse<StoredRule>(this.s.ruleGet.get(arn));
  }
  /** Every non-default rule, by listener then priority. */
  rules(): StoredRule[] {
    return this.s.ruleAll.all().map((r) => parse<StoredRule>(r)!);
  }
  putRule(r: StoredRule): void {
    this.s.rulePut.run(r.RuleArn, r.ListenerArn, Number(r.Priority), JSON.stringify(r));
  }
  deleteRule(arn: string): void {
    this.s.ruleDelete.run(arn);
  }

  targetGroup(arn: string): StoredTargetGroup | undefined {
    return parse<StoredTargetGroup>(this.s.tgGet.get(arn));
  }
  targetGroupByName(name: string): StoredTargetGroup | undefined {
    return parse<StoredTargetGroup>(this.s.tgByName.get(name));
  }
  /** All target groups, by name. */
  targetGroups(): StoredTargetGroup[] {
    return this.s.tgAll.all().map((r) => parse<StoredTargetGroup>(r)!);
  }
  putTargetGroup(tg: StoredTargetGroup): void {
    this.s.tgPut.run(tg.TargetGroupArn, tg.TargetGroupName, JSON.stringify(tg));
  }
  /** Deletes the target group with its registrations. */
  deleteTargetGroup(arn: string): void {
    this.s.tgDelete.run(arn);
  }

  targetsOf(targetGroupArn: string): RegisteredTarget[] {
    return this.s.targetsOf.all(targetGroupArn).map(decodeTarget);
  }
  /** Registers targets; one already registered (same id and port) is left as it is. */
  addTargets(targets: readonly RegisteredTarget[]): void {
    for (const t of targets) {
      this.s.targetPut.run(t.targetGroupArn, t.id, t.port, t.availabilityZone ?? null, t.registeredAt.getTime());
    }
  }
  removeTargets(targetGroupArn: string, targets: ReadonlyArray<{ id: string; port: number }>): void {
    for (const t of targets) this.s.targetDelete.run(targetGroupArn, t.id, t.port);
  }

  snapshot(): Elbv2Snapshot {
    return this.transaction(() => ({
      loadBalancers: this.loadBalancers(),
      listeners: this.listeners(),
      rules: this.rules(),
      targetGroups: this.targetGroups(),
      targets: this.s.targetsAll.all().map(decodeTarget),
    }));
  }
}

function parse<T>(row: DocRow | undefined): T | undefined {
  return row ? (JSON.parse(row.doc) as T) : undefined;
}

function decodeLb(row: DocRow | undefined): StoredLoadBalancer | undefined {
  const lb = parse<StoredLoadBalancer>(row);
  if (lb) lb.CreatedTime = new Date(lb.CreatedTime as unknown as string);
  return lb;
}

function decodeTarget(r: TargetRow): RegisteredTarget {
  return {
    targetGroupArn: r.target_group_arn,
    id: r.id,
    port: r.port,
    availabilityZone: r.availability_zone ?? undefined,
    registeredAt: new Date(r.registered_at),
  };
}
