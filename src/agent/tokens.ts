import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Container tokens: the path segment after `/v4/` that tells the agent which task and
 * container is asking. Fargate tells containers apart by their link-local address; Skiff's
 * containers share the Docker bridge, so each one is handed a URL it cannot forge instead:
 *
 *   <32-hex task id>-<container name>-<MAC>
 *
 * MAC is HMAC-SHA256(secret, purpose + taskId + "/" + name), truncated to 128 bits and
 * base64url-encoded (22 characters). The server keeps no table: it splits the token,
 * recomputes the MAC and compares. A container can read its own task id and name from its
 * URL (they are in the metadata anyway), but without the secret it cannot make a URL for
 * any other task.
 */

export const SECRET_FILE = 'agent-secret';
const SECRET_BYTES = 32;
const TASK_ID = /^[0-9a-f]{32}$/;
const MAC_BYTES = 16;
const MAC_CHARS = 22; // base64url of 16 bytes, unpadded
/** Domain separation: the same secret may later sign other kinds of tokens (credentials). */
const PURPOSE = 'skiff-task-metadata-v1\n';

export interface TokenSubject {
  taskId: string;
  containerName: string;
}

export class ContainerTokens {
  constructor(private readonly secret: Buffer) {
    if (secret.length < 16) throw new Error('the agent secret must be at least 16 bytes');
  }

  issue(taskId: string, containerName: string): string {
    // ECS container names are [A-Za-z0-9_-]; encoding keeps anything else path-safe
    return `${taskId}-${encodeURIComponent(containerName)}-${this.mac(taskId, containerName).toString('base64url')}`;
  }

  /** The task and container a token was issued for, or undefined when it was not issued by this secret. */
  verify(token: string): TokenSubject | undefined {
    const taskId = token.slice(0, 32);
    const encodedMac = token.slice(-MAC_CHARS);
    if (!TASK_ID.test(taskId) || token[32] !== '-' || token.length < 32 + 1 + 1 + 1 + MAC_CHARS) return undefined;
    if (token[token.length - MAC_CHARS - 1] !== '-') return undefined;
    const containerName = decode(token.slice(33, token.length - MAC_CHARS - 1));
    if (!containerName) return undefined;
    const given = Buffer.from(encodedMac, 'base64url');
    if (given.length !== MAC_BYTES || given.toString('base64url') !== encodedMac) return undefined;
    return timingSafeEqual(given, this.mac(taskId, containerName)) ? { taskId, containerName } : undefined;
  }

  private mac(taskId: string, containerName: string): Buffer {
    return createHmac('sha256', this.secret)
      .update(`${PURPOSE}${taskId}/${containerName}`)
      .digest()
      .subarray(0, MAC_BYTES);
  }
}

/**
 * The credentials endpoint's tokens for a task: the path segment of
 * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (`<task id>-<MAC>`, as unguessable as ECS's
 * random id) and the AWS_CONTAINER_AUTHORIZATION_TOKEN that goes with the full URI.
 */
export class CredentialsTokens {
  constructor(private readonly secret: Buffer) {}

  path(taskId: string): string {
    return `${taskId}-${this.mac('path', taskId).toString('base64url')}`;
  }

  authorization(taskId: string): string {
    return this.mac('authorization', taskId).toString('base64url');
  }

  /** The task a path token was issued for. */
  verifyPath(token: string): string | undefined {
    const taskId = token.slice(0, 32);
    if (!TASK_ID.test(taskId) || token[32] !== '-') return undefined;
    const given = Buffer.from(token.slice(33), 'base64url');
    const expected = this.mac('path', taskId);
    return given.length === expected.length && timingSafeEqual(given, expected) ? taskId : undefined;
  }

  verifyAuthorization(taskId: string, given: string): boolean {
    const a = Buffer.from(given);
    const b = Buffer.from(this.authorization(taskId));
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private mac(purpose: string, taskId: string): Buffer {
    return createHmac('sha256', this.secret).update(`skiff-task-credentials-endpoint-v1\n${purpose}\n${taskId}`).digest().subarray(0, MAC_BYTES);
  }
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The agent's secret, kept in `<dataDir>/agent-secret` (mode 0600) so that the URLs in the
 * environment of containers that outlive a restart of Skiff keep working. Created with 32
 * random bytes on first use: written to a temporary file and linked into place, so that a
 * reader never sees a half-written secret and two processes racing on first use agree.
 */
export function loadAgentSecret(dataDir: string): Buffer {
  const file = path.join(dataDir, SECRET_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, randomBytes(SECRET_BYTES), { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  const secret = fs.readFileSync(file);
  if (secret.length !== SECRET_BYTES) {
    throw new Error(
      `${file} holds ${secret.length} bytes, not ${SECRET_BYTES}: delete it to make a new one ` +
        '(running containers then lose access to their task metadata endpoint)',
    );
  }
  return secret;
}
