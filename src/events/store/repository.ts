import type { Target } from '@aws-sdk/client-eventbridge';
import type { Db } from '../../store/index.js';

/** An event bus as stored; times are epoch ms. */
export interface StoredBus {
  Name: string;
  Arn: string;
  Description?: string | undefined;
  KmsKeyIdentifier?: string | undefined;
  DeadLetterConfig?: { Arn?: string | undefined } | undefined;
  CreationTime: number;
  LastModifiedTime: number;
}

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export interface StoredRule {
  Name: string;
  Arn: string;
  EventBusName: string;
  EventPattern?: string | undefined;
  ScheduleExpression?: string | undefined;
  State: RuleState;
  Description?: string | undefined;
  RoleArn?: string | undefined;
  CreatedBy: string;
  /** When a rate schedule counts from (set when the rule is created or enabled), epoch ms. */
  ScheduleAnchor?: number | undefined;
}

interface Doc {
  doc: string;
}

/** Buses, rules and targets of EventBridge, in SQLite. Callers own the transactions. */
export class EventsRepository {
  private readonly s;

  constructor(readonly db: Db) {
    this.s = {
      putBus: db.prepare<[string, string, number, string]>(
        'INSERT INTO events_buses (name, arn, created_at, doc) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET doc = excluded.doc',
      ),
      getBus: db.prepare<[string], Doc>('SELECT doc FROM events_buses WHERE name = ?'),
      listBuses: db.prepare<[], Doc>('SELECT doc FROM events_buses ORDER BY name'),
      deleteBus: db.prepare<[string]>('DELETE FROM events_buses WHERE name = ?'),
      putRule: db.prepare<[string, string, string, string, number, number | null, string]>(
        `INSERT INTO events_rules (arn, bus, name, state, has_pattern, next_fire_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (arn) DO UPDATE SET state = excluded.state, has_pattern = excluded.has_pattern,
           next_fire_at = excluded.next_fire_at, doc = excluded.doc`,
      ),
      getRule: db.prepare<[string], Doc>('SELECT doc FROM events_rules WHERE arn = ?'),
      listRules: db.prepare<[string], Doc>('SELECT doc FROM events_rules WHERE bus = ? ORDER BY name'),
      patternRules: db.prepare<[string], Doc>(
        `SELECT doc FROM events_rules WHERE bus = ? AND has_pattern = 1 AND state != 'DISABLED' ORDER BY name`,
      ),
      countRules: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM events_rules WHERE bus = ?'),
      deleteRule: db.prepare<[string]>('DELETE FROM events_rules WHERE arn = ?'),
      dueRules: db.prepare<[number], Doc & { next_fire_at: number }>(
        'SELECT doc, next_fire_at FROM events_rules WHERE next_fire_at IS NOT NULL AND next_fire_at <= ? ORDER BY next_fire_at',
      ),
      setNextFire: db.prepare<[number | null, string]>('UPDATE events_rules SET next_fire_at = ? WHERE arn = ?'),
      dueAtOf: db.prepare<[string], { next_fire_at: number | null }>('SELECT next_fire_at FROM events_rules WHERE arn = ?'),
      nextFire: db.prepare<[], { at: number | null }>('SELECT min(next_fire_at) AS at FROM events_rules'),
      putTarget: db.prepare<[string, string, string, string]>(
        'INSERT INTO events_targets (rule_arn, id, arn, doc) VALUES (?, ?, ?, ?) ON CONFLICT (rule_arn, id) DO UPDATE SET arn = excluded.arn, doc = excluded.doc',
      ),
      targets: db.prepare<[string], Doc>('SELECT doc FROM events_targets WHERE rule_arn = ? ORDER BY id'),
      deleteTarget: db.prepare<[string, string]>('DELETE FROM events_targets WHERE rule_arn = ? AND id = ?'),
      rulesByTarget: db.prepare<[string], { rule_arn: string }>('SELECT DISTINCT rule_arn FROM events_targets WHERE arn = ? ORDER BY rule_arn'),
    };
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  putBus(bus: StoredBus): void {
    this.s.putBus.run(bus.Name, bus.Arn, bus.CreationTime, JSON.stringify(bus));
  }

  getBus(name: string): StoredBus | undefined {
    return parse<StoredBus>(this.s.getBus.get(name));
  }

  listBuses(): StoredBus[] {
    return this.s.listBuses.all().map((r) => JSON.parse(r.doc) as StoredBus);
  }

  deleteBus(name: string): void {
    this.s.deleteBus.run(name);
  }

  putRule(rule: StoredRule, nextFireAt: number | undefined): void {
    const hasPattern = rule.EventPattern !== undefined ? 1 : 0;
    this.s.putRule.run(rule.Arn, rule.EventBusName, rule.Name, rule.State, hasPattern, nextFireAt ?? null, JSON.stringify(rule));
  }

  getRule(arn: string): StoredRule | undefined {
    return parse<StoredRule>(this.s.getRule.get(arn));
  }

  listRules(bus: string): StoredRule[] {
    return this.s.listRules.all(bus).map((r) => JSON.parse(r.doc) as StoredRule);
  }

  /** Enabled rules with an event pattern on a bus: the ones PutEvents matches against. */
  patternRules(bus: string): StoredRule[] {
    return this.s.patternRules.all(bus).map((r) => JSON.parse(r.doc) as StoredRule);
  }

  countRules(bus: string): number {
    return this.s.countRules.get(bus)?.n ?? 0;
  }

  deleteRule(arn: string): void {
    this.s.deleteRule.run(arn);
  }

  /** Scheduled rules whose next run is at or before `now`. */
  dueRules(now: number): { rule: StoredRule; dueAt: number }[] {
    return this.s.dueRules.all(now).map((r) => ({ rule: JSON.parse(r.doc) as StoredRule, dueAt: r.next_fire_at }));
  }

  setNextFire(arn: string, at: number | undefined): void {
    this.s.setNextFire.run(at ?? null, arn);
  }

  /** When a rule next runs, epoch ms. */
  dueAtOf(arn: string): number | undefined {
    return this.s.dueAtOf.get(arn)?.next_fire_at ?? undefined;
  }

  /** The earliest next run of any scheduled rule, epoch ms. */
  nextFire(): number | undefined {
    return this.s.nextFire.get()?.at ?? undefined;
  }

  putTarget(ruleArn: string, target: Target): void {
    this.s.putTarget.run(ruleArn, target.Id ?? '', target.Arn ?? '', JSON.stringify(target));
  }

  targets(ruleArn: string): Target[] {
    return this.s.targets.all(ruleArn).map((r) => JSON.parse(r.doc) as Target);
  }

  deleteTarget(ruleArn: string, id: string): boolean {
    return this.s.deleteTarget.run(ruleArn, id).changes > 0;
  }

  rulesByTarget(targetArn: string): string[] {
    return this.s.rulesByTarget.all(targetArn).map((r) => r.rule_arn);
  }
}

function parse<T>(row: Doc | undefined): T | undefined {
  return row ? (JSON.parse(row.doc) as T) : undefined;
}
