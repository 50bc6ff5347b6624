import { m001 } from './001-ecs.js';
import { m002 } from './002-tasks.js';
import { m003 } from './003-logs.js';
import { m004 } from './004-elbv2.js';
import { m005 } from './005-services.js';
import { m006 } from './006-autoscaling.js';
import { m007 } from './007-s3.js';
import { m008 } from './008-states.js';
import { m009 } from './009-events.js';
import { m010 } from './010-task-history.js';
import { m011 } from './011-express-pending.js';
import { m012 } from './012-account-settings.js';
import { m013 } from './013-task-protection.js';
import type { Migration } from './types.js';

export type { Migration } from './types.js';

/** Every migration, in version order. */
export const migrations: readonly Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010, m011, m012, m013];
