import type { AccountScope, Clock } from '../../core/index.js';
import type { TagRepository } from '../../store/index.js';
import type { EventsOptions } from '../options.js';
import type { SchedulerRepository } from './repository.js';

export interface SchedulerContext {
  readonly repo: SchedulerRepository;
  readonly tags: TagRepository;
  readonly clock: Clock;
  readonly scope: AccountScope;
  readonly options: EventsOptions;
  /** Told after a schedule's next run changed (wakes the schedule loop). */
  readonly onChanged: () => void;
}

export const DEFAULT_GROUP = 'default';

export function scheduleArn(scope: AccountScope, group: string, name: string): string {
  return `arn:aws:scheduler:${scope.region}:${scope.account}:schedule/${group}/${name}`;
}

export function groupArn(scope: AccountScope, name: string): string {
  return `arn:aws:scheduler:${scope.region}:${scope.account}:schedule-group/${name}`;
}
