// AWS schedule expressions and the time-zone arithmetic under them, shared by EventBridge
// (rules and Scheduler) and Application Auto Scaling's scheduled actions.
export { latestCron } from './cron.js';
export { atInstant, nextOccurrence, parseSchedule, ScheduleExpressionError, type ParseOptions, type Schedule } from './expression.js';
export { isValidZone } from './zone.js';
