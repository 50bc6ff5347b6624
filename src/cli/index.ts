import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { compileConfig, ConfigError } from '../core/index.js';
import { createSkiff } from '../main.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

function upCommand(): Command {
  return new Command('up')
    .description('start the control plane in the foreground (all AWS APIs on one endpoint)')
    .option('-p, --port <port>', 'port to listen on (env SKIFF_PORT)', parsePort)
    .option('--host <host>', 'address to listen on (env SKIFF_HOST)')
    .option('-d, --data-dir <dir>', 'where state lives (env SKIFF_DATA_DIR)')
    .option('--region <region>', 'region in ARNs (env SKIFF_REGION)')
    .option('--log-level <level>', 'silent, error, warn or info (env SKIFF_LOG_LEVEL)')
    .option('--driver <driver>', 'container runtime: docker, or fake (scripted, no Docker needed) (env SKIFF_DRIVER)')
    .action(async (opts: { port?: number; host?: string; dataDir?: string; region?: string; logLevel?: string; driver?: string }) => {
      const config = compileConfig(opts);
      const skiff = createSkiff(config);
      const address = await skiff.start().catch(async (err: unknown) => {
        await skiff.stop();
        throw err;
      });
      process.stdout.write(`skiff ${pkg.version} ready at http://${address.address}:${address.port} (data in ${config.dataDir})\n`);
      await new Promise<void>((resolve) => {
        const shutdown = (signal: NodeJS.Signals): void => {
          process.stdout.write(`skiff: ${signal} received, stopping\n`);
          skiff.stop().then(resolve, resolve);
        };
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
      });
    });
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is an integer from 0 to 65535');
  return n;
}

export function buildProgram(): Command {
  return new Command('skiff')
    .description('Serverless containers you run yourself: AWS Fargate + ECS APIs on your own machine.')
    .version(pkg.version, '-v, --version')
    .addCommand(upCommand());
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`skiff: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}
