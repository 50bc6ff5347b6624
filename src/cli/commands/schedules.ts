import { GetScheduleCommand, paginateListSchedules, SchedulerClient, type GetScheduleOutput, type ScheduleSummary } from '@aws-sdk/client-scheduler';
import { Command } from 'commander';
import { action, printJson, withApiOptions, withClient, type ApiOptions } from '../client.js';
import { formatFields, formatTable, isoTime } from '../table.js';
import { shortArn, targetFields } from '../targets.js';

interface SchedulesOptions extends ApiOptions {
  group?: string;
}

/** `skiff schedules [name]`: EventBridge Scheduler schedules, or one schedule in detail. */
export function schedulesCommand(): Command {
  const cmd = new Command('schedules')
    .description('list EventBridge Scheduler schedules, or show one schedule')
    .argument('[name]', 'a schedule to show in detail')
    .option('--group <name>', 'schedule group (listing: only this group; detail: default "default")');
  return withApiOptions(cmd, false).action(action(schedules));
}

async function schedules(name: string | undefined, opts: SchedulesOptions): Promise<void> {
  await withClient(opts, (config) => new SchedulerClient(config), async (scheduler) => {
    if (name) {
      const { $metadata: _, ...schedule } = await scheduler.send(new GetScheduleCommand({ Name: name, GroupName: opts.group }));
      if (opts.json) return printJson({ schedule });
      process.stdout.write(scheduleDetail(schedule));
      return;
    }
    // a summary lacks the expression and time zone, so each schedule is read in full
    const all: GetScheduleOutput[] = [];
    for (const s of await listSchedules(scheduler, opts.group)) {
      const { $metadata: _, ...schedule } = await scheduler.send(new GetScheduleCommand({ Name: s.Name, GroupName: s.GroupName }));
      all.push(schedule);
    }
    if (opts.json) return printJson({ schedules: all });
    process.stdout.write(formatTable(['GROUP', 'NAME', 'EXPRESSION', 'TIMEZONE', 'STATE', 'TARGET'], all.map(scheduleRow)));
  });
}

async function listSchedules(scheduler: SchedulerClient, group: string | undefined): Promise<ScheduleSummary[]> {
  const out: ScheduleSummary[] = [];
  for await (const page of paginateListSchedules({ client: scheduler }, { GroupName: group })) out.push(...(page.Schedules ?? []));
  return out;
}

/** Scheduler reads cron and at expressions in UTC unless told otherwise. */
const timezoneOf = (s: GetScheduleOutput): string => s.ScheduleExpressionTimezone ?? 'UTC';

export function scheduleRow(s: GetScheduleOutput): string[] {
  return [s.GroupName ?? '', s.Name ?? '', s.ScheduleExpression ?? '', timezoneOf(s), s.State ?? '', shortArn(s.Target?.Arn)];
}

/** `OFF`, or `FLEXIBLE, up to 15 min`. */
function windowOf(s: GetScheduleOutput): string | undefined {
  const w = s.FlexibleTimeWindow;
  if (!w?.Mode) return undefined;
  return w.MaximumWindowInMinutes !== undefined ? `${w.Mode}, up to ${w.MaximumWindowInMinutes} min` : w.Mode;
}

/** A schedule's settings, then its target with what it runs. */
export function scheduleDetail(s: GetScheduleOutput): string {
  const head = formatFields([
    ['Name', s.Name],
    ['Group', s.GroupName],
    ['Arn', s.Arn],
    ['Expression', s.ScheduleExpression],
    ['Timezone', timezoneOf(s)],
    ['State', s.State],
    ['Description', s.Description],
    ['Flexible window', windowOf(s)],
    ['Start', s.StartDate && isoTime(s.StartDate)],
    ['End', s.EndDate && isoTime(s.EndDate)],
    ['After completion', s.ActionAfterCompletion],
    ['Created', s.CreationDate && isoTime(s.CreationDate)],
    ['Modified', s.LastModificationDate && isoTime(s.LastModificationDate)],
  ]);
  const target = s.Target;
  if (!target) return head;
  return `${head}\nTarget  ${target.Arn ?? '-'}\n${formatFields(targetFields(target), '  ')}`;
}
