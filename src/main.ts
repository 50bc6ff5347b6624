import type { AddressInfo } from 'node:net';
import { Edge } from './api/index.js';
import { consoleLogger, randomIds, systemClock, type Clock, type IdGenerator, type Logger, type SkiffConfig } from './core/index.js';
import { createEcsProvider } from './ecs/index.js';
import { createStore, openDatabase, type Store } from './store/index.js';

export interface SkiffOverrides {
  clock?: Clock;
  ids?: IdGenerator;
  logger?: Logger;
}

export interface Skiff {
  readonly config: SkiffConfig;
  readonly store: Store;
  readonly edge: Edge;
  /** Starts listening; resolves with the bound address. */
  start(): Promise<AddressInfo>;
  /** Stops accepting requests, finishes those in flight, closes the database. */
  stop(): Promise<void>;
}

/** The composition root: the one place real adapters are built and wired. */
export function createSkiff(config: SkiffConfig, overrides: SkiffOverrides = {}): Skiff {
  const clock = overrides.clock ?? systemClock;
  const ids = overrides.ids ?? randomIds;
  const logger = overrides.logger ?? consoleLogger(config.logLevel);
  const scope = { region: config.region, account: config.account };
  const store = createStore(openDatabase(config.dataDir));
  const edge = new Edge({ scope, ids, logger, maxBodyBytes: config.maxBodyBytes });

  const ecs = createEcsProvider({ store, clock, ids, scope });
  ecs.clusters.ensureDefault();
  edge.addJsonService(ecs.service);

  let stopped: Promise<void> | undefined;
  return {
    config,
    store,
    edge,
    start: () => edge.listen(config.host, config.port),
    stop: () => {
      stopped ??= (async () => {
        await edge.close();
        store.db.close();
      })();
      return stopped;
    },
  };
}
