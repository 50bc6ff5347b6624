/**
 * The sandbox image `skiff/pause:<hash>`: FROM scratch holding only the hand-written pause
 * program. Built from an in-memory context, so it needs no registry and no files; the tag
 * is a hash of the context, so a changed program gets a new image and an old Skiff's image
 * is never mistaken for the current one.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { isPauseArch, pauseElf } from './pause-elf.js';
import { tar } from './tar.js';
import { dockerMessage, dockerStatus, jsonLines, progressError } from './util.js';

export const PAUSE_REPOSITORY = 'skiff/pause';

const DOCKERFILE = [
  'FROM scratch',
  'COPY pause /pause',
  'ENTRYPOINT ["/pause"]',
  'LABEL org.opencontainers.image.title="skiff/pause" org.opencontainers.image.description="Skiff task sandbox: holds the network namespace"',
  '',
].join('\n');

export interface PauseImage {
  tag: string;
  context: Buffer;
}

/** The image tag and build context for this machine's architecture. */
export function pauseImage(arch: string = process.arch): PauseImage {
  if (!isPauseArch(arch)) {
    throw new Error(`Skiff's sandbox image has no pause program for the ${arch} architecture (x64 and arm64 are supported)`);
  }
  const elf = pauseElf(arch);
  const dockerfile = Buffer.from(DOCKERFILE);
  const hash = createHash('sha256').update(elf).update(dockerfile).digest('hex').slice(0, 12);
  const context = tar([
    { name: 'Dockerfile', content: dockerfile, mode: 0o644 },
    { name: 'pause', content: elf, mode: 0o755 },
  ]);
  return { tag: `${PAUSE_REPOSITORY}:${hash}`, context };
}

/** Builds the pause image unless Docker already has it; returns its tag. */
export async function ensurePauseImage(docker: Dockerode, image: PauseImage = pauseImage()): Promise<string> {
  try {
    await docker.getImage(image.tag).inspect();
    return image.tag;
  } catch (err) {
    if (dockerStatus(err) !== 404) throw err;
  }
  let stream: NodeJS.ReadableStream;
  try {
    // `version: '1'`: the classic builder, which every engine has (BuildKit may be off)
    stream = await docker.buildImage(Readable.from([image.context]), { t: image.tag, rm: true, forcerm: true, version: '1' });
  } catch (err) {
    throw new Error(`could not build the sandbox image ${image.tag}: ${dockerMessage(err)}`, { cause: err });
  }
  for await (const doc of jsonLines(stream)) {
    const error = progressError(doc);
    if (error !== undefined) throw new Error(`could not build the sandbox image ${image.tag}: ${error}`);
  }
  return image.tag;
}
