import type {
  DeleteAccountSettingRequest,
  DeleteAccountSettingResponse,
  ListAccountSettingsRequest,
  ListAccountSettingsResponse,
  PutAccountSettingDefaultRequest,
  PutAccountSettingDefaultResponse,
  PutAccountSettingRequest,
  PutAccountSettingResponse,
  Setting,
  SettingName,
} from '@aws-sdk/client-ecs';
import type { RequestContext } from '../api/index.js';
import { decodeToken, pageOf } from '../core/index.js';
import { ACCOUNT_DEFAULT } from '../store/index.js';
import type { EcsDeps } from './context.js';
import { EcsErrors, ecsError } from './errors.js';
import { checkMaxResults } from './paging.js';

/** Each setting's allowed values; the first is AWS's default for a new account. */
const SETTINGS: Record<string, readonly string[]> = {
  serviceLongArnFormat: ['enabled'],
  taskLongArnFormat: ['enabled'],
  containerInstanceLongArnFormat: ['enabled'],
  awsvpcTrunking: ['disabled', 'enabled'],
  containerInsights: ['disabled', 'enabled', 'enhanced'],
  fargateFIPSMode: ['disabled', 'enabled'],
  fargateEventWindows: ['disabled', 'enabled'],
  fargateTaskRetirementWaitPeriod: ['7', '0', '14'],
  tagResourceAuthorization: ['on', 'off'],
  guardDutyActivate: ['off', 'on'],
  defaultLogDriverMode: ['non-blocking', 'blocking'],
};

/**
 * ECS account settings, kept per principal and as the account's defaults. They are
 * recorded and reported; `containerInsights` is the cluster setting new clusters get.
 * Skiff forms long ARNs only, so the three `*LongArnFormat` settings stay `enabled`.
 */
export class AccountSettings {
  constructor(private readonly deps: EcsDeps) {}

  put(req: PutAccountSettingRequest, ctx: RequestContext | undefined): PutAccountSettingResponse {
    const { name, value } = checkSetting(req.name, req.value);
    const principal = req.principalArn ?? this.caller(ctx);
    this.deps.store.accountSettings.put(principal, name, value);
    return { setting: { name: name as SettingName, value, principalArn: principal, type: 'user' } };
  }

  putDefault(req: PutAccountSettingDefaultRequest): PutAccountSettingDefaultResponse {
    const { name, value } = checkSetting(req.name, req.value);
    this.deps.store.accountSettings.put(ACCOUNT_DEFAULT, name, value);
    return { setting: { name: name as SettingName, value, principalArn: this.root(), type: 'user' } };
  }

  delete(req: DeleteAccountSettingRequest, ctx: RequestContext | undefined): DeleteAccountSettingResponse {
    const name = checkName(req.name);
    const principal = req.principalArn ?? this.caller(ctx);
    const value = this.deps.store.accountSettings.get(principal, name);
    if (value === undefined || !this.deps.store.accountSettings.delete(principal, name)) {
      throw ecsError('InvalidParameterException', `The principal ${principal} has no ${name} setting of its own to delete.`);
    }
    return { setting: { name: name as SettingName, value, principalArn: principal, type: 'user' } };
  }

  list(req: ListAccountSettingsRequest, ctx: RequestContext | undefined): ListAccountSettingsResponse {
    const limit = checkMaxResults(req.maxResults, 10);
    const after = req.nextToken ? decodeToken(req.nextToken, EcsErrors.InvalidParameterException) : undefined;
    const principal = req.principalArn ?? this.caller(ctx);
    if (req.name !== undefined) checkName(req.name);
    const names = req.name !== undefined ? [req.name] : Object.keys(SETTINGS).sort();
    const settings: Setting[] = [];
    for (const name of names) {
      const s = req.effectiveSettings ? this.effective(principal, name) : this.own(principal, name);
      if (s && (req.value === undefined || s.value === req.value)) settings.push(s);
    }
    const page = pageOf(settings, (s) => s.name ?? '', limit, after);
    return { settings: page.items, nextToken: page.nextToken };
  }

  /** The value a principal has for a setting: its own, else the account's, else AWS's default. */
  value(name: string, principal = ACCOUNT_DEFAULT): string {
    return this.effective(principal, name).value ?? '';
  }

  private own(principal: string, name: string): Setting | undefined {
    const value = this.deps.store.accountSettings.get(principal, name);
    return value === undefined ? undefined : { name: name as SettingName, value, principalArn: principal, type: 'user' };
  }

  private effective(principal: string, name: string): Setting {
    const own = this.own(principal, name);
    if (own) return own;
    const value = this.deps.store.accountSettings.get(ACCOUNT_DEFAULT, name);
    if (value !== undefined) return { name: name as SettingName, value, principalArn: principal, type: 'user' };
    return { name: name as SettingName, value: SETTINGS[name]?.[0] ?? '', principalArn: principal, type: 'aws_managed' };
  }

  private caller(ctx: RequestContext | undefined): string {
    return ctx?.principal?.arn ?? this.root();
  }

  private root(): string {
    return `arn:aws:iam::${this.deps.scope.account}:root`;
  }
}

function checkName(name: string | undefined): string {
  if (!name || !SETTINGS[name]) {
    throw ecsError('InvalidParameterException', `Unknown account setting '${name ?? ''}'; the settings are ${Object.keys(SETTINGS).join(', ')}.`);
  }
  return name;
}

function checkSetting(name: string | undefined, value: string | undefined): { name: string; value: string } {
  const n = checkName(name);
  const allowed = SETTINGS[n] ?? [];
  if (value === undefined || !allowed.includes(value)) {
    const only = n.endsWith('LongArnFormat') ? ' (skiff forms long ARNs only)' : '';
    throw ecsError('InvalidParameterException', `The ${n} setting must be one of ${allowed.join(', ')}${only}.`);
  }
  return { name: n, value };
}
