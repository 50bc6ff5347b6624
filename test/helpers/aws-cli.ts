import { spawn, spawnSync } from 'node:child_process';

/** AWS CLI v2 from Debian's `awscli` package; `aws` earlier on PATH may be a v1 shim. */
export const AWS_CLI = process.env['SKIFF_AWS_CLI'] ?? '/usr/bin/aws';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  json: unknown;
}

/** Runs `aws <args> --endpoint-url <endpoint>` with dummy credentials and no config files. */
export function awsCli(endpoint: string, args: string[], cwd?: string, extraEnv: Record<string, string> = {}): CliResult {
  const r = spawnSync(AWS_CLI, [...args, '--endpoint-url', endpoint, '--region', 'us-east-1', '--output', 'json'], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...cliEnv(), ...extraEnv },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json: parseJson(r.stdout) };
}

/** Dummy credentials, no config files, no pager, no retries. */
function cliEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/tmp',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
  };
}

function parseJson(text: string): unknown {
  try {
    return text.trim() ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** The same as `awsCli`, without blocking the event loop, so many calls can run at once. */
export function awsCliAsync(endpoint: string, args: string[], cwd?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(AWS_CLI, [...args, '--endpoint-url', endpoint, '--region', 'us-east-1', '--output', 'json'], {
      cwd,
      env: cliEnv(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr, json: parseJson(stdout) }));
  });
}
