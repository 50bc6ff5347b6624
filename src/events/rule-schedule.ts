import { nextOccurrence, parseSchedule, ScheduleExpressionError, type Schedule } from '../core/index.js';
import { invalid } from './errors.js';
import type { EventsOptions } from './options.js';
import type { StoredRule } from './store/repository.js';

/** A rule's ScheduleExpression parsed as AWS parses it (UTC, rate or cron, strict units). */
export function parseRuleSchedule(text: string, options: EventsOptions): Schedule {
  try {
    return parseSchedule(text, { allowAt: false, lenientUnits: false, minRateMs: options.minScheduleRateMs });
  } catch (err) {
    if (err instanceof ScheduleExpressionError) throw invalid(`Parameter ScheduleExpression is not valid: ${err.message}.`);
    throw err;
  }
}

/** The next run of a scheduled rule strictly after `afterMs`, or undefined (not scheduled, disabled, or none left). */
export function nextRuleRun(rule: StoredRule, afterMs: number, options: EventsOptions): number | undefined {
  if (!rule.ScheduleExpression || rule.State === 'DISABLED') return undefined;
  const schedule = parseRuleSchedule(rule.ScheduleExpression, options);
  return nextOccurrence(schedule, afterMs, 'UTC', rule.ScheduleAnchor ?? afterMs);
}
