import {
  ClusterNotFoundException,
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  InvalidParameterException,
  ListClustersCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateClusterSettingsCommand,
  paginateListClusters,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from '../helpers/aws-cli.js';
import { ecsClient } from '../helpers/sdk.js';
import { startSkiff, tempDataDir, type SkiffProcess } from '../helpers/skiff-process.js';

let skiff: SkiffProcess;
let cleanup: () => void;
let ecs: ReturnType<typeof ecsClient>;

beforeAll(async () => {
  const tmp = tempDataDir();
  cleanup = tmp.cleanup;
  skiff = await startSkiff(tmp.dir);
  ecs = ecsClient(skiff.endpoint);
});

afterAll(async () => {
  ecs.destroy();
  await skiff.stop();
  cleanup();
});

describe('ECS clusters through AWS SDK v3', () => {
  it('has the default cluster from the start', async () => {
    const out = await ecs.send(new DescribeClustersCommand({}));
    expect(out.clusters?.[0]).toMatchObject({
      clusterName: 'default',
      clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
      status: 'ACTIVE',
    });
  });

  it('creates, describes with tags and settings, and is idempotent by name', async () => {
    const created = await ecs.send(new CreateClusterCommand({ clusterName: 'sdk-one', tags: [{ key: 'team', value: 'a' }] }));
    expect(created.cluster).toMatchObject({ clusterName: 'sdk-one', status: 'ACTIVE', runningTasksCount: 0 });
    const again = await ecs.send(new CreateClusterCommand({ clusterName: 'sdk-one' }));
    expect(again.cluster?.clusterArn).toBe(created.cluster?.clusterArn);
    const described = await ecs.send(new DescribeClustersCommand({ clusters: ['sdk-one', 'nope'], include: ['TAGS', 'SETTINGS'] }));
    expect(described.clusters?.[0]?.tags).toEqual([{ key: 'team', value: 'a' }]);
    expect(described.clusters?.[0]?.settings).toEqual([{ name: 'containerInsights', value: 'disabled' }]);
    expect(described.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/nope', reason: 'MISSING' }]);
  });

  it('pages through clusters with nextToken and maxResults', async () => {
    for (let i = 0; i < 7; i++) await ecs.send(new CreateClusterCommand({ clusterName: `page-${i}` }));
    const first = await ecs.send(new ListClustersCommand({ maxResults: 3 }));
    expect(first.clusterArns).toHaveLength(3);
    expect(first.nextToken).toBeDefined();
    const all: string[] = [];
    for await (const page of paginateListClusters({ client: ecs, pageSize: 2 }, {})) all.push(...(page.clusterArns ?? []));
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((a) => a.includes('/page-'))).toHaveLength(7);
    expect(all).toEqual([...all].sort());
  });

  it('updates settings and deletes to INACTIVE', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'sdk-two' }));
    const updated = await ecs.send(
      new UpdateClusterSettingsCommand({ cluster: 'sdk-two', settings: [{ name: 'containerInsights', value: 'enabled' }] }),
    );
    expect(updated.cluster?.settings).toEqual([{ name: 'containerInsights', value: 'enabled' }]);
    const deleted = await ecs.send(new DeleteClusterCommand({ cluster: 'arn:aws:ecs:us-east-1:000000000000:cluster/sdk-two' }));
    expect(deleted.cluster?.status).toBe('INACTIVE');
    const listed = await ecs.send(new ListClustersCommand({}));
    expect(listed.clusterArns).not.toContain(deleted.cluster?.clusterArn);
    const described = await ecs.send(new DescribeClustersCommand({ clusters: ['sdk-two'] }));
    expect(described.clusters?.[0]?.status).toBe('INACTIVE');
    await expect(ecs.send(new DeleteClusterCommand({ cluster: 'sdk-two' }))).rejects.toBeInstanceOf(ClusterNotFoundException);
  });

  it('tags and untags a cluster within the limits', async () => {
    const { cluster } = await ecs.send(new CreateClusterCommand({ clusterName: 'tagged' }));
    const resourceArn = cluster?.clusterArn ?? '';
    await ecs.send(new TagResourceCommand({ resourceArn, tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] }));
    await ecs.send(new UntagResourceCommand({ resourceArn, tagKeys: ['a'] }));
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toEqual([{ key: 'b', value: '2' }]);
    const tooMany = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    await expect(ecs.send(new TagResourceCommand({ resourceArn, tags: tooMany }))).rejects.toBeInstanceOf(InvalidParameterException);
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toHaveLength(1);
    await expect(
      ecs.send(new TagResourceCommand({ resourceArn, tags: [{ key: 'aws:reserved', value: 'x' }] })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('refuses invalid names with InvalidParameterException', async () => {
    await expect(ecs.send(new CreateClusterCommand({ clusterName: 'bad name!' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringMatching(/letters .*numbers, underscores and hyphens/),
    });
  });
});

describe('ECS clusters through AWS CLI v2', () => {
  it('runs the create/describe/list/delete script of the seed article', () => {
    const created = awsCli(skiff.endpoint, ['ecs', 'create-cluster', '--cluster-name', 'tom-thumb-cluster']);
    expect(created.status, created.stderr).toBe(0);
    expect(created.json).toMatchObject({ cluster: { clusterName: 'tom-thumb-cluster', status: 'ACTIVE' } });
    const listed = awsCli(skiff.endpoint, ['ecs', 'list-clusters']);
    expect((listed.json as { clusterArns: string[] }).clusterArns).toContain(
      'arn:aws:ecs:us-east-1:000000000000:cluster/tom-thumb-cluster',
    );
    const deleted = awsCli(skiff.endpoint, ['ecs', 'delete-cluster', '--cluster', 'tom-thumb-cluster']);
    expect(deleted.json).toMatchObject({ cluster: { status: 'INACTIVE' } });
  });

  it('prints the named exception for a missing cluster', () => {
    const r = awsCli(skiff.endpoint, ['ecs', 'delete-cluster', '--cluster', 'never-made']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('(ClusterNotFoundException)');
  });
});
