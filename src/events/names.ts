import { formatArn, parseArn, type AccountScope } from '../core/index.js';
import { constraint, eventsError } from './errors.js';

export const DEFAULT_BUS = 'default';

const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
const TARGET_ID = /^[.\-_A-Za-z0-9]{1,64}$/;

export function busArn(scope: AccountScope, name: string): string {
  return formatArn(scope, 'events', `event-bus/${name}`);
}

/** Rules on the default bus are `rule/<name>`; on a custom bus `rule/<bus>/<name>`. */
export function ruleArn(scope: AccountScope, bus: string, name: string): string {
  return formatArn(scope, 'events', bus === DEFAULT_BUS ? `rule/${name}` : `rule/${bus}/${name}`);
}

export function checkRuleName(name: string, member = 'name'): string {
  if (!RULE_NAME.test(name)) throw constraint(member, name, 'satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ and have length between 1 and 64');
  return name;
}

export function checkBusName(name: string, member = 'name'): string {
  if (!BUS_NAME.test(name)) throw constraint(member, name, 'satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+ and have length between 1 and 256');
  return name;
}

export function isValidTargetId(id: string): boolean {
  return TARGET_ID.test(id);
}

/** EventBusName may be a name or a bus ARN (of this account and region). */
export function busNameOf(scope: AccountScope, ref: string | undefined): string {
  if (ref === undefined || ref === '') return DEFAULT_BUS;
  if (!ref.startsWith('arn:')) return checkBusName(ref, 'eventBusName');
  const arn = parseArn(ref);
  const name = arn?.resource.startsWith('event-bus/') ? arn.resource.slice('event-bus/'.length) : undefined;
  if (!arn || arn.service !== 'events' || !name) throw eventsError('ValidationException', `Parameter ${ref} is not valid. Reason: Provided Arn is not in correct format.`);
  if (arn.account !== scope.account || arn.region !== scope.region) {
    throw eventsError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
  }
  return name;
}

/** The bus and rule name a rule ARN names, or undefined when it is not a rule ARN. */
export function parseRuleArn(arn: string): { bus: string; name: string } | undefined {
  const parts = parseArn(arn);
  if (!parts || parts.service !== 'events' || !parts.resource.startsWith('rule/')) return undefined;
  const rest = parts.resource.slice('rule/'.length).split('/');
  if (rest.length === 1 && rest[0]) return { bus: DEFAULT_BUS, name: rest[0] };
  if (rest.length === 2 && rest[0] && rest[1]) return { bus: rest[0], name: rest[1] };
  return undefined;
}

/** The ISO time EventBridge puts in events: seconds precision, `Z`. */
export function eventTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
