import type {
  CreateStateMachineInput, CreateStateMachineOutput, DeleteStateMachineInput, DeleteStateMachineVersionInput, DescribeStateMachineInput,
  DescribeStateMachineOutput, ListStateMachinesInput, ListStateMachinesOutput, ListStateMachineVersionsInput, ListStateMachineVersionsOutput,
  PublishStateMachineVersionInput, PublishStateMachineVersionOutput, UpdateStateMachineInput, UpdateStateMachineOutput,
} from '@aws-sdk/client-sfn';
import { decodeToken, encodeToken } from '../../core/index.js';
import { invalidDefinitionMessage } from '../asl/diagnostics.js';
import { parseDefinition } from '../asl/parse.js';
import type { Machine } from '../asl/types.js';
import { resourceKind } from '../engine/index.js';
import { StatesApiErrors, statesError } from '../errors.js';
import { checkName, machineArn, parseMachineArn } from '../names.js';
import type { MachineDoc, VersionDoc } from '../store.js';
import { pageSize, type Empty, type StatesContext } from './context.js';
import { checkTags } from './tags.js';

type MachineType = 'STANDARD' | 'EXPRESS';

/** Parses a definition for Create/Update: any error is InvalidDefinition with AWS's wording. */
export function compileForApi(definition: string | undefined, type: MachineType): Machine {
  const parsed = parseDefinition(definition);
  const errors = parsed.diagnostics.filter((d) => d.severity === 'ERROR');
  if (!parsed.machine || errors.length > 0) throw statesError('InvalidDefinition', invalidDefinitionMessage(errors));
  if (type === 'EXPRESS') checkExpress(parsed.machine);
  return parsed.machine;
}

/** EXPRESS state machines run no activities and wait on no integration (.sync, .waitForTaskToken). */
function checkExpress(m: Machine): void {
  for (const { resource, location } of m.resources) {
    const k = resourceKind(resource);
    const what = k.activity ? 'activities' : k.pattern === 'request' ? undefined : `'${k.pattern === 'callback' ? '.waitForTaskToken' : '.sync'}' service integration`;
    if (what) {
      throw statesError('InvalidDefinition', `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support ${what} at ${location}/Resource'`);
    }
  }
}

function checkType(type: string | undefined): MachineType {
  const t = type ?? 'STANDARD';
  if (t !== 'STANDARD' && t !== 'EXPRESS') {
    throw statesError('ValidationException', `1 validation error detected: Value '${t}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`);
  }
  return t;
}

function checkRole(roleArn: string | undefined): string {
  if (!roleArn || !/^arn:[^:]+:iam::\d{12}:role\/.+/.test(roleArn)) throw statesError('InvalidArn', `Invalid Arn: 'Invalid role ARN: ${roleArn ?? ''}'`);
  return roleArn;
}

/** State machines, their published versions, and their descriptions. */
export class StateMachines {
  constructor(private readonly ctx: StatesContext) {}

