import { m001 } from './001-ecs.js';
import type { Migration } from './types.js';

export type { Migration } from './types.js';

/** Every migration, in version order. */
export const migrations: readonly Migration[] = [m001];
