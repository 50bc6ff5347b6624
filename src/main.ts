import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { metricsSource, scalableServices } from './adapters/scaling.js';
import { ecsIntegration } from './adapters/states.js';
import { AgentServer, loadAgentSecret, type AgentAddress } from './agent/index.js';
import { createAutoscaling } from './autoscaling/index.js';
import { Edge } from './api/index.js';
import { TaskCredentials } from './iam/index.js';
import { consoleLogger, randomIds, systemClock, type Clock, type IdGenerator, type Logger, type SkiffConfig } from './core/index.js';
import { createEcsProvider } from './ecs/index.js';
import { createElbv2 } from './elbv2/index.js';
import { createEvents, eventsOptionsFrom } from './events/index.js';
import { createLogsProvider } from './logs/index.js';
import { createS3, virtualHostDomains } from './s3/index.js';
import { createStates } from './states/index.js';
import type { ContainerDriver } from './runtime/index.js';
import { DockerDriver } from './runtime/docker/index.js';
import { FakeDriver } from './runtime/fake/index.js';
import { ServiceScheduler, TaskRunner } from './scheduler/index.js';
import { createStore, openDatabase, type Store } from './store/index.js';

export interface SkiffOverrides {
  clock?: Clock;
  ids?: IdGenerator;
  logger?: Logger;
  driver?: ContainerDriver;
}

export interface Skiff {
  readonly config: SkiffConfig;
  readonly store: Store;
  readonly edge: Edge;
  readonly driver: ContainerDriver;
  readonly tasks: TaskRunner;
  /** Checks the runtime, picks up unfinished tasks, starts listening; resolves with the bound address. */
  start(): Promise<AddressInfo>;
  /** Stops accepting requests and reconciling (containers keep running), closes the database. */
  stop(): Promise<void>;
}

function createDriver(config: SkiffConfig, clock: Clock, logger: Logger): ContainerDriver {
  return config.driver === 'fake' ? new FakeDriver({ clock }) : new DockerDriver({ logger });
}

