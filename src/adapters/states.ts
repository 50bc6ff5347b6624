import type { Task } from '@aws-sdk/client-ecs';
import type { EcsProvider } from '../ecs/index.js';
import type { EcsIntegration } from '../states/index.js';
import { taskIdOf, type Store } from '../store/index.js';

/**
 * Step Functions' ECS integration over the in-process ECS API. RunTask's clientToken
 * carries the state's idempotency key, so a state replayed after a restart finds its task
 * instead of starting another.
 */
export function ecsIntegration(store: Store, ecs: EcsProvider): EcsIntegration {
  return {
    runTask: async (input, idempotencyKey) => {
      const out = ecs.tasks.run({ ...input, clientToken: idempotencyKey });
      const task = out.tasks?.[0];
      if (!task?.taskArn) {
        throw Object.assign(new Error(`RunTask started no task: ${JSON.stringify(out.failures ?? [])}`), { code: 'ClientException' });
      }
      return { taskArn: task.taskArn, task };
    },
    describeTask: async (taskArn) => {
      const stored = store.tasks.get(taskIdOf(taskArn));
      const task = ecs.tasks.view(stored, true);
      if (!stored || !task) return undefined;
      const ref = stored.taskDefinitionArn.slice(stored.taskDefinitionArn.lastIndexOf('/') + 1);
      const [family, revision] = ref.split(':');
      const td = family && revision ? store.taskDefinitions.get(family, Number(revision)) : undefined;
      const essentialContainers = td?.containerDefinitions?.filter((c) => c.essential !== false).map((c) => c.name ?? '');
      return { task: task as Task, essentialContainers };
    },
    stopTask: async (taskArn, reason) => {
      const stored = store.tasks.get(taskIdOf(taskArn));
      if (stored) ecs.tasks.stop({ cluster: stored.clusterArn, task: taskArn, reason: reason.slice(0, 255) });
    },
  };
}
