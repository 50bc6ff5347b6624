import type { Migration } from './types.js';

/**
 * ECS account settings (PutAccountSetting, PutAccountSettingDefault): one value per
 * principal and setting name; the principal `default` holds the account's defaults.
 */
export const m012: Migration = {
  version: 12,
  name: 'ecs account settings',
  sql: `
    CREATE TABLE IF NOT EXISTS ecs_account_settings (
      principal TEXT NOT NULL,
      name      TEXT NOT NULL,
      value     TEXT NOT NULL,
      PRIMARY KEY (principal, name)
    ) WITHOUT ROWID;
  `,
};
