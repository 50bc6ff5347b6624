import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import type { Command } from 'commander';

/** Options every API command takes. */
export interface ApiOptions {
  endpoint?: string;
  cluster?: string;
  json?: boolean;
}

/** The clients of one command run, pointed at one skiff endpoint. */
export interface Clients {
  readonly endpoint: string;
  readonly cluster: string | undefined;
  readonly ecs: ECSClient;
  readonly logs: CloudWatchLogsClient;
}

/** An error meant for the user: printed as `skiff: <message>`, exiting with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function resolveEndpoint(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  // an empty variable counts as unset, as shells make `SKIFF_ENDPOINT= skiff ps` easy to type
  const endpoint = option || env['SKIFF_ENDPOINT'] || `http://127.0.0.1:${env['SKIFF_PORT'] || '4750'}`;
  return endpoint.replace(/\/+$/, '');
}

/**
 * Skiff does not check signatures, so no credentials need to be set up: dummy ones are used
 * unless the environment names real ones. Profiles are not read on purpose, so a machine's
 * AWS configuration can never slow down or redirect a local command.
 */
export function clientConfig(endpoint: string): {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined };
  maxAttempts: number;
} {
  const env = process.env;
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  const credentials =
    accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, sessionToken: env['AWS_SESSION_TOKEN'] } : { accessKeyId: 'test', secretAccessKey: 'test' };
  // one attempt: the server is local, and a retried refused connection only delays the message
  return { endpoint, region: env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1', credentials, maxAttempts: 1 };
}

/** What `clientConfig` gives: the settings every SDK client of a command run is made with. */
export type ClientConfig = ReturnType<typeof clientConfig>;

function quietSdk(): void {
  // The SDK warns on every run under Node 20 about its own future support policy; skiff
  // supports Node 20, and a warning on each command would bury its output.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
}

export function connect(opts: ApiOptions): Clients {
  quietSdk();
  const endpoint = resolveEndpoint(opts.endpoint);
  const config = clientConfig(endpoint);
  return { endpoint, cluster: opts.cluster, ecs: new ECSClient(config), logs: new CloudWatchLogsClient(config) };
}

export function closeClients(c: Clients): void {
  c.ecs.destroy();
  c.logs.destroy();
}

/** Adds --endpoint, --json and, where it applies, --cluster. */
export function withApiOptions(cmd: Command, cluster = true): Command {
  cmd.option('--endpoint <url>', 'skiff endpoint (env SKIFF_ENDPOINT; default http://127.0.0.1:$SKIFF_PORT or :4750)');
  if (cluster) cmd.option('--cluster <name>', 'cluster (default: default)');
  return cmd.option('--json', 'machine-readable JSON output');
}

/** Runs a command body with its clients; closes them after, whatever happens. */
export async function withClients<T>(opts: ApiOptions, body: (c: Clients) => Promise<T>): Promise<T> {
  const clients = connect(opts);
  try {
    return await body(clients);
  } finally {
    closeClients(clients);
  }
}

/**
 * Runs a command body with one SDK client, made by `make` from the run's endpoint and
 * credentials (for services beyond ECS and Logs); destroys it after, whatever happens.
 */
export async function withClient<C extends { destroy(): void }, T>(opts: ApiOptions, make: (config: ClientConfig) => C, body: (client: C) => Promise<T>): Promise<T> {
  quietSdk();
  const client = make(clientConfig(resolveEndpoint(opts.endpoint)));
  try {
    return await body(client);
  } finally {
    client.destroy();
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'EAI_AGAIN']);

/** The network error code of an error, looking through causes and AggregateError's list. */
export function networkCode(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && UNREACHABLE.has(code)) return code;
  const inner = [err.cause, ...(err instanceof AggregateError ? (err.errors as unknown[]) : [])];
  for (const e of inner) {
    const found = networkCode(e);
    if (found) return found;
  }
  return undefined;
}

/** An AWS service error as the SDK throws it: its name is the AWS error code. */
function isServiceError(err: unknown): err is Error & { $metadata: unknown } {
  return err instanceof Error && '$metadata' in err && '$fault' in err;
}

/** The one line a failed command prints, and its exit code. */
export function describeError(err: unknown, endpoint: string): { message: string; exitCode: number } {
  if (err instanceof CliError) return { message: `skiff: ${err.message}`, exitCode: err.exitCode };
  if (networkCode(err)) return { message: `skiff: no skiff server answers at ${endpoint}: start one with \`skiff up\``, exitCode: 1 };
  if (isServiceError(err)) return { message: `skiff: ${err.name}: ${err.message}`, exitCode: 1 };
  return { message: `skiff: ${err instanceof Error ? err.message : String(err)}`, exitCode: 1 };
}

/**
 * Wraps a commander action: errors become one `skiff: ...` line on stderr and an exit code,
 * never a stack trace. The exit code is set, not forced, so pending output is flushed.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      const cmd = args[args.length - 1] as Command;
      const { message, exitCode } = describeError(err, resolveEndpoint((cmd.opts() as ApiOptions).endpoint));
      process.stderr.write(`${message}\n`);
      process.exitCode = exitCode;
    }
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
