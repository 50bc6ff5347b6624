import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArn, type Clock, type Logger } from '../core/index.js';
import type { ContainerDriver } from '../runtime/index.js';
import type { StoredTask, StoredTaskDefinition, Store } from '../store/index.js';
import { containerMetadata, taskMetadata, type RuntimeView } from './metadata.js';
import type { MetadataVersion } from './shapes.js';
import { ContainerTokens, CredentialsTokens, type TokenSubject } from './tokens.js';

/**
 * The address every task reaches Skiff at, over plain HTTP on port 80: the one AWS SDKs
 * accept for container credentials besides loopback. The runtime forwards it to the agent
 * inside each task's network (see SandboxSpec.endpointForward).
 */
export const TASK_ENDPOINT_ADDRESS = '169.254.170.2';

export interface AgentServerDeps {
  store: Pick<Store, 'tasks' | 'taskDefinitions'>;
  /** inspect for container timestamps and health, stats for /stats. */
  driver: Pick<ContainerDriver, 'inspect' | 'stats'>;
  clock: Clock;
  logger: Logger;
  /** From loadAgentSecret(dataDir): the same secret across restarts keeps issued URLs valid. */
  secret: Buffer;
  /** The task role's temporary credentials (src/iam); without it the credentials endpoint answers 404. */
  issueCredentials?: (taskArn: string, roleArn: string | undefined, now: Date) => object;
  /** Where requests that are not for the agent go: Skiff's API, for AWS_ENDPOINT_URL. */
  api?: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  /**
   * The task's scale-in protection, for `${ECS_AGENT_URI}/task-protection/v1/state`: GetTaskProtection
   * (no change) or UpdateTaskProtection of this one task, as the ECS API answers them.
   */
  protection?: (task: StoredTask, change: { enabled: boolean; minutes: number | undefined } | undefined) => {
    protectedTasks?: Array<{ taskArn?: string | undefined; protectionEnabled?: boolean | undefined; expirationDate?: Date | undefined }> | undefined;
    failures?: Array<{ arn?: string | undefined; reason?: string | undefined; detail?: string | undefined }> | undefined;
  };
}

export interface AgentAddress {
  host: string;
  port: number;
  /** What to pass to containerEnv as baseUrl. */
  url: string;
}

type Route = 'container' | 'task' | 'stats' | 'taskStats';
const ROUTES: Record<string, Route> = { '': 'container', '/task': 'task', '/stats': 'stats', '/task/stats': 'taskStats' };
/** How AWS's handlers name themselves in error messages. */
const HANDLER: Record<Route, string> = {
  container: 'container metadata',
  task: 'task metadata',
  stats: 'container stats',
  taskStats: 'task stats',
};
const PATH = /^\/v([34])\/([^/]+)(\/task\/stats|\/task|\/stats)?$/;
const CREDENTIALS_PATH = /^\/v2\/credentials\/([^/]+)$/;
const PROTECTION_PATH = /^\/api\/([^/]+)\/task-protection\/v1\/state$/;

interface Resolved {
  version: MetadataVersion;
  route: Route;
  subject: TokenSubject;
  task: StoredTask;
  td: StoredTaskDefinition;
}

/** An answer other than 200: AWS writes the reason as a JSON string. */
class AgentError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The task metadata endpoint (ECS_CONTAINER_METADATA_URI_V4 and, for version 3,
 * ECS_CONTAINER_METADATA_URI) that containers call from inside the task. Stateless: every
 * request re-reads the task from the store and asks the runtime, and the URL's token says
 * which task and container is asking (see tokens.ts).
 */
export class AgentServer {
  private readonly tokens: ContainerTokens;
  private readonly credentialsTokens: CredentialsTokens;
  private server: http.Server | undefined;

  constructor(private readonly deps: AgentServerDeps) {
    this.tokens = new ContainerTokens(deps.secret);
    this.credentialsTokens = new CredentialsTokens(deps.secret);
  }

