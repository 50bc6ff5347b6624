import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { checkEnum, clientFail } from './fail.js';

export const CONTAINER_CONDITIONS = ['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'] as const;

/**
 * dependsOn: each entry names another container of the task with a known
 * condition; COMPLETE/SUCCESS only on non-essential containers (an essential
 * container exiting stops the task); HEALTHY only on a container with a health
 * check; and no cycles.
 */
export function checkDependencies(defs: readonly ContainerDefinition[]): void {
  const byName = new Map(defs.map((cd) => [cd.name ?? '', cd] as const));
  for (const cd of defs) {
    const name = cd.name ?? '';
    for (const dep of cd.dependsOn ?? []) {
      checkEnum(dep.condition, CONTAINER_CONDITIONS, `dependsOn condition of container '${name}'`);
      const target = dep.containerName ?? '';
      if (target === name) clientFail(`Container '${name}' cannot depend on itself: remove it from its own dependsOn.`);
      const other = byName.get(target);
      if (!other) clientFail(`Cannot depend on container + '${target}' because it does not exist`);
      if ((dep.condition === 'COMPLETE' || dep.condition === 'SUCCESS') && other.essential !== false) {
        clientFail('A dependency container with SUCCESS or COMPLETE condition cannot be an essential container');
      }
      if (dep.condition === 'HEALTHY' && !other.healthCheck) {
        clientFail(
          `Container '${name}' depends on '${target}' with condition HEALTHY, but '${target}' has no healthCheck. ` +
            `Add a healthCheck to '${target}' or use condition START.`,
        );
      }
    }
  }
  const cycle = findCycle(defs);
  if (cycle) {
    clientFail(
      `Container dependencies form a cycle: ${cycle.map((n) => `'${n}'`).join(' -> ')}. ` +
        'Remove one of these dependsOn entries so the containers can start in order.',
    );
  }
}

/** A dependency cycle as a path that starts and ends at the same container, or undefined. */
export function findCycle(defs: readonly ContainerDefinition[]): string[] | undefined {
  const edges = new Map<string, string[]>();
  for (const cd of defs) edges.set(cd.name ?? '', (cd.dependsOn ?? []).map((d) => d.containerName ?? ''));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'visiting') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of edges.keys()) {
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}

/** Container names in an order that starts every container after the ones it depends on (call after checkDependencies). */
export function startOrder(defs: readonly ContainerDefinition[]): string[] {
  const done = new Set<string>();
  const order: string[] = [];
  const byName = new Map(defs.map((cd) => [cd.name ?? '', cd] as const));
  const place = (name: string): void => {
    if (done.has(name) || !byName.has(name)) return;
    done.add(name);
    for (const d of byName.get(name)?.dependsOn ?? []) place(d.containerName ?? '');
    order.push(name);
  };
  for (const cd of defs) place(cd.name ?? '');
  return order;
}
