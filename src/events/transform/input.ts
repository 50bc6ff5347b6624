import { evaluatePath, JsonPathError, parsePath } from './json-path.js';

/** What a rule target passes on: the event, a constant, a part of the event, or a template. */
export interface InputSpec {
  readonly Input?: string | undefined;
  readonly InputPath?: string | undefined;
  readonly InputTransformer?: { readonly InputPathsMap?: Readonly<Record<string, string>> | undefined; readonly InputTemplate?: string | undefined } | undefined;
}

/** Facts about the delivery the predefined `<aws.events.*>` variables name. */
export interface RenderContext {
  readonly ruleArn: string;
  readonly ruleName: string;
  readonly ingestionTime: string;
}

export class InputError extends Error {
  override name = 'InputError';
}

const RESERVED_PREFIX = 'aws.';
const VARIABLE = /^[A-Za-z0-9_-]+$/;
const PLACEHOLDER = /^<([A-Za-z0-9_.-]+)>/;

/** Checks a target's input settings as PutTargets does; returns a message, or undefined when valid. */
export function checkInputSpec(spec: InputSpec, targetId: string): string | undefined {
  const given = [spec.Input, spec.InputPath, spec.InputTransformer].filter((x) => x !== undefined).length;
  if (given > 1) return `Only one of Input, InputPath, or InputTransformer can be specified for target ${targetId}.`;
  try {
    if (spec.Input !== undefined) JSON.parse(spec.Input);
  } catch {
    return `Parameter Input is not valid JSON for target ${targetId}.`;
  }
  try {
    if (spec.InputPath !== undefined) parsePath(spec.InputPath);
    if (spec.InputTransformer) checkTransformer(spec.InputTransformer, targetId);
  } catch (err) {
    if (err instanceof JsonPathError || err instanceof InputError) return err.message;
    throw err;
  }
  return undefined;
}

function checkTransformer(t: NonNullable<InputSpec['InputTransformer']>, targetId: string): void {
  const paths = Object.entries(t.InputPathsMap ?? {});
  if (paths.length > 100) throw new InputError(`InputPathsMap of target ${targetId} has more than 100 entries.`);
  for (const [name, path] of paths) {
    if (name.startsWith(RESERVED_PREFIX)) throw new InputError(`InputPathsMap key '${name}' of target ${targetId} uses the reserved prefix aws.`);
    if (!VARIABLE.test(name)) throw new InputError(`InputPathsMap key '${name}' of target ${targetId} must match [A-Za-z0-9_-]+.`);
    parsePath(path);
  }
  const template = t.InputTemplate ?? '';
  if (template.length === 0 || template.length > 8192) {
    throw new InputError(`InputTemplate of target ${targetId} must be 1 to 8192 characters.`);
  }
  // with every variable absent the template must still be JSON (a quoted string, or an object/array)
  const names = new Set([...paths.map(([n]) => n), ...predefinedNames()]);
  const probe = substitute(template, new Map([...names].map((n) => [n, undefined])));
  try {
    JSON.parse(probe);
  } catch {
    throw new InputError(`InputTemplate of target ${targetId} is not valid JSON once its placeholders are filled: strings must be quoted.`);
  }
}

/**
 * The text delivered to a target: the whole event by default, `Input` as given, the
 * value at `InputPath`, or the InputTemplate with its placeholders filled in.
 */
export function renderInput(spec: InputSpec, event: Record<string, unknown>, ctx: RenderContext): string {
  if (spec.Input !== undefined) return spec.Input;
  if (spec.InputPath !== undefined) return JSON.stringify(evaluatePath(parsePath(spec.InputPath), event) ?? null);
  if (!spec.InputTransformer) return JSON.stringify(event);
  const values = new Map<string, unknown>(predefined(event, ctx));
  for (const [name, path] of Object.entries(spec.InputTransformer.InputPathsMap ?? {})) {
    values.set(name, evaluatePath(parsePath(path), event));
  }
  const text = substitute(spec.InputTransformer.InputTemplate ?? '', values);
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    throw new InputError('the InputTemplate did not render to valid JSON');
  }
}

function predefinedNames(): string[] {
  return ['aws.events.rule-arn', 'aws.events.rule-name', 'aws.events.event', 'aws.events.event.ingestion-time', 'aws.events.event.json'];
}

function predefined(event: Record<string, unknown>, ctx: RenderContext): [string, unknown][] {
  return [
    ['aws.events.rule-arn', ctx.ruleArn],
    ['aws.events.rule-name', ctx.ruleName],
    ['aws.events.event', event],
    ['aws.events.event.ingestion-time', ctx.ingestionTime],
    ['aws.events.event.json', JSON.stringify(event)],
  ];
}

/**
 * Fills `<name>` placeholders. Outside a JSON string a value goes in as JSON (a string
 * gains quotes, a missing value is `null`); inside one it goes in as text (a missing
 * value is empty). Unlike AWS, text inside a string is JSON-escaped, so a key holding a
 * quote cannot break the JSON. Placeholders of unknown names are left as written.
 */
export function substitute(template: string, values: ReadonlyMap<string, unknown>): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    if (inString && c === '\\') {
      out += template.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    const m = c === '<' ? PLACEHOLDER.exec(template.slice(i)) : null;
    if (m && values.has(m[1] as string)) {
      const value = values.get(m[1] as string);
      out += inString ? asText(value) : value === undefined ? 'null' : JSON.stringify(value);
      i += m[0].length - 1;
      continue;
    }
    out += c;
  }
  return out;
}

function asText(value: unknown): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text).slice(1, -1);
}
