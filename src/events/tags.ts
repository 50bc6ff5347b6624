import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  Tag,
  TagResourceRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-eventbridge';
import { parseArn } from '../core/index.js';
import type { Tag as StoreTag } from '../store/index.js';
import type { EventsContext } from './context.js';
import { eventsError, invalid } from './errors.js';
import { parseRuleArn, ruleArn } from './names.js';

export function checkTags(tags: Tag[] | undefined): void {
  if (!tags) return;
  if (tags.length > 50) throw invalid('A resource can have at most 50 tags.');
  for (const t of tags) {
    if (!t.Key || t.Key.length > 128) throw invalid('Tag keys must be 1 to 128 characters.');
    if ((t.Value ?? '').length > 256) throw invalid('Tag values can be at most 256 characters.');
    if (t.Key.toLowerCase().startsWith('aws:')) throw invalid('Tag keys cannot start with aws:.');
  }
}

export function toStoreTags(tags: Tag[] | undefined): StoreTag[] {
  return (tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
}

/** TagResource, UntagResource, ListTagsForResource for rules and event buses. */
export class EventsTags {
  constructor(private readonly ctx: EventsContext) {}

  tagResource(req: TagResourceRequest): Record<string, never> {
    const arn = this.requireResource(req.ResourceARN ?? '');
    checkTags(req.Tags);
    this.ctx.tags.transaction(() => {
      this.ctx.tags.put(arn, toStoreTags(req.Tags));
      if (this.ctx.tags.list(arn).length > 50) throw invalid('A resource can have at most 50 tags.');
    });
    return {};
  }

  untagResource(req: UntagResourceRequest): Record<string, never> {
    const arn = this.requireResource(req.ResourceARN ?? '');
    this.ctx.tags.remove(arn, req.TagKeys ?? []);
    return {};
  }

  listTagsForResource(req: ListTagsForResourceRequest): ListTagsForResourceResponse {
    const arn = this.requireResource(req.ResourceARN ?? '');
    return { Tags: this.ctx.tags.list(arn).map((t) => ({ Key: t.key, Value: t.value })) };
  }

  private requireResource(arn: string): string {
    const parts = parseArn(arn);
    if (!parts || parts.service !== 'events') throw invalid(`Parameter ResourceARN is not valid: ${arn}`);
    const rule = parseRuleArn(arn);
    if (rule) {
      if (!this.ctx.repo.getRule(ruleArn(this.ctx.scope, rule.bus, rule.name))) {
        throw eventsError('ResourceNotFoundException', `Rule ${rule.name} does not exist on EventBus ${rule.bus}.`);
      }
      return arn;
    }
    if (parts.resource.startsWith('event-bus/')) {
      const name = parts.resource.slice('event-bus/'.length);
      if (!this.ctx.repo.getBus(name)) throw eventsError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
      return arn;
    }
    throw eventsError('ResourceNotFoundException', `Resource ${arn} does not exist.`);
  }
}
