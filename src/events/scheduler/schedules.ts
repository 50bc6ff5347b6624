import { DEFAULT_GROUP, scheduleArn, type SchedulerContext } from './context.js';
import { invalid, schedulerError } from './errors.js';
import type { StoredGroup, StoredSchedule } from './model.js';
import { firstRun } from './timing.js';
import { checkName, checkSchedule, type ScheduleInput } from './validate.js';

export interface ListSchedulesInput {
  ScheduleGroup?: string | undefined;
  NamePrefix?: string | undefined;
  State?: string | undefined;
  NextToken?: string | undefined;
  MaxResults?: number | undefined;
}

/** CreateSchedule, GetSchedule, UpdateSchedule, DeleteSchedule, ListSchedules. */
export class Schedules {
  constructor(private readonly ctx: SchedulerContext) {}

  create(name: string, input: ScheduleInput): { ScheduleArn: string } {
    const group = this.requireGroup(input.GroupName);
    checkName(name, 'Name');
    const now = this.ctx.clock.now().getTime();
    const settings = checkSchedule(input, now, this.ctx.options.minScheduleRateMs);
    if (this.ctx.repo.getSchedule(group.Name, name)) throw schedulerError('ConflictException', `Schedule ${name} already exists.`);
    const schedule: StoredSchedule = {
      ...settings,
      Name: name,
      GroupName: group.Name,
      Arn: scheduleArn(this.ctx.scope, group.Name, name),
      CreationDate: now,
      LastModificationDate: now,
      RateAnchor: settings.StartDate ?? now,
    };
    this.save(schedule, now);
    return { ScheduleArn: schedule.Arn };
  }

  update(name: string, input: ScheduleInput): { ScheduleArn: string } {
    const group = this.requireGroup(input.GroupName);
    const existing = this.require(group.Name, name);
    const now = this.ctx.clock.now().getTime();
    const settings = checkSchedule(input, now, this.ctx.options.minScheduleRateMs);
    const schedule: StoredSchedule = { ...existing, ...settings, LastModificationDate: now, RateAnchor: settings.StartDate ?? now };
    this.save(schedule, now);
    return { ScheduleArn: schedule.Arn };
  }

  private save(schedule: StoredSchedule, now: number): void {
    this.ctx.repo.putSchedule(schedule, firstRun(schedule, now, this.ctx.options.minScheduleRateMs));
    this.ctx.onChanged();
  }

  get(name: string, groupName: string | undefined): Record<string, unknown> {
    const group = this.requireGroup(groupName);
    return view(this.require(group.Name, name));
  }

  delete(name: string, groupName: string | undefined): Record<string, never> {
    const group = this.requireGroup(groupName);
    this.require(group.Name, name);
    this.ctx.repo.deleteSchedule(group.Name, name);
    return {};
  }

  list(q: ListSchedulesInput): { Schedules: Record<string, unknown>[]; NextToken?: string | undefined } {
    const limit = q.MaxResults ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalid('MaxResults must be from 1 to 100.');
    if (q.State !== undefined && q.State !== 'ENABLED' && q.State !== 'DISABLED') throw invalid('State must be ENABLED or DISABLED.');
    const after = q.NextToken ? decodeToken(q.NextToken) : '';
    const all = this.ctx.repo
      .listSchedules()
      .filter((s) => (q.ScheduleGroup === undefined || s.GroupName === q.ScheduleGroup) && s.Name.startsWith(q.NamePrefix ?? '') && (q.State === undefined || s.State === q.State))
      .filter((s) => keyOf(s) > after);
    const items = all.slice(0, limit);
    const last = items[items.length - 1];
    return {
      Schedules: items.map((s) => ({
        Arn: s.Arn,
        Name: s.Name,
        GroupName: s.GroupName,
        State: s.State,
        CreationDate: new Date(s.CreationDate),
        LastModificationDate: new Date(s.LastModificationDate),
        Target: { Arn: s.Target.Arn },
      })),
      NextToken: all.length > limit && last ? Buffer.from(keyOf(last)).toString('base64url') : undefined,
    };
  }

  requireGroup(name: string | undefined): StoredGroup {
    const groupName = name ?? DEFAULT_GROUP;
    const group = this.ctx.repo.getGroup(groupName);
    if (!group) throw schedulerError('ResourceNotFoundException', `Schedule group ${groupName} does not exist.`);
    return group;
  }

  private require(group: string, name: string): StoredSchedule {
    const found = this.ctx.repo.getSchedule(group, name);
    if (!found) throw schedulerError('ResourceNotFoundException', `Schedule ${name} does not exist.`);
    return found.schedule;
  }
}

function keyOf(s: StoredSchedule): string {
  return `${s.GroupName}/${s.Name}`;
}

function decodeToken(token: string): string {
  const key = Buffer.from(token, 'base64url').toString('utf8');
  if (!key.includes('/')) throw invalid('Invalid NextToken: pass the NextToken of a previous response unchanged.');
  return key;
}

function view(s: StoredSchedule): Record<string, unknown> {
  return {
    Arn: s.Arn,
    GroupName: s.GroupName,
    Name: s.Name,
    ScheduleExpression: s.ScheduleExpression,
    ScheduleExpressionTimezone: s.ScheduleExpressionTimezone,
    StartDate: s.StartDate === undefined ? undefined : new Date(s.StartDate),
    EndDate: s.EndDate === undefined ? undefined : new Date(s.EndDate),
    Description: s.Description,
    State: s.State,
    KmsKeyArn: s.KmsKeyArn,
    Target: s.Target,
    FlexibleTimeWindow: s.FlexibleTimeWindow,
    ActionAfterCompletion: s.ActionAfterCompletion,
    CreationDate: new Date(s.CreationDate),
    LastModificationDate: new Date(s.LastModificationDate),
  };
}
