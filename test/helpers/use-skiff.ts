import type { ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll } from 'vitest';
import { ecsClient } from './sdk.js';
import { startSkiff, tempDataDir, type SkiffProcess } from './skiff-process.js';

export interface SkiffFixture {
  /** The running `skiff up` (set in beforeAll). */
  readonly skiff: SkiffProcess;
  /** An SDK v3 ECS client pointed at it. */
  readonly ecs: ECSClient;
}

/** One `skiff up` for the whole test file, on a fresh data directory, stopped after it. */
export function useSkiff(extraArgs: string[] = []): SkiffFixture {
  const env = {} as { skiff: SkiffProcess; ecs: ECSClient; cleanup: () => void };
  beforeAll(async () => {
    const tmp = tempDataDir();
    env.cleanup = tmp.cleanup;
    env.skiff = await startSkiff(tmp.dir, extraArgs);
    env.ecs = ecsClient(env.skiff.endpoint);
  });
  afterAll(async () => {
    env.ecs?.destroy();
    await env.skiff?.stop();
    env.cleanup?.();
  });
  return env;
}
