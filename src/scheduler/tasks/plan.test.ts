import type { Container, ContainerDefinition } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import type { StoredTask, StoredTaskDefinition } from '../../store/index.js';
import { dependencyVerdict, planTask } from './plan.js';

const NOW = new Date('2026-01-01T00:10:00Z');

function td(defs: ContainerDefinition[]): StoredTaskDefinition {
  return {
    family: 'f', revision: 1, status: 'ACTIVE', registeredAt: NOW,
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/f:1',
    containerDefinitions: defs.map((d) => ({ essential: true, ...d })),
  };
}

function task(patch: Partial<StoredTask>, containers: Container[]): StoredTask {
  return {
    taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/default/' + 'a'.repeat(32),
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/f:1',
    lastStatus: 'PENDING', desiredStatus: 'RUNNING', createdAt: NOW, version: 1,
    pullStartedAt: NOW, pullStoppedAt: NOW,
    runtime: { sandboxId: 'sb' },
    containers,
    ...patch,
  };
}

const pending = (name: string): Container => ({ name, lastStatus: 'PENDING' });
const running = (name: string, extra: Partial<Container> = {}): Container => ({ name, lastStatus: 'RUNNING', runtimeId: `id-${name}`, ...extra });
const exited = (name: string, exitCode: number): Container => ({ name, lastStatus: 'STOPPED', runtimeId: `id-${name}`, exitCode });

describe('planTask', () => {
  it('walks a new task through provision and pull', () => {
    expect(planTask(task({ lastStatus: 'PROVISIONING', pullStoppedAt: undefined }, [pending('a')]), td([{ name: 'a' }]), NOW)).toEqual({ kind: 'provision' });
    expect(planTask(task({ pullStoppedAt: undefined }, [pending('a')]), td([{ name: 'a' }]), NOW)).toEqual({ kind: 'pull' });
  });

  it('starts containers without dependencies together, then activates and runs', () => {
    const def = td([{ name: 'a' }, { name: 'b' }]);
    expect(planTask(task({}, [pending('a'), pending('b')]), def, NOW)).toEqual({ kind: 'start', containers: ['a', 'b'] });
    expect(planTask(task({}, [running('a'), running('b')]), def, NOW)).toEqual({ kind: 'status', lastStatus: 'ACTIVATING' });
    expect(planTask(task({ lastStatus: 'ACTIVATING' }, [running('a'), running('b')]), def, NOW)).toEqual({ kind: 'status', lastStatus: 'RUNNING' });
    expect(planTask(task({ lastStatus: 'RUNNING' }, [running('a'), running('b')]), def, NOW)).toEqual({ kind: 'wait' });
  });

  it('stops the task when an essential container exits, not when a non-essential one does', () => {
    const def = td([{ name: 'app' }, { name: 'side', essential: false }]);
    expect(planTask(task({ lastStatus: 'RUNNING' }, [running('app'), exited('side', 1)]), def, NOW)).toEqual({ kind: 'wait' });
    expect(planTask(task({ lastStatus: 'PENDING' }, [exited('app', 0), running('side')]), def, NOW)).toEqual({ kind: 'status', lastStatus: 'ACTIVATING' });
    expect(planTask(task({ lastStatus: 'RUNNING' }, [exited('app', 0), running('side')]), def, NOW)).toMatchObject({
      kind: 'stopTask', stopCode: 'EssentialContainerExited', reason: 'Essential container in task exited',
    });
  });

  it('orders starts by dependsOn: HEALTHY waits for health, SUCCESS for a zero exit', () => {
    const def = td([
      { name: 'db', healthCheck: { command: ['CMD', 'true'] } },
      { name: 'init', essential: false },
      { name: 'app', dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }, { containerName: 'init', condition: 'SUCCESS' }] },
    ]);
    expect(planTask(task({}, [pending('db'), pending('init'), pending('app')]), def, NOW)).toEqual({ kind: 'start', containers: ['db', 'init'] });
    expect(planTask(task({}, [running('db', { healthStatus: 'UNKNOWN' }), exited('init', 0), pending('app')]), def, NOW)).toEqual({ kind: 'wait' });
    expect(planTask(task({}, [running('db', { healthStatus: 'HEALTHY' }), exited('init', 0), pending('app')]), def, NOW)).toEqual({ kind: 'start', containers: ['app'] });
    expect(planTask(task({}, [running('db', { healthStatus: 'HEALTHY' }), exited('init', 2), pending('app')]), def, NOW)).toMatchObject({
      kind: 'stopTask', stopCode: 'TaskFailedToStart', reason: expect.stringMatching(/'init' exited with code 2/),
    });
  });

  it('gives up on a dependency after startTimeout', () => {
    const def = td([{ name: 'db', healthCheck: { command: ['CMD', 'true'] } }, { name: 'app', startTimeout: 60, dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] }]);
    const t = task({ runtime: { sandboxId: 'sb', waitingSince: { app: '2026-01-01T00:08:59Z' } } }, [running('db'), pending('app')]);
    expect(planTask(t, def, NOW)).toMatchObject({ kind: 'stopTask', reason: expect.stringMatching(/timed out waiting for 'db' to become healthy/) });
    t.runtime.waitingSince = { app: '2026-01-01T00:09:30Z' };
    expect(planTask(t, def, NOW)).toEqual({ kind: 'wait' });
  });

  it('stops in phases, containers in reverse start order, then deprovisions', () => {
    const def = td([{ name: 'a' }, { name: 'b' }]);
    const base = { desiredStatus: 'STOPPED', runtime: { sandboxId: 'sb', startOrder: ['a', 'b'] } };
    expect(planTask(task({ ...base, lastStatus: 'RUNNING' }, [running('a'), running('b')]), def, NOW)).toEqual({ kind: 'status', lastStatus: 'DEACTIVATING' });
    expect(planTask(task({ ...base, lastStatus: 'DEACTIVATING' }, [running('a'), running('b')]), def, NOW)).toEqual({ kind: 'status', lastStatus: 'STOPPING' });
    expect(planTask(task({ ...base, lastStatus: 'STOPPING' }, [running('a'), running('b')]), def, NOW)).toEqual({ kind: 'stopContainers', containers: ['b', 'a'] });
    expect(planTask(task({ ...base, lastStatus: 'STOPPING' }, [exited('a', 143), exited('b', 143)]), def, NOW)).toEqual({ kind: 'status', lastStatus: 'DEPROVISIONING' });
    expect(planTask(task({ ...base, lastStatus: 'DEPROVISIONING' }, [exited('a', 143), exited('b', 143)]), def, NOW)).toEqual({ kind: 'deprovision' });
    expect(planTask(task({ ...base, lastStatus: 'STOPPED' }, [exited('a', 143)]), def, NOW)).toEqual({ kind: 'wait' });
  });

  it('judges each dependency condition', () => {
    expect(dependencyVerdict([{ containerName: 'x', condition: 'START' }], [pending('x')])).toMatchObject({ kind: 'waiting' });
    expect(dependencyVerdict([{ containerName: 'x', condition: 'START' }], [running('x')])).toEqual({ kind: 'ready' });
    expect(dependencyVerdict([{ containerName: 'x', condition: 'COMPLETE' }], [exited('x', 9)])).toEqual({ kind: 'ready' });
    expect(dependencyVerdict([{ containerName: 'x', condition: 'HEALTHY' }], [running('x', { healthStatus: 'UNHEALTHY' })])).toMatchObject({ kind: 'failed' });
    expect(dependencyVerdict([{ containerName: 'y', condition: 'START' }], [running('x')])).toMatchObject({ kind: 'failed' });
  });
});
