import type { ListTagsForResourceInput, ListTagsForResourceOutput, Tag, TagResourceInput, UntagResourceInput } from '@aws-sdk/client-sfn';
import { statesError, validation } from '../errors.js';
import { parseMachineArn, parseStatesArn } from '../names.js';
import type { Empty, StatesContext } from './context.js';

const MAX_TAGS = 50;

/** Tag keys 1–128 characters, values up to 256, at most 50 per resource. */
export function checkTags(tags: readonly Tag[] | undefined): { key: string; value: string }[] {
  const out = (tags ?? []).map((t) => ({ key: t.key ?? '', value: t.value ?? '' }));
  for (const t of out) {
    if (t.key.length < 1 || t.key.length > 128) throw validation('tags.member.key', t.key, 'have length between 1 and 128');
    if (t.value.length > 256) throw validation('tags.member.value', t.value, 'have length less than or equal to 256');
  }
  return out;
}

/** TagResource, UntagResource, ListTagsForResource for state machines and activities (shared `tags` table). */
export class StatesTags {
  constructor(private readonly ctx: StatesContext) {}

  private existing(arn: string | undefined): string {
    const { type } = parseStatesArn(arn, ['stateMachine', 'activity']);
    const a = arn ?? '';
    const found = type === 'activity' ? this.ctx.store.getActivity(a) : this.ctx.store.getMachine(parseMachineArn(a).base);
    if (!found) throw statesError('ResourceNotFound', `Resource not found: '${a}'`);
    return a;
  }

  tagResource(req: TagResourceInput): Empty {
    const arn = this.existing(req.resourceArn);
    const tags = checkTags(req.tags);
    this.ctx.tags.transaction(() => {
      this.ctx.tags.put(arn, tags);
      if (this.ctx.tags.list(arn).length > MAX_TAGS) throw statesError('TooManyTags', `A resource can have at most ${MAX_TAGS} tags.`);
    });
    return {};
  }

  untagResource(req: UntagResourceInput): Empty {
    this.ctx.tags.remove(this.existing(req.resourceArn), req.tagKeys ?? []);
    return {};
  }

  listTagsForResource(req: ListTagsForResourceInput): ListTagsForResourceOutput {
    return { tags: this.ctx.tags.list(this.existing(req.resourceArn)) };
  }
}
