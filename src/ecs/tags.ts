import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  TagResourceRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-ecs';
import { parseArn } from '../core/index.js';
import type { Tag } from '../store/index.js';
import type { Clusters } from './clusters.js';
import type { EcsDeps } from './context.js';
import { ecsError } from './errors.js';
import type { TaskDefinitions } from './task-definitions/service.js';
import { validateTags } from './task-definitions/validate.js';

const MAX_TAGS = 50;

/** TagResource / UntagResource / ListTagsForResource over every taggable ECS resource. */
export class EcsTags {
  constructor(
    private readonly deps: EcsDeps,
    private readonly clusters: Clusters,
    private readonly taskDefinitions: TaskDefinitions,
  ) {}

  tag(req: TagResourceRequest): Record<string, never> {
    const arn = this.requireResource(req.resourceArn);
    const tags = (req.tags ?? []) as Tag[];
    if (tags.length === 0) throw ecsError('InvalidParameterException', 'tags must contain at least one tag.');
    validateTags(tags);
    const { store } = this.deps;
    store.tags.transaction(() => {
      const keys = new Set(store.tags.list(arn).map((t) => t.key));
      for (const t of tags) keys.add(t.key);
      if (keys.size > MAX_TAGS) {
        throw ecsError('InvalidParameterException', `A resource can have at most ${MAX_TAGS} tags; this request would give it ${keys.size}.`);
      }
      store.tags.put(arn, tags);
    });
    return {};
  }

  untag(req: UntagResourceRequest): Record<string, never> {
    const arn = this.requireResource(req.resourceArn);
    if (!req.tagKeys || req.tagKeys.length === 0) throw ecsError('InvalidParameterException', 'tagKeys must contain at least one key.');
    this.deps.store.tags.remove(arn, req.tagKeys);
    return {};
  }

  list(req: ListTagsForResourceRequest): ListTagsForResourceResponse {
    const arn = this.requireResource(req.resourceArn);
    return { tags: this.deps.store.tags.list(arn) };
  }

  /** The canonical ARN of an existing cluster or task definition revision. */
  private requireResource(resourceArn: string | undefined): string {
    const arn = resourceArn ? parseArn(resourceArn) : undefined;
    if (!resourceArn || !arn || arn.service !== 'ecs') {
      throw ecsError('InvalidParameterException', `Invalid resourceArn '${resourceArn ?? ''}': pass the ARN of an ECS resource.`);
    }
    const [type] = arn.resource.split('/');
    if (type === 'cluster') {
      const cluster = this.clusters.find(resourceArn);
      if (cluster?.status === 'ACTIVE') return cluster.clusterArn;
      throw ecsError('ClusterNotFoundException', 'Cluster not found.');
    }
    if (type === 'task-definition') {
      const { revision } = this.taskDefinitions.parseRef(resourceArn);
      const td = revision === undefined ? undefined : this.taskDefinitions.resolve(resourceArn);
      if (td && td.status !== 'DELETE_IN_PROGRESS') return td.taskDefinitionArn;
    }
    throw ecsError('ResourceNotFoundException', `The specified resource ${resourceArn} could not be found.`);
  }
}