/** The composition root: the one place real adapters are built and wired. */
export function createSkiff(config: SkiffConfig, overrides: SkiffOverrides = {}): Skiff {
  const clock = overrides.clock ?? systemClock;
  const ids = overrides.ids ?? randomIds;
  const logger = overrides.logger ?? consoleLogger(config.logLevel);
  const scope = { region: config.region, account: config.account };
  const store = createStore(openDatabase(config.dataDir));
  const agentSecret = loadAgentSecret(config.dataDir);
  const credentials = new TaskCredentials(agentSecret);
  const edge = new Edge({ scope, ids, logger, clock, maxBodyBytes: config.maxBodyBytes, credentials });
  const driver = overrides.driver ?? createDriver(config, clock, logger);
  const logs = createLogsProvider({ store, clock, scope });
  const agent = new AgentServer({
    store,
    driver,
    clock,
    logger,
    secret: agentSecret,
    issueCredentials: (taskArn, roleArn, now) => credentials.issue(taskArn, roleArn, now),
    api: edge.dispatch,
    protection: (task, change) =>
      change
        ? ecs.protection.update({ cluster: task.clusterArn, tasks: [task.taskArn], protectionEnabled: change.enabled, expiresInMinutes: change.minutes })
        : ecs.protection.get({ cluster: task.clusterArn, tasks: [task.taskArn] }),
  });
  let agentUrl = '';
  let agentAddress: { host: string; port: number } | undefined;
  const tasks = new TaskRunner({
    instanceId: instanceIdOf(config.dataDir),
    store,
    driver,
    clock,
    logger,
    logs: logs.sink,
    containerEnv: (task, taskId, name) => agent.containerEnv(task, taskId, name, agentUrl),
    endpointForward: () => agentAddress,
    sandboxPool: config.sandboxPool,
  });

  // the service scheduler drives tasks through the ECS task API (bound once ecs exists)
  const services = new ServiceScheduler({
    store,
    clock,
    logger,
    tasks: {
      launch: (service, deploymentId, td, count) => ecs.tasks.launchForService(service, deploymentId, td, count),
      stop: (taskArn, reason) => ecs.tasks.stopForService(taskArn, reason),
    },
    lb: {
      register: (tg, targets) => elbv2.targets.register(tg, targets),
      deregister: (tg, targets) => elbv2.targets.deregister(tg, targets),
      health: (tg) => elbv2.targets.health(tg),
    },
  });
  const ecs = createEcsProvider({
    store,
    clock,
    ids,
    scope,
    onTaskChanged: (id) => tasks.wake(id),
    onServiceChanged: () => services.wake(),
  });
  ecs.clusters.ensureDefault();
  edge.addJsonService(ecs.service);
  edge.addJsonService(logs.service);
  const elbv2 = createElbv2({ store, clock, ids, scope, logger, maxBodyBytes: config.maxBodyBytes });
  edge.addRawService(elbv2.signingName, elbv2.handler, 'query');
  const s3 = createS3({ db: store.db, clock, ids, scope, logger, dataDir: config.dataDir, virtualHostDomains: virtualHostDomains(config.s3Domains) });
  edge.addRawService(s3.signingName, s3.handler, 'restXml');
  const autoscaling = createAutoscaling({
    store,
    clock,
    ids,
    scope,
    logger,
    services: scalableServices(store, ecs, scope),
    metrics: metricsSource(store, driver, scope, {
      requestCount: (tg) => elbv2.metrics.requestCount(tg),
      healthyTargets: (tg) => elbv2.targets.health(tg).filter((t) => t.state === 'healthy').length,
      targetGroupArnOf: (label) => elbv2.metrics.targetGroupOfResourceLabel(label),
    }),
    periodMs: config.metricsPeriodMs,
  });
  edge.addJsonService(autoscaling.service);
  const events = createEvents({ store, clock, ids, scope, logger, maxBodyBytes: config.maxBodyBytes, options: eventsOptionsFrom({ minScheduleRate: config.minScheduleRate }) });
  events.connect({
    ecs: {
      runTask: async (req) => {
        const out = ecs.tasks.run(req);
        return { taskArns: (out.tasks ?? []).map((t) => t.taskArn ?? ''), failures: out.failures ?? [] };
      },
    },
    s3,
  });
  edge.addJsonService(events.service);
  edge.addJsonService(events.deadLetters);
  edge.addRawService(events.scheduler.signingName, events.scheduler.handler, 'restJson');
  const states = createStates({
    store,
    clock,
    ids,
    scope,
    logger,
    ecs: ecsIntegration(store, ecs),
    events: { putEvents: (entries) => events.putEvents(entries) },
  });
  events.connect({ stepFunctions: states });
  edge.addJsonService(states.service);
  let sweeper: NodeJS.Timeout | undefined;

  let stopped: Promise<void> | undefined;
  return {
    config,
    store,
    edge,
    driver,
    tasks,
    start: async () => {
      await driver.ping();
      const address = await listenAgent(agent, await driver.hostAddress(), config.dataDir);
      agentUrl = address.url;
      agentAddress = { host: address.host, port: address.port };
      await tasks.start();
      services.start();
      autoscaling.start();
      sweeper = setInterval(() => logs.sweep(clock.now()), 60_000).unref();
      await elbv2.start();
      s3.start();
      events.start();
      await states.start();
      return edge.listen(config.host, config.port);
    },
    stop: () => {
      stopped ??= (async () => {
        if (sweeper) clearInterval(sweeper);
        const phase = (name: string): void => logger.info(`stopping: ${name}`);
        phase('step functions'); // first: releases GetActivityTask long polls the edge would wait for
        await states.stop();
        phase('api');
        await edge.close();
        phase('load balancers');
        await elbv2.stop();
        phase('events');
        await events.stop();
        phase('auto scaling');
        await autoscaling.stop();
        phase('service scheduler');
        await services.stop();
        phase('task runner');
        await tasks.stop();
        phase('metadata agent');
        await agent.close();
        phase('container driver');
        await driver.close();
        store.db.close();
      })();
      return stopped;
    },
  };
}

/**
 * Containers keep the metadata URL they started with, so the agent listens on the same
 * port after a restart: the first start picks a free one and records it in the data dir.
 */
async function listenAgent(agent: AgentServer, host: string, dataDir: string): Promise<AgentAddress> {
  const file = path.join(dataDir, 'agent-port');
  let port = 0;
  try {
    port = Number(readFileSync(file, 'utf8').trim()) || 0;
  } catch {
    // first start: any free port
  }
  const address = await agent.listen(host, port).catch(() => agent.listen(host, 0));
  if (address.port !== port) writeFileSync(file, `${address.port}\n`);
  return address;
}

/** The id of the skiff instance that owns this data directory, made on first start. */
function instanceIdOf(dataDir: string): string {
  const file = path.join(dataDir, 'instance-id');
  try {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{16}$/.test(id)) return id;
  } catch {
    // first start
  }
  const id = randomBytes(8).toString('hex');
  writeFileSync(file, `${id}\n`, { flag: 'w' });
  return id;
}
