import type { TagRepository } from '../../store/index.js';
import { DEFAULT_GROUP, groupArn, type SchedulerContext } from './context.js';
import { invalid, schedulerError } from './errors.js';
import type { StoredGroup } from './model.js';
import { checkName } from './validate.js';

type Tags = { Key?: string; Value?: string }[];

/** Schedule groups (the `default` group always exists) and their tags. */
export class Groups {
  constructor(private readonly ctx: SchedulerContext) {}

  ensureDefault(): void {
    if (this.ctx.repo.getGroup(DEFAULT_GROUP)) return;
    const now = this.ctx.clock.now().getTime();
    this.ctx.repo.putGroup({ Name: DEFAULT_GROUP, Arn: groupArn(this.ctx.scope, DEFAULT_GROUP), State: 'ACTIVE', CreationDate: now, LastModificationDate: now });
  }

  create(name: string, input: { Tags?: Tags }): { ScheduleGroupArn: string } {
    checkName(name, 'Name');
    checkTags(input.Tags);
    if (this.ctx.repo.getGroup(name)) throw schedulerError('ConflictException', `Schedule group ${name} already exists.`);
    const now = this.ctx.clock.now().getTime();
    const group: StoredGroup = { Name: name, Arn: groupArn(this.ctx.scope, name), State: 'ACTIVE', CreationDate: now, LastModificationDate: now };
    this.ctx.repo.transaction(() => {
      this.ctx.repo.putGroup(group);
      this.ctx.tags.put(group.Arn, toStore(input.Tags));
    });
    return { ScheduleGroupArn: group.Arn };
  }

  get(name: string): Record<string, unknown> {
    return view(this.require(name));
  }

  list(q: { NamePrefix?: string | undefined; NextToken?: string | undefined; MaxResults?: number | undefined }): Record<string, unknown> {
    const limit = q.MaxResults ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalid('MaxResults must be from 1 to 100.');
    const after = q.NextToken ? Buffer.from(q.NextToken, 'base64url').toString('utf8') : '';
    const all = this.ctx.repo.listGroups().filter((g) => g.Name.startsWith(q.NamePrefix ?? '') && g.Name > after);
    const items = all.slice(0, limit);
    const last = items[items.length - 1];
    return { ScheduleGroups: items.map(view), NextToken: all.length > limit && last ? Buffer.from(last.Name).toString('base64url') : undefined };
  }

  /** Deletes the group and every schedule in it. */
  delete(name: string): Record<string, never> {
    if (name === DEFAULT_GROUP) throw invalid('You cannot delete the default schedule group.');
    const group = this.require(name);
    this.ctx.repo.transaction(() => {
      this.ctx.repo.deleteGroup(name);
      this.ctx.tags.removeAll(group.Arn);
    });
    return {};
  }

  tag(arn: string, input: { Tags?: Tags }): Record<string, never> {
    this.requireByArn(arn);
    checkTags(input.Tags);
    this.ctx.tags.put(arn, toStore(input.Tags));
    return {};
  }

  untag(arn: string, keys: string[]): Record<string, never> {
    this.requireByArn(arn);
    this.ctx.tags.remove(arn, keys);
    return {};
  }

  listTags(arn: string): { Tags: { Key: string; Value: string }[] } {
    this.requireByArn(arn);
    return { Tags: this.ctx.tags.list(arn).map((t) => ({ Key: t.key, Value: t.value })) };
  }

  private require(name: string): StoredGroup {
    const group = this.ctx.repo.getGroup(name);
    if (!group) throw schedulerError('ResourceNotFoundException', `Schedule group ${name} does not exist.`);
    return group;
  }

  /** Only schedule groups carry tags in Scheduler. */
  private requireByArn(arn: string): StoredGroup {
    const m = /^arn:aws:scheduler:[^:]*:[^:]*:schedule-group\/(.+)$/.exec(arn);
    if (!m) throw schedulerError('ResourceNotFoundException', `Resource ${arn} does not exist: only schedule groups have tags.`);
    return this.require(m[1] as string);
  }
}

function checkTags(tags: Tags | undefined): void {
  for (const t of tags ?? []) {
    if (!t.Key || t.Key.length > 128 || (t.Value ?? '').length > 256) throw invalid('Tag keys must be 1 to 128 characters and values at most 256.');
  }
  if ((tags ?? []).length > 200) throw invalid('A resource can have at most 200 tags.');
}

function toStore(tags: Tags | undefined): Parameters<TagRepository['put']>[1] {
  return (tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
}

function view(g: StoredGroup): Record<string, unknown> {
  return { Arn: g.Arn, Name: g.Name, State: g.State, CreationDate: new Date(g.CreationDate), LastModificationDate: new Date(g.LastModificationDate) };
}
