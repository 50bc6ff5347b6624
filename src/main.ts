import type { AddressInfo } from 'node:net';
import { Edge } from './api/index.js';
import { consoleLogger, randomIds, systemClock, type Clock, type IdGenerator, type Logger, type SkiffConfig } from './core/index.js';
import { createEcsProvider } from './ecs/index.js';
import { createLogsProvider } from './logs/index.js';
import type { ContainerDriver } from './runtime/contract.js';
import { DockerDriver } from './runtime/docker/index.js';
import { FakeDriver } from './runtime/fake/index.js';
import { TaskRunner } from './scheduler/index.js';
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
  const edge = new Edge({ scope, ids, logger, maxBodyBytes: config.maxBodyBytes });
  const driver = overrides.driver ?? createDriver(config, clock, logger);
  const tasks = new TaskRunner({ store, driver, clock, logger });

  const ecs = createEcsProvider({ store, clock, ids, scope, onTaskChanged: (id) => tasks.wake(id) });
  ecs.clusters.ensureDefault();
  edge.addJsonService(ecs.service);
  const logs = createLogsProvider({ store, clock, scope });
  edge.addJsonService(logs.service);

  let stopped: Promise<void> | undefined;
  return {
    config,
    store,
    edge,
    driver,
    tasks,
    start: async () => {
      await driver.ping();
      await tasks.start();
      return edge.listen(config.host, config.port);
    },
    stop: () => {
      stopped ??= (async () => {
        await edge.close();
        await tasks.stop();
        await driver.close();
        store.db.close();
      })();
      return stopped;
    },
  };
}
