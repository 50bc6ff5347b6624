import { Diagnostics, type Diagnostic } from './diagnostics.js';
import { isObject, type Json, type JsonObject } from './json.js';
import { compileState } from './parse-state.js';
import type { Graph, Machine, QueryLanguage, StateNode } from './types.js';

export interface ParseResult {
  /** Set when there are no errors. */
  readonly machine?: Machine | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

const TOP_FIELDS = ['Comment', 'StartAt', 'States', 'TimeoutSeconds', 'Version', 'QueryLanguage'];
const GRAPH_FIELDS = ['Comment', 'StartAt', 'States', 'ProcessorConfig', 'QueryLanguage'];

/** Parses and validates a definition (its JSON text) into the typed tree. */
export function parseDefinition(text: string | undefined): ParseResult {
  const diag = new Diagnostics();
  if (text === undefined || text.trim() === '') {
    diag.error('MISSING_DESCRIPTION', 'The definition is empty', '');
    return { diagnostics: diag.list };
  }
  let raw: Json;
  try {
    raw = JSON.parse(text) as Json;
  } catch (err) {
    diag.error('INVALID_JSON_DESCRIPTION', (err as Error).message, '');
    return { diagnostics: diag.list };
  }
  return compileMachine(raw, diag);
}

function queryLanguage(raw: JsonObject, inherited: QueryLanguage, location: string, diag: Diagnostics): QueryLanguage {
  const v = raw['QueryLanguage'];
  if (v === undefined) return inherited;
  if (v !== 'JSONPath' && v !== 'JSONata') {
    diag.schema("The field 'QueryLanguage' must be JSONPath or JSONata", `${location}/QueryLanguage`);
    return inherited;
  }
  if (inherited === 'JSONata' && v === 'JSONPath') {
    diag.schema("A state cannot use QueryLanguage JSONPath when the state machine's QueryLanguage is JSONata", `${location}/QueryLanguage`);
  }
  return v;
}

class Compiler {
  readonly graphs = new Map<string, Graph>();
  readonly names = new Map<string, string>();
  readonly resources: { resource: string; location: string }[] = [];

  constructor(private readonly diag: Diagnostics) {}

  graph(raw: Json, location: string, ql: QueryLanguage, allowed: readonly string[]): Graph | undefined {
    if (!isObject(raw)) {
      this.diag.schema('Expected an object with StartAt and States', location);
      return undefined;
    }
    for (const k of Object.keys(raw)) if (!allowed.includes(k)) this.diag.schema(`The field '${k}' is not supported by Step Functions`, location);
    const startAt = raw['StartAt'];
    const statesRaw = raw['States'];
    if (typeof startAt !== 'string') this.diag.schema('These fields are required: [StartAt]', location);
    if (!isObject(statesRaw) || Object.keys(statesRaw).length === 0) {
      this.diag.schema("The field 'States' must be a non-empty object", `${location}/States`);
      return undefined;
    }
    this.processorConfig(raw['ProcessorConfig'], location);
    const states = new Map<string, StateNode>();
    for (const [name, s] of Object.entries(statesRaw)) {
      const node = this.state(name, s, `${location}/States/${name}`, ql);
      if (node) states.set(name, node);
    }
    const g: Graph = { id: location, startAt: typeof startAt === 'string' ? startAt : '', states };
    if (typeof startAt === 'string' && !(startAt in statesRaw)) {
      this.diag.error('MISSING_TRANSITION_TARGET', `Missing 'Next' target: ${startAt}`, `${location}/StartAt`);
    }
    checkTransitions(g, Object.keys(statesRaw), this.diag);
    this.graphs.set(location, g);
    return g;
  }

  private processorConfig(raw: Json | undefined, location: string): void {
    if (raw === undefined) return;
    const mode = isObject(raw) ? raw['Mode'] : undefined;
    if (mode !== undefined && mode !== 'INLINE' && mode !== 'DISTRIBUTED') {
      this.diag.schema("The field 'Mode' must be INLINE or DISTRIBUTED", `${location}/ProcessorConfig/Mode`);
    }
  }

