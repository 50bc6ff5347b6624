import { createHmac, timingSafeEqual } from 'node:crypto';
import { AuthFailure, type CredentialsAuthority, type Principal } from '../api/index.js';
import { parseArn } from '../core/index.js';

/**
 * Temporary credentials for a task's role, as the credentials endpoint hands them out.
 * Skiff keeps no table of them: everything is derived from the server secret, so they
 * survive a restart and cost nothing to check.
 *
 *   Token           = "SkiffTask1." + base64url(JSON {t: task ARN, r: role ARN, e: expiry}) + "." + MAC
 *   AccessKeyId     = "ASIA" + 16 base32 characters of HMAC(secret, "akid" + the token's payload)
 *   SecretAccessKey = 40 base64 characters of HMAC(secret, "sak" + AccessKeyId)
 *
 * A request names its access key and carries the token (X-Amz-Security-Token): the token's
 * MAC proves Skiff made it, the payload names the task and role, and the key and secret
 * are recomputed from it. Keys expire on a fixed grid, so every call within one hour gets
 * the same credentials, valid for at least five more hours (an SDK refreshes them a few
 * minutes before Expiration).
 */
export interface IssuedCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  Token: string;
  /** ISO 8601, as the ECS credentials endpoint writes it. */
  Expiration: string;
  RoleArn?: string;
}

const TOKEN_PREFIX = 'SkiffTask1.';
const GRID_MS = 3_600_000;
const LIFETIME_MS = 6 * GRID_MS;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

interface Payload {
  t: string;
  r?: string;
  e: number;
}

export class TaskCredentials implements CredentialsAuthority {
  constructor(private readonly secret: Buffer) {
    if (secret.length < 16) throw new Error('the credentials secret must be at least 16 bytes');
  }

  issue(taskArn: string, roleArn: string | undefined, now: Date): IssuedCredentials {
    const expires = Math.floor(now.getTime() / GRID_MS) * GRID_MS + LIFETIME_MS;
    const payload: Payload = roleArn ? { t: taskArn, r: roleArn, e: expires } : { t: taskArn, e: expires };
    const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const token = `${TOKEN_PREFIX}${encoded}.${this.mac('token', encoded).toString('base64url')}`;
    const accessKeyId = this.accessKeyId(encoded);
    return {
      AccessKeyId: accessKeyId,
      SecretAccessKey: this.secretKey(accessKeyId),
      Token: token,
      Expiration: new Date(expires).toISOString(),
      ...(roleArn ? { RoleArn: roleArn } : {}),
    };
  }

  lookup(accessKeyId: string, sessionToken: string | undefined, now: Date): { secretAccessKey: string; principal: Principal } | undefined {
    if (!sessionToken?.startsWith(TOKEN_PREFIX)) return undefined;
    const [encoded = '', mac = '', ...rest] = sessionToken.slice(TOKEN_PREFIX.length).split('.');
    const given = Buffer.from(mac, 'base64url');
    const expected = this.mac('token', encoded);
    if (rest.length > 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AuthFailure('InvalidToken', 'The security token included in the request is invalid.');
    }
    if (accessKeyId !== this.accessKeyId(encoded)) {
      throw new AuthFailure('InvalidToken', 'The security token included in the request does not belong to its access key id.');
    }
    const payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Payload;
    if (now.getTime() >= payload.e) throw new AuthFailure('ExpiredToken', 'The security token included in the request is expired');
    return { secretAccessKey: this.secretKey(accessKeyId), principal: principalOf(payload, accessKeyId) };
  }

  private accessKeyId(encodedPayload: string): string {
    const mac = this.mac('akid', encodedPayload);
    let id = 'ASIA';
    for (let i = 0; i < 16; i++) id += BASE32[(mac[i] ?? 0) % 32];
    return id;
  }

  private secretKey(accessKeyId: string): string {
    return this.mac('sak', accessKeyId).toString('base64').slice(0, 40);
  }

  private mac(purpose: string, data: string): Buffer {
    return createHmac('sha256', this.secret).update(`skiff-task-credentials-v1\n${purpose}\n${data}`).digest();
  }
}

/** The assumed-role ARN STS would report: arn:aws:sts::<account>:assumed-role/<role name>/<task id>. */
function principalOf(payload: Payload, accessKeyId: string): Principal {
  const task = parseArn(payload.t);
  const taskId = task?.resource.split('/').pop() ?? accessKeyId;
  const roleName = payload.r ? parseArn(payload.r)?.resource.split('/').pop() : undefined;
  const arn = roleName && task ? `arn:aws:sts::${task.account}:assumed-role/${roleName}/${taskId}` : payload.t;
  return { arn, taskArn: payload.t, roleArn: payload.r };
}
