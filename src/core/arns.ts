/** ARNs exactly as AWS forms them: arn:partition:service:region:account:resource. */
export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export interface AccountScope {
  region: string;
  account: string;
}

export function formatArn(scope: AccountScope, service: string, resource: string): string {
  return `arn:aws:${service}:${scope.region}:${scope.account}:${resource}`;
}

export function parseArn(arn: string): ArnParts | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  if (!partition || !service) return undefined;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

export function isArn(value: string): boolean {
  return value.startsWith('arn:');
}