  private state(name: string, raw: Json, location: string, inherited: QueryLanguage): StateNode | undefined {
    if (name.length > 80) this.diag.error('INVALID_STATE_NAME', `State name '${name}' is longer than 80 characters`, location);
    const seen = this.names.get(name);
    if (seen !== undefined) this.diag.error('DUPLICATE_STATE_NAME', `Duplicate State name: ${name}`, location);
    else this.names.set(name, location);
    if (!isObject(raw)) {
      this.diag.schema('A state must be an object', location);
      return undefined;
    }
    const ql = queryLanguage(raw, inherited, location, this.diag);
    const node = compileState({ raw, location, ql, diag: this.diag }, name, (sub, at, subQl) => this.graph(sub, at, subQl, GRAPH_FIELDS));
    if (node?.type === 'Task' && node.resource !== '') this.resources.push({ resource: node.resource, location });
    return node;
  }
}

function targets(s: StateNode): { target: string; key: string }[] {
  const out: { target: string; key: string }[] = [];
  if (s.next !== undefined) out.push({ target: s.next, key: 'Next' });
  if (s.type === 'Choice') {
    s.choices.forEach((c, i) => out.push({ target: c.next, key: `Choices[${i}]/Next` }));
    if (s.default !== undefined) out.push({ target: s.default, key: 'Default' });
  }
  if (s.type === 'Task' || s.type === 'Parallel' || s.type === 'Map') {
    s.catch.forEach((c, i) => out.push({ target: c.next, key: `Catch[${i}]/Next` }));
  }
  return out;
}

/** Every transition names a state of the same block; every state is reachable; some state ends. */
function checkTransitions(g: Graph, names: readonly string[], diag: Diagnostics): void {
  const declared = new Set(names);
  for (const s of g.states.values()) {
    for (const { target, key } of targets(s)) {
      if (target !== '' && !declared.has(target)) {
        diag.error('MISSING_TRANSITION_TARGET', `Missing 'Next' target: ${target}`, `${s.location}/${key}`);
      }
    }
  }
  const reached = new Set<string>();
  const queue = [g.startAt];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (reached.has(name)) continue;
    reached.add(name);
    const s = g.states.get(name);
    if (s) for (const t of targets(s)) queue.push(t.target);
  }
  for (const s of g.states.values()) {
    if (!reached.has(s.name)) diag.error('MISSING_TRANSITION_TARGET', `State "${s.name}" is not reachable`, s.location);
  }
  const terminal = [...g.states.values()].some((s) => s.end || s.type === 'Succeed' || s.type === 'Fail');
  if (g.states.size > 0 && !terminal) diag.error('MISSING_END_STATE', 'Workflow has no terminal state', g.id === '' ? '/' : g.id);
}

function compileMachine(raw: Json, diag: Diagnostics): ParseResult {
  if (!isObject(raw)) {
    diag.schema('The definition must be a JSON object', '');
    return { diagnostics: diag.list };
  }
  const ql = queryLanguage(raw, 'JSONPath', '', diag);
  const timeout = raw['TimeoutSeconds'];
  if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 0)) {
    diag.schema("The field 'TimeoutSeconds' must be a non-negative integer", '/TimeoutSeconds');
  }
  if (raw['Version'] !== undefined && raw['Version'] !== '1.0') diag.schema("The field 'Version' must be \"1.0\"", '/Version');
  const c = new Compiler(diag);
  const root = c.graph(raw, '', ql, TOP_FIELDS);
  if (diag.errors.length > 0 || !root) return { diagnostics: diag.list };
  const machine: Machine = {
    root,
    graphs: c.graphs,
    timeoutSeconds: typeof timeout === 'number' && timeout > 0 ? timeout : undefined,
    queryLanguage: ql,
    resources: c.resources,
  };
  return { machine, diagnostics: diag.list };
}
