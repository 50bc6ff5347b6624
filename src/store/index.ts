export { openDatabase, migrate, type Db } from './db.js';
export { SqlStore } from './sql-store.js';
export { migrations, type Migration } from './migrations/index.js';
export { AccountSettingRepository, ACCOUNT_DEFAULT } from './account-settings.js';
export { ClusterRepository } from './clusters.js';
export { TaskProtectionRepository } from './task-protection.js';
export { TaskDefinitionRepository, type StoredTaskDefinition, type TaskDefinitionStatus } from './task-definitions.js';
export { TagRepository, type Tag } from './tags.js';
export { ServiceRepository, type StoredService, type ServiceRuntime } from './services.js';
export { TaskRepository, taskIdOf, type StoredTask, type TaskFilter, type TaskRuntime } from './tasks.js';

import type { Db } from './db.js';
import { AccountSettingRepository } from './account-settings.js';
import { ClusterRepository } from './clusters.js';
import { TaskProtectionRepository } from './task-protection.js';
import { TaskDefinitionRepository } from './task-definitions.js';
import { TagRepository } from './tags.js';
import { TaskRepository } from './tasks.js';
import { ServiceRepository } from './services.js';

/** All repositories over one database. */
export interface Store {
  readonly db: Db;
  readonly clusters: ClusterRepository;
  readonly taskDefinitions: TaskDefinitionRepository;
  readonly tags: TagRepository;
  readonly tasks: TaskRepository;
  readonly services: ServiceRepository;
  readonly accountSettings: AccountSettingRepository;
  readonly taskProtection: TaskProtectionRepository;
}

export function createStore(db: Db): Store {
  return {
    db,
    clusters: new ClusterRepository(db),
    taskDefinitions: new TaskDefinitionRepository(db),
    tags: new TagRepository(db),
    tasks: new TaskRepository(db),
    services: new ServiceRepository(db),
    accountSettings: new AccountSettingRepository(db),
    taskProtection: new TaskProtectionRepository(db),
  };
}
