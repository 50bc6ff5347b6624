import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, silentLogger } from '../../core/index.js';
import { newDeployment } from '../../ecs/index.js';
import { createStore, openDatabase, type Store, type StoredService, type StoredTask } from '../../store/index.js';
import { ServiceScheduler, type TargetRef } from './scheduler.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const CLUSTER = 'arn:aws:ecs:us-east-1:000000000000:cluster/default';
const TD = 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:1';

let dir = '';
let store: Store;
afterEach(() => {
  store.db.close();
  rmSync(dir, { recursive: true, force: true });
});

function task(n: number, lastStatus: string, ip: string): StoredTask {
  return {
    taskArn: `arn:aws:ecs:us-east-1:000000000000:task/default/${String(n).padStart(32, '0')}`,
    clusterArn: CLUSTER, taskDefinitionArn: TD, startedBy: 'ecs-svc/1', group: 'service:web', lastStatus,
    desiredStatus: lastStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING', createdAt: NOW, startedAt: NOW,
    stoppedAt: lastStatus === 'STOPPED' ? NOW : undefined, stopCode: lastStatus === 'STOPPED' ? 'EssentialContainerExited' : undefined,
    version: 1, runtime: { ipAddress: ip }, containers: [{ name: 'web' }],
  };
}

describe('ServiceScheduler and the load balancer', () => {
  it('does not deregister a stopped task’s address that a live task of the service now holds', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-services-'));
    store = createStore(openDatabase(dir));
    const service: StoredService = {
      serviceArn: 'arn:aws:ecs:us-east-1:000000000000:service/default/web', serviceName: 'web', clusterArn: CLUSTER, status: 'ACTIVE',
      desiredCount: 1, taskDefinition: TD, createdAt: NOW, loadBalancers: [{ targetGroupArn: 'tg', containerName: 'web', containerPort: 8080 }],
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100 },
      runtime: { failureStreak: 0, draining: {}, registered: [], counted: [], steady: false },
    };
    service.deployments = [{ ...newDeployment(service, TD, NOW, 1, 'ecs-svc/1'), rolloutState: 'COMPLETED' }];
    // the dead task's address went to its replacement before the scheduler saw it stop
    const dead = task(1, 'STOPPED', '172.17.0.5');
    const replacement = task(2, 'RUNNING', '172.17.0.5');
    service.runtime.registered = [dead.taskArn];
    store.services.put(service);
    store.tasks.put(dead);
    store.tasks.put(replacement);
    const calls: Array<[string, TargetRef[]]> = [];
    const scheduler = new ServiceScheduler({
      store, clock: new ManualClock(NOW.getTime()), logger: silentLogger,
      tasks: { launch: () => [], stop: () => undefined },
      lb: {
        register: (_tg, targets) => calls.push(['register', targets]),
        deregister: (_tg, targets) => calls.push(['deregister', targets]),
        health: () => [{ id: '172.17.0.5', port: 8080, state: 'healthy' }],
      },
      resyncMs: 60_000,
    });
    scheduler.start();
    await scheduler.stop();
    expect(calls).toEqual([['register', [{ id: '172.17.0.5', port: 8080 }]]]);
    expect(store.services.live()[0]?.runtime.registered).toEqual([replacement.taskArn]);
  });
});
