import type {
  DeleteTaskDefinitionsRequest,
  DeleteTaskDefinitionsResponse,
  DeregisterTaskDefinitionRequest,
  DeregisterTaskDefinitionResponse,
  DescribeTaskDefinitionRequest,
  DescribeTaskDefinitionResponse,
  Failure,
  ListTaskDefinitionFamiliesRequest,
  ListTaskDefinitionFamiliesResponse,
  ListTaskDefinitionsRequest,
  ListTaskDefinitionsResponse,
  RegisterTaskDefinitionRequest,
  RegisterTaskDefinitionResponse,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { decodeToken, formatArn, isArn, pageOf, parseArn } from '../../core/index.js';
import type { StoredTaskDefinition, Tag, TaskDefinitionStatus } from '../../store/index.js';
import type { EcsDeps } from '../context.js';
import { EcsErrors, ecsError } from '../errors.js';
import { checkMaxResults } from '../paging.js';
import { validateTags, validateTaskDefinition } from './validate.js';

export interface TaskDefinitionRef {
  family: string;
  /** undefined: the latest ACTIVE revision. */
  revision: number | undefined;
}

const LIST_STATUSES = ['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'];
const FAMILY_STATUSES = ['ACTIVE', 'INACTIVE', 'ALL'];

/** Task definition revisions: register, describe, list, deregister, delete. */
export class TaskDefinitions {
  constructor(private readonly deps: EcsDeps) {}

  arnOf(family: string, revision: number): string {
    return formatArn(this.deps.scope, 'ecs', `task-definition/${family}:${revision}`);
  }

  register(req: RegisterTaskDefinitionRequest): RegisterTaskDefinitionResponse {
    const valid = validateTaskDefinition(req);
    const family = valid.family;
    if (!family) throw new Error('a validated task definition always has a family');
    const tags = (req.tags ?? []) as Tag[];
    validateTags(tags);
    const now = this.deps.clock.now();
    const { store } = this.deps;
    const td = store.taskDefinitions.register(
      family,
      (revision) => ({
        ...valid,
        family,
        taskDefinitionArn: this.arnOf(family, revision),
        revision,
        status: 'ACTIVE',
        registeredAt: now,
        registeredBy: `arn:aws:iam::${this.deps.scope.account}:root`,
      }),
      (stored) => store.tags.put(stored.taskDefinitionArn, tags),
    );
    return { taskDefinition: td, tags: tags.length > 0 ? tags : undefined };
  }

  /** Parses `family`, `family:revision` or a task definition ARN. */
  parseRef(ref: string): TaskDefinitionRef {
    let body = ref;
    if (isArn(ref)) {
      const arn = parseArn(ref);
      if (!arn || arn.service !== 'ecs' || !arn.resource.startsWith('task-definition/')) {
        throw ecsError('ClientException', `Invalid task definition ARN '${ref}'.`);
      }
      body = arn.resource.slice('task-definition/'.length);
    }
    const m = /^([a-zA-Z0-9_-]{1,255})(?::(\d+))?$/.exec(body);
    if (!m?.[1]) {
      throw ecsError('ClientException', `Invalid task definition '${ref}': use family, family:revision or a task definition ARN.`);
    }
    return { family: m[1], revision: m[2] === undefined ? undefined : Number(m[2]) };
  }

  /** The revision a reference names; the latest ACTIVE one for a bare family. */
  resolve(ref: string): StoredTaskDefinition | undefined {
    const { family, revision } = this.parseRef(ref);
    const repo = this.deps.store.taskDefinitions;
    return revision === undefined ? repo.latestActive(family) : repo.get(family, revision);
  }

  describe(req: DescribeTaskDefinitionRequest): DescribeTaskDefinitionResponse {
    if (!req.taskDefinition) throw ecsError('ClientException', 'taskDefinition is required.');
    for (const i of req.include ?? []) {
      if (i !== 'TAGS') throw ecsError('InvalidParameterException', `include values must be TAGS, got ${i}.`);
    }
    const td = this.resolve(req.taskDefinition);
    if (!td) throw ecsError('ClientException', 'Unable to describe task definition.');
    const tags = req.include?.includes('TAGS') ? this.deps.store.tags.list(td.taskDefinitionArn) : undefined;
    return { taskDefinition: td as TaskDefinition, tags };
  }

  list(req: ListTaskDefinitionsRequest): ListTaskDefinitionsResponse {
    const status = req.status ?? 'ACTIVE';
    if (!LIST_STATUSES.includes(status)) throw ecsError('InvalidParameterException', `status must be one of ${LIST_STATUSES.join(', ')}.`);
    const sort = req.sort ?? 'ASC';
    if (sort !== 'ASC' && sort !== 'DESC') throw ecsError('InvalidParameterException', 'sort must be ASC or DESC.');
    const limit = checkMaxResults(req.maxResults, 100);
    const after = req.nextToken ? decodeToken(req.nextToken, EcsErrors.InvalidParameterException) : undefined;
    // familyPrefix names a whole family in ListTaskDefinitions (unlike ListTaskDefinitionFamilies).
    const rows = this.deps.store.taskDefinitions.list({ family: req.familyPrefix, status: status as TaskDefinitionStatus });
    if (sort === 'DESC') rows.reverse();
    const key = (r: { family: string; revision: number }): string => `${r.family}\u0000${String(r.revision).padStart(10, '0')}`;
    const page = pageOf(rows, key, limit, after, sort === 'DESC');
    return { taskDefinitionArns: page.items.map((r) => r.arn), nextToken: page.nextToken };
  }

  listFamilies(req: ListTaskDefinitionFamiliesRequest): ListTaskDefinitionFamiliesResponse {
    const status = req.status ?? 'ALL';
    if (!FAMILY_STATUSES.includes(status)) throw ecsError('InvalidParameterException', `status must be one of ${FAMILY_STATUSES.join(', ')}.`);
    const limit = checkMaxResults(req.maxResults, 100);
    const after = req.nextToken ? decodeToken(req.nextToken, EcsErrors.InvalidParameterException) : undefined;
    const prefix = req.familyPrefix ?? '';
    const families = this.deps.store.taskDefinitions
      .families()
      .filter((f) => f.family.startsWith(prefix))
      .filter((f) => status === 'ALL' || f.active === (status === 'ACTIVE'))
      .map((f) => f.family);
    const page = pageOf(families, (f) => f, limit, after);
    return { families: page.items, nextToken: page.nextToken };
  }

  deregister(req: DeregisterTaskDefinitionRequest): DeregisterTaskDefinitionResponse {
    const td = this.requireRevision(req.taskDefinition);
    if (td.status === 'ACTIVE') {
      td.status = 'INACTIVE';
      td.deregisteredAt = this.deps.clock.now();
      this.deps.store.taskDefinitions.update(td);
    }
    return { taskDefinition: td };
  }

  delete(req: DeleteTaskDefinitionsRequest): DeleteTaskDefinitionsResponse {
    const refs = req.taskDefinitions ?? [];
    if (refs.length < 1 || refs.length > 10) {
      throw ecsError('InvalidParameterException', 'taskDefinitions must name from 1 to 10 task definition revisions.');
    }
    const deleted: TaskDefinition[] = [];
    const failures: Failure[] = [];
    const repo = this.deps.store.taskDefinitions;
    repo.transaction(() => {
      for (const ref of refs) {
        const td = this.findRevision(ref);
        if (!td) failures.push({ arn: ref, reason: 'The specified task definition does not exist.' });
        else if (td.status === 'ACTIVE') {
          failures.push({
            arn: td.taskDefinitionArn,
            reason: 'The specified task definition is still in ACTIVE status. Please deregister the target and try again.',
          });
        } else {
          if (td.status === 'INACTIVE') {
            td.status = 'DELETE_IN_PROGRESS';
            td.deleteRequestedAt = this.deps.clock.now();
            repo.update(td);
          }
          deleted.push(td);
        }
      }
    });
    return { taskDefinitions: deleted, failures };
  }

  private findRevision(ref: string): StoredTaskDefinition | undefined {
    const { family, revision } = this.parseRef(ref);
    if (revision === undefined) {
      throw ecsError('ClientException', `The task definition '${ref}' must name a revision: use family:revision or the full ARN.`);
    }
    return this.deps.store.taskDefinitions.get(family, revision);
  }

  private requireRevision(ref: string | undefined): StoredTaskDefinition {
    if (!ref) throw ecsError('ClientException', 'taskDefinition is required.');
    const td = this.findRevision(ref);
    if (!td) throw ecsError('ClientException', 'The specified task definition does not exist.');
    return td;
  }
}
