import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { compileConfig, ConfigError, type ConfigInput } from '../core/index.js';
import { createSkiff } from '../main.js';
import { bucketsCommand } from './commands/buckets.js';
import { buildCommand } from './commands/build.js';
import { eventsCommand } from './commands/events.js';
import { executionCommand, executionsCommand } from './commands/executions.js';
import { logsCommand } from './commands/logs.js';
import { psCommand } from './commands/ps.js';
import { rulesCommand } from './commands/rules.js';
import { rewriteCmdArgs, runCommand } from './commands/run.js';
import { schedulesCommand } from './commands/schedules.js';
import { scaleCommand, servicesCommand } from './commands/services.js';
import { stopCommand } from './commands/stop.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

function upCommand(): Command {
  return new Command('up')
    .description('start the control plane (all AWS APIs, one endpoint)')
    .option('-p, --port <port>', 'port to listen on (env SKIFF_PORT)', parsePort)
    .option('--host <host>', 'address to listen on (env SKIFF_HOST)')
    .option('-d, --data-dir <dir>', 'where state lives (env SKIFF_DATA_DIR)')
    .option('--region <region>', 'region in ARNs (env SKIFF_REGION)')
    .option('--log-level <level>', 'silent, error, warn or info (env SKIFF_LOG_LEVEL)')
    .option('--driver <driver>', 'container runtime: docker, or fake (scripted, no Docker needed) (env SKIFF_DRIVER)')
    .option('--metrics-period <duration>', 'auto scaling metric period, e.g. 5s (env SKIFF_METRICS_PERIOD; AWS: 60s)')
    .option('--sandbox-pool <n>', 'started sandboxes kept per set of port mappings tasks use, 0-16 (env SKIFF_SANDBOX_POOL; default 2)')
    .option('--min-schedule-rate <duration>', 'shortest EventBridge schedule rate, 1s..1m (env SKIFF_MIN_SCHEDULE_RATE; AWS: 1m)')
    .action(async (opts: ConfigInput & { port?: number }) => {
      const config = compileConfig(opts);
      const skiff = createSkiff(config);
      const address = await skiff.start().catch(async (err: unknown) => {
        await skiff.stop();
        throw err;
      });
      // handlers go in before the ready line: whoever reads it may signal at once
      const stopped = new Promise<void>((resolve) => {
        const shutdown = (signal: NodeJS.Signals): void => {
          process.stdout.write(`skiff: ${signal} received, stopping\n`);
          skiff.stop().then(resolve, resolve);
        };
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
      });
      process.stdout.write(`skiff ${pkg.version} ready at http://${address.address}:${address.port} (data in ${config.dataDir})\n`);
      await stopped;
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
    .addCommand(upCommand())
    .addCommand(runCommand())
    .addCommand(psCommand())
    .addCommand(stopCommand())
    .addCommand(logsCommand())
    .addCommand(servicesCommand())
    .addCommand(scaleCommand())
    .addCommand(eventsCommand())
    .addCommand(rulesCommand())
    .addCommand(schedulesCommand())
    .addCommand(bucketsCommand())
    .addCommand(executionsCommand())
    .addCommand(executionCommand())
    .addCommand(buildCommand());
}

export async function main(argv: string[]): Promise<void> {
  try {
    const program = buildProgram();
    const run = program.commands.find((c) => c.name() === 'run');
    await program.parseAsync(run ? rewriteCmdArgs(argv, run) : argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`skiff: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}
