import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand, paginateListTaskDefinitions } from '@aws-sdk/client-ecs';
import { afterAll, describe, expect, it } from 'vitest';
import { ecsClient } from '../helpers/sdk.js';
import { startSkiff, tempDataDir } from '../helpers/skiff-process.js';

const tmp = tempDataDir();
afterAll(() => tmp.cleanup());

function register(ecs: ReturnType<typeof ecsClient>, family: string, i: number): Promise<number | undefined> {
  return ecs
    .send(
      new RegisterTaskDefinitionCommand({
        family,
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'app', image: 'skiff-test/busybox:latest', environment: [{ name: 'N', value: String(i) }] }],
      }),
    )
    .then((r) => r.taskDefinition?.revision);
}

describe('kill -9 during a stream of registrations', () => {
  it('keeps every acknowledged revision, with no gaps or duplicates', async () => {
    const first = await startSkiff(tmp.dir);
    const ecs = ecsClient(first.endpoint);
    const acknowledged = new Map<number, number>(); // revision -> the N sent with it
    let sent = 0;
    let stop = false;
    // 4 concurrent writers, killed mid-stream after ~1.5 s of writes
    const writer = async (): Promise<void> => {
      while (!stop) {
        const i = sent++;
        try {
          const rev = await register(ecs, 'durable', i);
          if (rev !== undefined) acknowledged.set(rev, i);
        } catch {
          return; // the server died under us: this one was never acknowledged
        }
      }
    };
    const writers = Promise.all([writer(), writer(), writer(), writer()]);
    await new Promise((r) => setTimeout(r, 1500));
    await first.kill();
    stop = true;
    await writers;
    ecs.destroy();
    expect(acknowledged.size).toBeGreaterThan(10);

    const second = await startSkiff(tmp.dir);
    const ecs2 = ecsClient(second.endpoint);
    try {
      const arns: string[] = [];
      for await (const page of paginateListTaskDefinitions({ client: ecs2 }, { familyPrefix: 'durable' })) arns.push(...(page.taskDefinitionArns ?? []));
      const revisions = arns.map((a) => Number(a.split(':').pop()));
      // no duplicates, no gaps: exactly 1..n
      expect(revisions).toEqual(Array.from({ length: revisions.length }, (_, k) => k + 1));
      // every acknowledged revision is there, with the content it was acknowledged for
      for (const [rev, n] of acknowledged) {
        expect(revisions).toContain(rev);
        const td = await ecs2.send(new DescribeTaskDefinitionCommand({ taskDefinition: `durable:${rev}` }));
        expect(td.taskDefinition?.containerDefinitions?.[0]?.environment).toEqual([{ name: 'N', value: String(n) }]);
      }
      // and numbering carries on after the restart
      expect(await register(ecs2, 'durable', -1)).toBe(revisions.length + 1);
      const latest = await ecs2.send(new ListTaskDefinitionsCommand({ familyPrefix: 'durable', sort: 'DESC', maxResults: 1 }));
      expect(latest.taskDefinitionArns?.[0]).toMatch(new RegExp(`durable:${revisions.length + 1}$`));
    } finally {
      ecs2.destroy();
      await second.stop();
    }
  });
});
