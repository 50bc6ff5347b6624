import type { Tag } from '../store/index.js';
import type { AutoscalingContext } from './context.js';
import { scalingError, validation } from './errors.js';
import type { StoredTarget } from './model.js';
import { checkStepAlarmTags } from './step-alarms.js';
import { checkLength } from './validate.js';

const TARGET_ARN = /^arn:.+:application-autoscaling:.+:[0-9]+:scalable-target\/[a-zA-Z0-9-]+$/;

export function tagList(map: Record<string, string>): Tag[] {
  return Object.entries(map).map(([key, value]) => ({ key, value }));
}

/** Key and value lengths, the reserved `aws:` prefix, and skiff's step alarm tags. */
export function checkTagMap(resourceId: string, tags: readonly Tag[]): void {
  for (const t of tags) {
    checkLength(t.key, 'Tags key', 1, 128);
    checkLength(t.value, 'Tags value', 0, 256);
    if (t.key.toLowerCase().startsWith('aws:')) throw validation(`Tag keys starting with 'aws:' are reserved for AWS: ${t.key}.`);
  }
  checkStepAlarmTags(resourceId, tags);
}

/** TagResource / UntagResource / ListTagsForResource: only scalable targets take tags. */
export class ScalingTags {
  constructor(private readonly ctx: AutoscalingContext) {}

  tag(req: { ResourceARN: string; Tags: Record<string, string> }): Record<string, never> {
    const target = this.requireTarget(req.ResourceARN);
    const tags = tagList(req.Tags);
    checkTagMap(target.resourceId, tags);
    const { ctx } = this;
    ctx.repo.transaction(() => {
      const keys = new Set([...ctx.tags.list(target.arn).map((t) => t.key), ...tags.map((t) => t.key)]);
      if (keys.size > ctx.limits.tagsPerTarget) {
        throw scalingError('TooManyTagsException', `A scalable target can have at most ${ctx.limits.tagsPerTarget} tags; this request would give it ${keys.size}.`);
      }
      ctx.tags.put(target.arn, tags);
    });
    return {};
  }

  untag(req: { ResourceARN: string; TagKeys: string[] }): Record<string, never> {
    const target = this.requireTarget(req.ResourceARN);
    if (req.TagKeys.length > 200) throw validation('TagKeys can have at most 200 items.');
    this.ctx.tags.remove(target.arn, req.TagKeys);
    return {};
  }

  list(req: { ResourceARN: string }): { Tags: Record<string, string> } {
    const target = this.requireTarget(req.ResourceARN);
    return { Tags: Object.fromEntries(this.ctx.tags.list(target.arn).map((t) => [t.key, t.value])) };
  }

  private requireTarget(arn: string): StoredTarget {
    checkLength(arn, 'ResourceARN', 1, 1011);
    if (!TARGET_ARN.test(arn)) {
      throw validation(`ResourceARN ${arn} is not the ARN of a scalable target (arn:aws:application-autoscaling:<region>:<account>:scalable-target/<id>).`);
    }
    const target = this.ctx.repo.targetByArn(arn);
    if (!target) throw scalingError('ResourceNotFoundException', `No scalable target found for ARN ${arn}.`);
    return target;
  }
}
