/**
 * The JSON paths EventBridge accepts in InputPath and InputPathsMap: `$`, then `.name`,
 * `['name']` / `["name"]` and `[index]` steps. Names may hold any character but `.`
 * and `[` in the dot form (`$.detail-type` works).
 */
export type PathStep = string | number;

export class JsonPathError extends Error {
  override name = 'JsonPathError';
}

export function parsePath(path: string): PathStep[] {
  if (!path.startsWith('$')) throw new JsonPathError(`a JSON path starts with $, got '${path}'`);
  const steps: PathStep[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      const m = /^[^.[]+/.exec(path.slice(i + 1));
      if (!m) throw new JsonPathError(`empty name at position ${i + 1} of '${path}'`);
      steps.push(m[0]);
      i += 1 + m[0].length;
    } else if (c === '[') {
      const m = /^\[(?:(\d+)|'([^']*)'|"([^"]*)")\]/.exec(path.slice(i));
      if (!m) throw new JsonPathError(`bad [] step at position ${i} of '${path}'`);
      steps.push(m[1] !== undefined ? Number(m[1]) : (m[2] ?? m[3] ?? ''));
      i += m[0].length;
    } else {
      throw new JsonPathError(`unexpected '${c ?? ''}' at position ${i} of '${path}'`);
    }
  }
  return steps;
}

/** The value at the path, or undefined when any step is missing. */
export function evaluatePath(steps: readonly PathStep[], root: unknown): unknown {
  let cur: unknown = root;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(cur) || step >= cur.length) return undefined;
      cur = cur[step];
    } else {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur) || !Object.hasOwn(cur, step)) return undefined;
      cur = (cur as Record<string, unknown>)[step];
    }
  }
  return cur;
}
