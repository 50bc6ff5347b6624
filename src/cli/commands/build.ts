import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import type Dockerode from 'dockerode';
import { action, CliError, printJson } from '../client.js';

interface BuildOptions {
  tag: string;
  file: string;
  json?: boolean;
}

/** One line of Docker's build progress stream. */
interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

export function buildCommand(): Command {
  return new Command('build')
    .description('build a Docker image from a Dockerfile')
    .argument('<dir>', 'the build context: a directory holding the Dockerfile')
    .requiredOption('-t, --tag <image>', 'name the image, e.g. my-app:latest')
    .option('-f, --file <path>', 'the Dockerfile, relative to <dir>', 'Dockerfile')
    .option('--json', 'print only the result as JSON (build output goes to stderr)')
    .action(action(build));
}

/** A missing context or Dockerfile said plainly, before Docker says it less plainly. */
function checkContext(dir: string, file: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`${dir} is not a directory`);
  if (!existsSync(path.join(dir, file))) throw new CliError(`no ${file} in ${dir}`);
}

async function build(dir: string, opts: BuildOptions): Promise<void> {
  checkContext(dir, opts.file);
  // loaded here, not at the top: dockerode and its transports cost every other command start-up time
  const [{ default: Docker }, { DOCKER_API_VERSION }] = await Promise.all([import('dockerode'), import('../../runtime/docker/index.js')]);
  const docker = new Docker({ version: DOCKER_API_VERSION });
  const out = opts.json ? process.stderr : process.stdout;
  let stream: NodeJS.ReadableStream;
  try {
    // dockerode packs the listed entries (directories recursively, honouring .dockerignore) with tar-fs
    // forcerm: a failed step's container is removed too, so failed builds leave nothing behind
    stream = await docker.buildImage({ context: dir, src: readdirSync(dir) }, { t: opts.tag, dockerfile: opts.file, forcerm: true });
  } catch (err) {
    throw dockerError(err);
  }
  const imageId = await followBuild(docker, stream, (line) => out.write(line));
  if (opts.json) printJson({ image: opts.tag, imageId });
  else process.stdout.write(`built ${opts.tag}${imageId ? ` (${imageId})` : ''}\n`);
}

/** Streams the build's output; resolves with the image id, rejects with the build's error. */
function followBuild(docker: Dockerode, stream: NodeJS.ReadableStream, write: (text: string) => void): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let imageId: string | undefined;
    let failure: string | undefined;
    const onEvent = (e: BuildEvent): void => {
      if (e.stream) write(e.stream);
      else if (e.status) write(`${e.status}\n`);
      if (e.aux?.ID) imageId = e.aux.ID;
      if (e.error) failure = e.errorDetail?.message ?? e.error;
    };
    docker.modem.followProgress(
      stream,
      (err: Error | null) => {
        if (err) reject(dockerError(err));
        else if (failure) reject(new CliError(`build failed: ${failure.trim()}`));
        else resolve(imageId);
      },
      onEvent,
    );
  });
}

/** Docker's errors as one line: an engine that is not there, or what the engine answered. */
function dockerError(err: unknown): CliError {
  const code = (err as { code?: unknown }).code;
  if (code === 'ENOENT' || code === 'ECONNREFUSED') {
    const where = process.env['DOCKER_HOST'] ?? '/var/run/docker.sock';
    return new CliError(`no Docker Engine answers at ${where}: start dockerd (scripts/setup.sh does)`);
  }
  const json = (err as { json?: { message?: string } }).json;
  return new CliError(`build failed: ${json?.message ?? (err instanceof Error ? err.message : String(err))}`);
}
