import { spawnSync } from 'node:child_process';
import { StopTaskCommand } from '@aws-sdk/client-ecs';
import { afterAll, describe, expect, it } from 'vitest';
import { ecsClient } from '../helpers/sdk.js';
import { startSkiff, tempDataDir } from '../helpers/skiff-process.js';
import { describe1, register, run, running, stopped, waitFor } from '../helpers/tasks.js';

const tmp = tempDataDir();
afterAll(() => tmp.cleanup());

describe('kill -9 of skiff up with tasks running', () => {
  it('loses none of them: running ones are adopted, exits meanwhile recorded, stops complete', async () => {
    const first = await startSkiff(tmp.dir);
    const ecs = ecsClient(first.endpoint);
    const longTd = await register(ecs, [{ name: 'server', command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'] }]);
    const shortTd = await register(ecs, [{ name: 'job', command: ['sh', '-c', 'sleep 4; exit 5'] }]);
    const long = await run(ecs, longTd);
    const short = await run(ecs, shortTd);
    const longRunning = await waitFor(ecs, long.taskArn ?? '', running);
    await waitFor(ecs, short.taskArn ?? '', running);
    // a stop in progress when the server dies must complete after the restart
    const stopping = await run(ecs, longTd);
    await waitFor(ecs, stopping.taskArn ?? '', running);
    await ecs.send(new StopTaskCommand({ task: stopping.taskArn }));
    await first.kill();
    ecs.destroy();

    // while skiff is down the job exits
    const shortId = short.taskArn?.split('/').pop() ?? '';
    await waitForDocker(() => dockerState(shortId) === 'exited');

    const second = await startSkiff(tmp.dir);
    const ecs2 = ecsClient(second.endpoint);
    try {
      const adopted = await describe1(ecs2, long.taskArn ?? '');
      expect(adopted.lastStatus).toBe('RUNNING');
      expect(adopted.containers?.[0]?.runtimeId).toBe(longRunning.containers?.[0]?.runtimeId);
      const job = await waitFor(ecs2, short.taskArn ?? '', stopped);
      expect(job.stopCode).toBe('EssentialContainerExited');
      expect(job.containers?.[0]?.exitCode).toBe(5);
      const stoppedOne = await waitFor(ecs2, stopping.taskArn ?? '', stopped);
      expect(stoppedOne.stopCode).toBe('UserInitiated');
      await ecs2.send(new StopTaskCommand({ task: long.taskArn }));
      const done = await waitFor(ecs2, long.taskArn ?? '', stopped);
      expect(done.containers?.[0]?.exitCode).toBe(0);
    } finally {
      ecs2.destroy();
      await second.stop();
    }
  });
});

function dockerState(taskId: string): string {
  const r = spawnSync('docker', ['ps', '-a', '--filter', `label=dev.skiff.task=${taskId}`, '--filter', 'label=dev.skiff.container=job', '--format', '{{.State}}'], {
    encoding: 'utf8',
  });
  return r.stdout.trim();
}

async function waitForDocker(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 120 && !cond(); i++) await new Promise((r) => setTimeout(r, 250));
  expect(cond()).toBe(true);
}