  /** Starts serving on host:port (0: an ephemeral port); resolves once bound. */
  async listen(host: string, port: number): Promise<AgentAddress> {
    if (this.server) throw new Error('the agent server is already listening');
    const server = http.createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const bound = (server.address() as AddressInfo).port;
    return { host, port: bound, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}` };
  }

  /** Stops listening and drops open connections (containers keep theirs alive otherwise). */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** The variables Fargate sets in every container, pointing at this server. */
  containerEnv(task: StoredTask, taskId: string, containerName: string, baseUrl: string): Record<string, string> {
    const token = this.tokens.issue(taskId, containerName);
    const region = parseArn(task.taskArn)?.region ?? 'us-east-1';
    const credentialsPath = `/v2/credentials/${this.credentialsTokens.path(taskId)}`;
    const endpoint = `http://${TASK_ENDPOINT_ADDRESS}`;
    return {
      ECS_CONTAINER_METADATA_URI_V4: `${baseUrl}/v4/${token}`,
      ECS_CONTAINER_METADATA_URI: `${baseUrl}/v3/${token}`,
      ECS_AGENT_URI: `${baseUrl}/api/${token}`,
      AWS_EXECUTION_ENV: 'AWS_ECS_FARGATE',
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: credentialsPath,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${endpoint}${credentialsPath}`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: this.credentialsTokens.authorization(taskId),
      AWS_ENDPOINT_URL: endpoint,
    };
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    const credentials = CREDENTIALS_PATH.exec(pathname);
    const protection = PROTECTION_PATH.exec(pathname);
    // only a token the agent issued: an S3 key under a bucket named `api` is not ours
    if (protection && this.tokens.verify(protection[1] ?? '')) return this.serveProtection(req, res, protection[1] ?? '');
    if (!credentials && !pathname.startsWith('/v3/') && !pathname.startsWith('/v4/') && this.deps.api) {
      this.deps.api(req, res);
      return;
    }
    try {
      if (req.method !== 'GET') {
        res.setHeader('Allow', 'GET');
        throw new AgentError(405, `method ${req.method ?? ''} is not allowed: the task metadata endpoint answers GET`);
      }
      if (credentials) return write(res, 200, this.credentials(credentials[1] ?? '', req.headers.authorization));
      const r = this.resolve(pathname);
      write(res, 200, await this.answer(r));
    } catch (err) {
      if (err instanceof AgentError) return write(res, err.status, err.message);
      this.deps.logger.error('task metadata endpoint: request failed', { url: req.url, err });
      write(res, 500, 'failed to get task metadata');
    }
  }

  /**
   * `${ECS_AGENT_URI}/task-protection/v1/state`: GET reads the task's scale-in protection, PUT
   * `{"ProtectionEnabled": true, "ExpiresInMinutes": 60}` sets it; answers `{"protection": …}`
   * or `{"error": {"Arn", "Code", "Message"}}` as the ECS agent does.
   */
  private async serveProtection(req: http.IncomingMessage, res: http.ServerResponse, token: string): Promise<void> {
    const subject = this.tokens.verify(token);
    const task = subject && this.deps.store.tasks.get(subject.taskId);
    const fail = (status: number, code: string, message: string): void => write(res, status, { error: { Arn: task ? task.taskArn : '', Code: code, Message: message } });
    if (!task || !this.deps.protection) return fail(404, 'ResourceNotFoundException', 'No task found for this endpoint.');
    if (req.method !== 'GET' && req.method !== 'PUT') return fail(405, 'InvalidRequest', `method ${req.method ?? ''} is not allowed: use GET or PUT`);
    let change: { enabled: boolean; minutes: number | undefined } | undefined;
    if (req.method === 'PUT') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      let body: { ProtectionEnabled?: unknown; ExpiresInMinutes?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as typeof body;
      } catch {
        return fail(400, 'InvalidRequest', 'The request body is not JSON.');
      }
      if (typeof body.ProtectionEnabled !== 'boolean') return fail(400, 'InvalidRequest', 'ProtectionEnabled (true or false) is required.');
      if (body.ExpiresInMinutes !== undefined && typeof body.ExpiresInMinutes !== 'number') return fail(400, 'InvalidRequest', 'ExpiresInMinutes must be a number of minutes.');
      change = { enabled: body.ProtectionEnabled, minutes: body.ExpiresInMinutes as number | undefined };
    }
    try {
      const out = this.deps.protection(task, change);
      const failure = out.failures?.[0];
      if (failure) return fail(400, failure.reason ?? 'InvalidRequest', failure.detail ?? failure.reason ?? 'The task cannot be protected.');
      const p = out.protectedTasks?.[0];
      write(res, 200, { protection: { ExpirationDate: p?.expirationDate?.toISOString() ?? null, ProtectionEnabled: p?.protectionEnabled ?? false, TaskArn: task.taskArn } });
    } catch (err) {
      fail(400, (err as { code?: string }).code ?? 'InvalidRequest', (err as Error).message);
    }
  }

  /**
   * The task role's credentials. The path token names the task; the authorization token,
   * when sent (the full-URI form), must be that task's. A task that has stopped gets none.
   */
  private credentials(pathToken: string, authorization: string | undefined): object {
    const taskId = this.credentialsTokens.verifyPath(pathToken);
    const task = taskId && this.deps.store.tasks.get(taskId);
    if (!taskId || !task || task.lastStatus === 'STOPPED' || !this.deps.issueCredentials) {
      throw new AgentError(404, 'CredentialsV2Request: no credentials for this endpoint: the task is unknown or has stopped');
    }
    if (authorization !== undefined && !this.credentialsTokens.verifyAuthorization(taskId, authorization)) {
      throw new AgentError(401, 'CredentialsV2Request: the authorization token does not belong to this task');
    }
    const td = this.taskDefinition(task);
    const roleArn = task.overrides?.taskRoleArn ?? td?.taskRoleArn;
    return this.deps.issueCredentials(task.taskArn, roleArn, this.deps.clock.now());
  }

  private resolve(pathname: string): Resolved {
    const m = PATH.exec(pathname);
    const route = m ? ROUTES[m[3] ?? ''] : undefined;
    if (!m || !route) throw new AgentError(404, `no task metadata at ${pathname}`);
    const version = m[1] === '3' ? 3 : 4;
    // an unknown or forged token and a task that is gone look alike: AWS answers 404 to both
    const unknown = new AgentError(404, `V${version} ${HANDLER[route]} handler: unable to find the container of this endpoint`);
    // the token as issued: its container name part is already percent-encoded
    const subject = this.tokens.verify(m[2] ?? '');
    const task = subject && this.deps.store.tasks.get(subject.taskId);
    const td = task && this.taskDefinition(task);
    if (!subject || !task || !td || !task.containers?.some((c) => c.name === subject.containerName)) throw unknown;
    return { version, route, subject, task, td };
  }

  private taskDefinition(task: StoredTask): StoredTaskDefinition | undefined {
    const resource = parseArn(task.taskDefinitionArn)?.resource ?? '';
    const m = /^task-definition\/(.+):(\d+)$/.exec(resource);
    return m?.[1] && m[2] ? this.deps.store.taskDefinitions.get(m[1], Number(m[2])) : undefined;
  }

  private async answer(r: Resolved): Promise<unknown> {
    const now = this.deps.clock.now();
    switch (r.route) {
      case 'container': {
        const runtime = await this.runtimeViews(r.task, [r.subject.containerName]);
        const body = containerMetadata(r.task, r.td, r.subject.containerName, { version: r.version, now, runtime });
        if (!body) throw new AgentError(404, `V${r.version} container metadata handler: no such container in the task`);
        return body;
      }
      case 'task': {
        const names = (r.task.containers ?? []).map((c) => c.name ?? '');
        return taskMetadata(r.task, r.td, { version: r.version, now, runtime: await this.runtimeViews(r.task, names) });
      }
      case 'stats':
        return this.containerStats(r);
      case 'taskStats':
        return this.taskStats(r);
    }
  }

  /** What the runtime says about the named containers; a runtime that fails to answer only costs the timestamps. */
  private async runtimeViews(task: StoredTask, names: string[]): Promise<Map<string, RuntimeView | undefined>> {
    const views = new Map<string, RuntimeView | undefined>();
    await Promise.all(
      names.map(async (name) => {
        const id = task.containers?.find((c) => c.name === name)?.runtimeId;
        if (!id) return;
        views.set(name, await this.deps.driver.inspect(id).catch((err: unknown) => this.warn('inspect', id, err)));
      }),
    );
    return views;
  }

  private async containerStats(r: Resolved): Promise<unknown> {
    const id = r.task.containers?.find((c) => c.name === r.subject.containerName)?.runtimeId;
    if (!id) throw new AgentError(404, `V${r.version} container stats handler: the container has not been created yet`);
    const stats = await this.deps.driver.stats(id).catch((err: unknown) => this.warn('stats', id, err));
    // AWS answers 500 for a container it knows but cannot sample (not running, or too young)
    if (!stats) throw new AgentError(500, `Unable to get container stats for: ${id}`);
    return stats.raw;
  }

  /** Docker id → Docker's stats document; a container that cannot be sampled gets `{}` (v4) or null (v3), as AWS does. */
  private async taskStats(r: Resolved): Promise<Record<string, unknown>> {
    const ids = (r.task.containers ?? []).flatMap((c) => (c.runtimeId ? [c.runtimeId] : []));
    const samples = await Promise.all(
      ids.map((id) => this.deps.driver.stats(id).catch((err: unknown) => this.warn('stats', id, err))),
    );
    return Object.fromEntries(ids.map((id, i) => [id, samples[i]?.raw ?? (r.version === 4 ? {} : null)]));
  }

  private warn(what: string, id: string, err: unknown): undefined {
    this.deps.logger.warn(`task metadata endpoint: ${what} failed`, { runtimeId: id, err });
    return undefined;
  }
}

function write(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
