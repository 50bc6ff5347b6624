import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  ListTagsLogGroupRequest,
  ListTagsLogGroupResponse,
  TagLogGroupRequest,
  TagResourceRequest,
  UntagLogGroupRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-cloudwatch-logs';
import type { LogsContext } from './context.js';
import { constraintViolation, groupNotFound, invalidParameter, logsError } from './errors.js';
import { groupArn, groupNameFromArn } from './names.js';

const MAX_TAGS = 50;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Tag keys and values as the Logs model constrains them; `aws:` keys are AWS's own. */
export function validateTags(tags: Record<string, string>): Record<string, string> {
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128) throw constraintViolation(`tags.${key}`, key, 'have length between 1 and 128');
    if (!TAG_CHARS.test(key)) {
      throw constraintViolation('tags', key, 'satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$');
    }
    if (key.startsWith('aws:')) throw invalidParameter(`Tag keys starting with 'aws:' are reserved for AWS use: ${key}`);
    if (value.length > 256) throw constraintViolation(`tags.${key}`, value, 'have length less than or equal to 256');
    if (!TAG_CHARS.test(value)) throw constraintViolation(`tags.${key}`, value, 'satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$');
  }
  if (Object.keys(tags).length > MAX_TAGS) throw invalidParameter(`A log group can have at most ${MAX_TAGS} tags.`);
  return tags;
}

/**
 * TagResource / UntagResource / ListTagsForResource (by ARN) and the older
 * TagLogGroup / UntagLogGroup / ListTagsLogGroup (by name). Tags live in the shared
 * `tags` table under the group's ARN without `:*`.
 */
export class LogTags {
  constructor(private readonly ctx: LogsContext) {}

  tagResource(req: TagResourceRequest): Record<string, never> {
    this.put(this.nameFromArn(req.resourceArn), req.tags ?? {});
    return {};
  }

  untagResource(req: UntagResourceRequest): Record<string, never> {
    this.remove(this.nameFromArn(req.resourceArn), req.tagKeys ?? []);
    return {};
  }

  listTagsForResource(req: ListTagsForResourceRequest): ListTagsForResourceResponse {
    return { tags: this.list(this.nameFromArn(req.resourceArn)) };
  }

  tagLogGroup(req: TagLogGroupRequest): Record<string, never> {
    this.put(req.logGroupName ?? '', req.tags ?? {});
    return {};
  }

  untagLogGroup(req: UntagLogGroupRequest): Record<string, never> {
    this.remove(req.logGroupName ?? '', req.tags ?? []);
    return {};
  }

  listTagsLogGroup(req: ListTagsLogGroupRequest): ListTagsLogGroupResponse {
    return { tags: this.list(req.logGroupName ?? '') };
  }

  private nameFromArn(arn: string | undefined): string {
    return groupNameFromArn(this.ctx.scope, arn ?? '', 'resourceArn');
  }

  private existingArn(name: string): string {
    if (!this.ctx.logs.getGroup(name)) throw groupNotFound();
    return groupArn(this.ctx.scope, name);
  }

  private put(name: string, tags: Record<string, string>): void {
    validateTags(tags);
    this.ctx.tags.transaction(() => {
      const arn = this.existingArn(name);
      const keys = new Set(this.ctx.tags.list(arn).map((t) => t.key));
      for (const k of Object.keys(tags)) keys.add(k);
      if (keys.size > MAX_TAGS) {
        throw logsError('TooManyTagsException', `A log group can have at most ${MAX_TAGS} tags; this request would give it ${keys.size}.`);
      }
      this.ctx.tags.put(arn, Object.entries(tags).map(([key, value]) => ({ key, value })));
    });
  }

  private remove(name: string, keys: readonly string[]): void {
    this.ctx.tags.remove(this.existingArn(name), keys);
  }

  private list(name: string): Record<string, string> {
    return Object.fromEntries(this.ctx.tags.list(this.existingArn(name)).map((t) => [t.key, t.value]));
  }
}
