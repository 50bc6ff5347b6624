/**
 * Making a task's image available: present locally, else one bounded pull. Registries are
 * often unreachable (always, on Skiff's build machines), so a pull must fail within
 * seconds, with the reason Docker gave, rather than hang a task in PENDING. The bound is
 * on silence, not on the whole pull: a large image that keeps reporting progress may take
 * as long as it needs.
 */
import type Dockerode from 'dockerode';
import { ImagePullError } from '../contract.js';
import { dockerMessage, dockerStatus, jsonLines, progressError } from './util.js';

/** Longest a pull may go without a word from Docker. */
export const PULL_TIMEOUT_MS = 15_000;

/**
 * The fully qualified reference, as the ECS agent names it in its errors
 * ("nginx" → "docker.io/library/nginx:latest").
 */
export function qualifiedReference(image: string): string {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  let ref = hasRegistry ? image : `docker.io/${slash < 0 ? 'library/' : ''}${image}`;
  const lastPart = ref.slice(ref.lastIndexOf('/') + 1);
  if (!lastPart.includes(':') && !lastPart.includes('@')) ref += ':latest';
  return ref;
}

/** AWS's wording (the caller prefixes "CannotPullContainerError: "). */
export function pullErrorMessage(image: string, reason: string): string {
  return `pull image manifest has been retried 1 time(s): failed to resolve ref ${qualifiedReference(image)}: ${reason}`;
}

export async function ensureImage(docker: Dockerode, image: string, timeoutMs = PULL_TIMEOUT_MS): Promise<void> {
  try {
    await docker.getImage(image).inspect();
    return;
  } catch (err) {
    if (dockerStatus(err) !== 404) throw new ImagePullError(pullErrorMessage(image, dockerMessage(err)), { cause: err });
  }
  const abort = new AbortController();
  let timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const stream = await docker.pull(image, { abortSignal: abort.signal });
    // a pull that fails midway still answers 200; the failure is a progress document
    for await (const doc of jsonLines(stream)) {
      const error = progressError(doc);
      if (error !== undefined) throw new ImagePullError(pullErrorMessage(image, error));
      clearTimeout(timer);
      timer = setTimeout(() => abort.abort(), timeoutMs);
    }
  } catch (err) {
    if (err instanceof ImagePullError) throw err;
    const reason = abort.signal.aborted ? `no answer from the registry for ${timeoutMs / 1000} s` : dockerMessage(err);
    throw new ImagePullError(pullErrorMessage(image, reason), { cause: err });
  } finally {
    clearTimeout(timer);
  }
}