  /** The machine (or the version an ARN names), else StateMachineDoesNotExist. */
  resolve(arn: string | undefined): { machine: MachineDoc; version?: VersionDoc | undefined; versionArn?: string | undefined } {
    const { base, version } = parseMachineArn(arn);
    const machine = this.ctx.store.getMachine(base);
    if (!machine) throw statesError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn ?? ''}'`);
    if (version === undefined) return { machine };
    const v = this.ctx.store.getVersion(base, version);
    if (!v) throw statesError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn ?? ''}'`);
    return { machine, version: v, versionArn: `${base}:${version}` };
  }

  create(req: CreateStateMachineInput): CreateStateMachineOutput {
    const name = checkName(req.name);
    const type = checkType(req.type);
    compileForApi(req.definition, type);
    const roleArn = checkRole(req.roleArn);
    const tags = checkTags(req.tags);
    const arn = machineArn(this.ctx.scope, name);
    const now = this.ctx.clock.now().getTime();
    const doc: MachineDoc = {
      name, arn, type, definition: req.definition ?? '', roleArn, loggingConfiguration: req.loggingConfiguration, tracingConfiguration: req.tracingConfiguration,
      revisionId: this.ctx.ids.uuid(), createdAt: now, updatedAt: now, lastVersion: 0,
    };
    const existing = this.ctx.store.getMachine(arn);
    if (existing) return this.alreadyExists(existing, doc);
    let versionArn: string | undefined;
    this.ctx.store.transaction(() => {
      if (!this.ctx.store.insertMachine(doc)) throw statesError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
      this.ctx.tags.removeAll(arn);
      this.ctx.tags.put(arn, tags);
      if (req.publish) versionArn = this.publishIn(doc, req.versionDescription);
    });
    return { stateMachineArn: arn, creationDate: new Date(now), stateMachineVersionArn: versionArn };
  }

  /** CreateStateMachine is idempotent: the same name, definition, role and type answer the existing machine. */
  private alreadyExists(existing: MachineDoc, wanted: MachineDoc): CreateStateMachineOutput {
    if (existing.definition !== wanted.definition || existing.roleArn !== wanted.roleArn || existing.type !== wanted.type) {
      throw statesError('StateMachineAlreadyExists', `State Machine Already Exists: '${existing.arn}'`);
    }
    return { stateMachineArn: existing.arn, creationDate: new Date(existing.createdAt) };
  }

  private publishIn(doc: MachineDoc, description: string | undefined): string {
    const version = doc.lastVersion + 1;
    const v: VersionDoc = {
      version, definition: doc.definition, roleArn: doc.roleArn, description, revisionId: doc.revisionId, createdAt: this.ctx.clock.now().getTime(), type: doc.type,
      loggingConfiguration: doc.loggingConfiguration, tracingConfiguration: doc.tracingConfiguration,
    };
    this.ctx.store.putVersion(doc.arn, v);
    doc.lastVersion = version;
    this.ctx.store.updateMachine(doc);
    return `${doc.arn}:${version}`;
  }

  describe(req: DescribeStateMachineInput): DescribeStateMachineOutput {
    const { machine: m, version: v, versionArn } = this.resolve(req.stateMachineArn);
    return {
      stateMachineArn: versionArn ?? m.arn, name: m.name, status: 'ACTIVE', definition: v?.definition ?? m.definition, roleArn: v?.roleArn ?? m.roleArn,
      type: m.type, creationDate: new Date(v?.createdAt ?? m.createdAt), description: v?.description,
      loggingConfiguration: (v?.loggingConfiguration ?? m.loggingConfiguration ?? { level: 'OFF', includeExecutionData: false }) as never,
      tracingConfiguration: (v?.tracingConfiguration ?? m.tracingConfiguration ?? { enabled: false }) as never,
      revisionId: v?.revisionId ?? m.revisionId,
    };
  }

  update(req: UpdateStateMachineInput): UpdateStateMachineOutput {
    const { machine: m, version } = this.resolve(req.stateMachineArn);
    if (version) throw statesError('ValidationException', 'Update a state machine by its ARN, not a version ARN.');
    if (req.definition === undefined && req.roleArn === undefined && req.loggingConfiguration === undefined && req.tracingConfiguration === undefined) {
      throw statesError('MissingRequiredParameter', 'Either the definition, the roleArn, the loggingConfiguration or the tracingConfiguration must be specified');
    }
    if (req.definition !== undefined) compileForApi(req.definition, m.type);
    const now = this.ctx.clock.now().getTime();
    const changed = (req.definition !== undefined && req.definition !== m.definition) || (req.roleArn !== undefined && req.roleArn !== m.roleArn);
    const doc: MachineDoc = {
      ...m,
      definition: req.definition ?? m.definition,
      roleArn: req.roleArn === undefined ? m.roleArn : checkRole(req.roleArn),
      loggingConfiguration: req.loggingConfiguration ?? m.loggingConfiguration,
      tracingConfiguration: req.tracingConfiguration ?? m.tracingConfiguration,
      revisionId: changed ? this.ctx.ids.uuid() : m.revisionId,
      updatedAt: now,
    };
    let versionArn: string | undefined;
    this.ctx.store.transaction(() => {
      this.ctx.store.updateMachine(doc);
      if (req.publish) versionArn = this.publishIn(doc, req.versionDescription);
    });
    return { updateDate: new Date(now), revisionId: doc.revisionId, stateMachineVersionArn: versionArn };
  }

  /** Deletes the machine (its versions and tags); its running executions are stopped. */
  async delete(req: DeleteStateMachineInput): Promise<Empty> {
    const { base } = parseMachineArn(req.stateMachineArn);
    const m = this.ctx.store.getMachine(base);
    if (!m) return {};
    this.ctx.store.transaction(() => {
      this.ctx.store.deleteMachine(m.arn);
      this.ctx.tags.removeAll(m.arn);
    });
    for (const e of this.ctx.store.listExecutions(m.arn, 'RUNNING', undefined, 10_000)) {
      await this.ctx.runtime.deliver(e.arn, { type: 'stop', error: 'States.Aborted', cause: 'The state machine was deleted.' });
    }
    return {};
  }

  list(req: ListStateMachinesInput): ListStateMachinesOutput {
    const limit = pageSize(req.maxResults);
    const after = req.nextToken ? decodeToken(req.nextToken, StatesApiErrors.InvalidToken) : undefined;
    const rows = this.ctx.store.listMachines(after, limit + 1);
    const page = rows.slice(0, limit);
    return {
      stateMachines: page.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: new Date(m.createdAt) })),
      nextToken: rows.length > limit ? encodeToken(page[page.length - 1]?.name ?? '') : undefined,
    };
  }

  publish(req: PublishStateMachineVersionInput): PublishStateMachineVersionOutput {
    const { machine: m, version } = this.resolve(req.stateMachineArn);
    if (version) throw statesError('ValidationException', 'Publish a version of a state machine by its ARN, not a version ARN.');
    if (req.revisionId !== undefined && req.revisionId !== m.revisionId) {
      throw statesError('ConflictException', `The revisionId ${req.revisionId} is not the state machine's current revision ${m.revisionId}.`);
    }
    const latest = this.ctx.store.getVersion(m.arn, m.lastVersion);
    if (latest && latest.revisionId === m.revisionId) return { stateMachineVersionArn: `${m.arn}:${latest.version}`, creationDate: new Date(latest.createdAt) };
    const arn = this.ctx.store.transaction(() => this.publishIn(m, req.description));
    return { stateMachineVersionArn: arn, creationDate: this.ctx.clock.now() };
  }

  listVersions(req: ListStateMachineVersionsInput): ListStateMachineVersionsOutput {
    const { machine: m } = this.resolve(req.stateMachineArn);
    const limit = pageSize(req.maxResults);
    const after = req.nextToken ? Number(decodeToken(req.nextToken, StatesApiErrors.InvalidToken)) : Number.MAX_SAFE_INTEGER;
    const all = this.ctx.store.listVersions(m.arn).filter((v) => v.version < after);
    const page = all.slice(0, limit);
    return {
      stateMachineVersions: page.map((v) => ({ stateMachineVersionArn: `${m.arn}:${v.version}`, creationDate: new Date(v.createdAt) })),
      nextToken: all.length > limit ? encodeToken(String(page[page.length - 1]?.version ?? 0)) : undefined,
    };
  }

  deleteVersion(req: DeleteStateMachineVersionInput): Empty {
    const { base, version } = parseMachineArn(req.stateMachineVersionArn);
    if (version === undefined) throw statesError('InvalidArn', `Invalid Arn: 'Not a version ARN: ${req.stateMachineVersionArn ?? ''}'`);
    this.ctx.store.deleteVersion(base, version);
    return {};
  }
}
