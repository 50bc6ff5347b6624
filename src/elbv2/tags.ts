import type { Elbv2Context } from './context.js';
import { constraint, elbError, lbNotFound, listenerNotFound, ruleNotFound, tgNotFound } from './errors.js';
import type { Tag } from './model.js';
import { kindOf, listenerOfRule } from './names.js';

const MAX_TAGS = 50;

/** Keys 1..128 characters, values up to 256, no key twice, at most 50. */
export function checkTags(tags: readonly Tag[]): void {
  const keys = new Set<string>();
  for (const t of tags) {
    if (t.Key.length < 1 || t.Key.length > 128) throw constraint('tags.member.key', t.Key, 'Member must have length between 1 and 128');
    if ((t.Value ?? '').length > 256) throw constraint('tags.member.value', t.Value, 'Member must have length less than or equal to 256');
    if (t.Key.startsWith('aws:')) throw constraint('tags.member.key', t.Key, "Member must not begin with 'aws:'");
    if (keys.has(t.Key)) throw elbError('DuplicateTagKeys', `Tag key '${t.Key}' is duplicated`);
    keys.add(t.Key);
  }
  if (keys.size > MAX_TAGS) throw elbError('TooManyTags', `A resource can have at most ${MAX_TAGS} tags`);
}

/** AddTags, RemoveTags and DescribeTags over load balancers, target groups, listeners and rules. */
export class Elbv2Tags {
  constructor(private readonly ctx: Elbv2Context) {}

  add(input: { ResourceArns: string[]; Tags: Tag[] }): Record<string, never> {
    checkTags(input.Tags);
    const { tags } = this.ctx;
    tags.transaction(() => {
      for (const arn of input.ResourceArns) {
        this.requireResource(arn);
        const keys = new Set([...tags.list(arn).map((t) => t.key), ...input.Tags.map((t) => t.Key)]);
        if (keys.size > MAX_TAGS) throw elbError('TooManyTags', `The resource ${arn} would have more than ${MAX_TAGS} tags`);
        tags.put(arn, input.Tags.map((t) => ({ key: t.Key, value: t.Value ?? '' })));
      }
    });
    return {};
  }

  remove(input: { ResourceArns: string[]; TagKeys: string[] }): Record<string, never> {
    const { tags } = this.ctx;
    tags.transaction(() => {
      for (const arn of input.ResourceArns) {
        this.requireResource(arn);
        tags.remove(arn, input.TagKeys);
      }
    });
    return {};
  }

  describe(input: { ResourceArns: string[] }): { TagDescriptions: Array<{ ResourceArn: string; Tags: Tag[] }> } {
    if (input.ResourceArns.length > 20) throw constraint('resourceArns', input.ResourceArns.length, 'Member must have length less than or equal to 20');
    return {
      TagDescriptions: input.ResourceArns.map((arn) => {
        this.requireResource(arn);
        return { ResourceArn: arn, Tags: this.ctx.tags.list(arn).map((t) => ({ Key: t.key, Value: t.value })) };
      }),
    };
  }

  private requireResource(arn: string): void {
    const { repo } = this.ctx;
    switch (kindOf(arn)) {
      case 'loadbalancer':
        if (repo.loadBalancer(arn)) return;
        throw lbNotFound();
      case 'targetgroup':
        if (repo.targetGroup(arn)) return;
        throw tgNotFound();
      case 'listener':
        if (repo.listener(arn)) return;
        throw listenerNotFound();
      case 'listener-rule':
        if (repo.rule(arn) || repo.listener(listenerOfRule(arn))?.DefaultRuleArn === arn) return;
        throw ruleNotFound();
      default:
        throw constraint('resourceArns', arn, 'Member must be the ARN of a load balancer, target group, listener or rule');
    }
  }
}
