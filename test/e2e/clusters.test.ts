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
import { describe, expect, it } from 'vitest';
import { awsCli } from '../helpers/aws-cli.js';
import { register } from '../helpers/tasks.js';
import { useSkiff } from '../helpers/use-skiff.js';

const env = useSkiff();

describe('ECS clusters through AWS SDK v3', () => {
  it('has the default cluster from the start', async () => {
    const out = await env.ecs.send(new DescribeClustersCommand({}));
    expect(out.clusters?.[0]).toMatchObject({
      clusterName: 'default',
      clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
      status: 'ACTIVE',
    });
  });

  it('creates, describes with tags and settings, and is idempotent by name', async () => {
    const created = await env.ecs.send(new CreateClusterCommand({ clusterName: 'sdk-one', tags: [{ key: 'team', value: 'a' }] }));
    expect(created.cluster).toMatchObject({ clusterName: 'sdk-one', status: 'ACTIVE', runningTasksCount: 0 });
    const again = await env.ecs.send(new CreateClusterCommand({ clusterName: 'sdk-one' }));
    expect(again.cluster?.clusterArn).toBe(created.cluster?.clusterArn);
    const described = await env.ecs.send(new DescribeClustersCommand({ clusters: ['sdk-one', 'nope'], include: ['TAGS', 'SETTINGS'] }));
    expect(described.clusters?.[0]?.tags).toEqual([{ key: 'team', value: 'a' }]);
    expect(described.clusters?.[0]?.settings).toEqual([{ name: 'containerInsights', value: 'disabled' }]);
    expect(described.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/nope', reason: 'MISSING' }]);
  });

  it('pages through clusters with nextToken and maxResults', async () => {
    for (let i = 0; i < 7; i++) await env.ecs.send(new CreateClusterCommand({ clusterName: `page-${i}` }));
    const first = await env.ecs.send(new ListClustersCommand({ maxResults: 3 }));
    expect(first.clusterArns).toHaveLength(3);
    expect(first.nextToken).toBeDefined();
    const all: string[] = [];
    for await (const page of paginateListClusters({ client: env.ecs, pageSize: 2 }, {})) all.push(...(page.clusterArns ?? []));
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((a) => a.includes('/page-'))).toHaveLength(7);
    expect(all).toEqual([...all].sort());
  });

  it('updates settings and deletes to INACTIVE', async () => {
    await env.ecs.send(new CreateClusterCommand({ clusterName: 'sdk-two' }));
    const updated = await env.ecs.send(
      new UpdateClusterSettingsCommand({ cluster: 'sdk-two', settings: [{ name: 'containerInsights', value: 'enabled' }] }),
    );
    expect(updated.cluster?.settings).toEqual([{ name: 'containerInsights', value: 'enabled' }]);
    const deleted = await env.ecs.send(new DeleteClusterCommand({ cluster: 'arn:aws:ecs:us-east-1:000000000000:cluster/sdk-two' }));
    expect(deleted.cluster?.status).toBe('INACTIVE');
    const listed = await env.ecs.send(new ListClustersCommand({}));
    expect(listed.clusterArns).not.toContain(deleted.cluster?.clusterArn);
    const described = await env.ecs.send(new DescribeClustersCommand({ clusters: ['sdk-two'] }));
    expect(described.clusters?.[0]?.status).toBe('INACTIVE');
    await expect(env.ecs.send(new DeleteClusterCommand({ cluster: 'sdk-two' }))).rejects.toBeInstanceOf(ClusterNotFoundException);
  });

  it('tags and untags a cluster within the limits', async () => {
    const { cluster } = await env.ecs.send(new CreateClusterCommand({ clusterName: 'tagged' }));
    const resourceArn = cluster?.clusterArn ?? '';
    await env.ecs.send(new TagResourceCommand({ resourceArn, tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] }));
    await env.ecs.send(new UntagResourceCommand({ resourceArn, tagKeys: ['a'] }));
    expect((await env.ecs.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toEqual([{ key: 'b', value: '2' }]);
    const tooMany = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    await expect(env.ecs.send(new TagResourceCommand({ resourceArn, tags: tooMany }))).rejects.toBeInstanceOf(InvalidParameterException);
    expect((await env.ecs.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toHaveLength(1);
    await expect(
      env.ecs.send(new TagResourceCommand({ resourceArn, tags: [{ key: 'aws:reserved', value: 'x' }] })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('refuses invalid names with InvalidParameterException', async () => {
    await expect(env.ecs.send(new CreateClusterCommand({ clusterName: 'bad name!' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringMatching(/letters .*numbers, underscores and hyphens/),
    });
  });
});

describe('ECS clusters through AWS CLI v2', () => {
  it('runs the create/describe/list/delete script of the seed article', () => {
    const created = awsCli(env.skiff.endpoint, ['ecs', 'create-cluster', '--cluster-name', 'tom-thumb-cluster']);
    expect(created.status, created.stderr).toBe(0);
    expect(created.json).toMatchObject({ cluster: { clusterName: 'tom-thumb-cluster', status: 'ACTIVE' } });
    const listed = awsCli(env.skiff.endpoint, ['ecs', 'list-clusters']);
    expect((listed.json as { clusterArns: string[] }).clusterArns).toContain(
      'arn:aws:ecs:us-east-1:000000000000:cluster/tom-thumb-cluster',
    );
    const deleted = awsCli(env.skiff.endpoint, ['ecs', 'delete-cluster', '--cluster', 'tom-thumb-cluster']);
    expect(deleted.json).toMatchObject({ cluster: { status: 'INACTIVE' } });
  });

  it('lists no container instances in a Fargate cluster', () => {
    const listed = awsCli(env.skiff.endpoint, ['ecs', 'list-container-instances']);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.json).toEqual({ containerInstanceArns: [] });
    const described = awsCli(env.skiff.endpoint, ['ecs', 'describe-container-instances', '--container-instances', 'ci-1']);
    expect(described.json).toMatchObject({ containerInstances: [], failures: [{ arn: 'ci-1', reason: 'MISSING' }] });
    expect(awsCli(env.skiff.endpoint, ['ecs', 'list-container-instances', '--cluster', 'never-made']).stderr).toContain('(ClusterNotFoundException)');
  });

  it('prints the named exception for a missing cluster', () => {
    const r = awsCli(env.skiff.endpoint, ['ecs', 'delete-cluster', '--cluster', 'never-made']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('(ClusterNotFoundException)');
  });
});

describe('Fargate capacity providers through AWS CLI v2', () => {
  const cli = (...args: string[]): ReturnType<typeof awsCli> => awsCli(env.skiff.endpoint, args);

  it('associates FARGATE and FARGATE_SPOT, and tasks without a launch type follow the default strategy', async () => {
    expect(cli('ecs', 'create-cluster', '--cluster-name', 'spot').status).toBe(0);
    const put = cli('ecs', 'put-cluster-capacity-providers', '--cluster', 'spot', '--capacity-providers', 'FARGATE', 'FARGATE_SPOT',
      '--default-capacity-provider-strategy', 'capacityProvider=FARGATE,base=1,weight=1', 'capacityProvider=FARGATE_SPOT,weight=3');
    expect(put.status, put.stderr).toBe(0);
    expect(put.json).toMatchObject({ cluster: { capacityProviders: ['FARGATE', 'FARGATE_SPOT'], defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', base: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 3 }] } });
    const described = cli('ecs', 'describe-capacity-providers');
    expect((described.json as { capacityProviders: Array<{ name: string; status: string }> }).capacityProviders.map((p) => [p.name, p.status])).toEqual([
      ['FARGATE', 'ACTIVE'],
      ['FARGATE_SPOT', 'ACTIVE'],
    ]);
    const td = await register(env.ecs, [{ name: 'app', command: ['sleep', '30'], stopTimeout: 1 }]);
    const run = cli('ecs', 'run-task', '--cluster', 'spot', '--task-definition', td, '--count', '4', '--network-configuration', 'awsvpcConfiguration={subnets=[subnet-1]}');
    expect(run.status, run.stderr).toBe(0);
    const tasks = (run.json as { tasks: Array<{ taskArn: string; launchType?: string; capacityProviderName: string }> }).tasks;
    // the base first, then 3 to 1 by weight
    expect(tasks.map((t) => t.capacityProviderName).sort()).toEqual(['FARGATE', 'FARGATE_SPOT', 'FARGATE_SPOT', 'FARGATE_SPOT']);
    expect(tasks.every((t) => t.launchType === undefined)).toBe(true);
    // a provider still used by a task cannot be taken away
    const drop = cli('ecs', 'put-cluster-capacity-providers', '--cluster', 'spot', '--capacity-providers', 'FARGATE', '--default-capacity-provider-strategy', '[]');
    expect(drop.status).not.toBe(0);
    expect(drop.stderr).toContain('(ResourceInUseException)');
    for (const t of tasks) expect(cli('ecs', 'stop-task', '--cluster', 'spot', '--task', t.taskArn).status).toBe(0);
  });

  it('refuses a strategy naming a provider the cluster does not have, and a provider that does not exist', () => {
    expect(cli('ecs', 'create-cluster', '--cluster-name', 'plain').status).toBe(0);
    const unassociated = cli('ecs', 'put-cluster-capacity-providers', '--cluster', 'plain', '--capacity-providers', 'FARGATE',
      '--default-capacity-provider-strategy', 'capacityProvider=FARGATE_SPOT,weight=1');
    expect(unassociated.stderr).toMatch(/\(InvalidParameterException\).*not associated with the cluster/);
    const unknown = cli('ecs', 'put-cluster-capacity-providers', '--cluster', 'plain', '--capacity-providers', 'my-asg', '--default-capacity-provider-strategy', '[]');
    expect(unknown.stderr).toMatch(/\(InvalidParameterException\).*'my-asg' does not exist/);
    const described = cli('ecs', 'describe-clusters', '--clusters', 'plain');
    expect((described.json as { clusters: Array<{ capacityProviders: string[] }> }).clusters[0]?.capacityProviders).toEqual([]);
  });
});

describe('ECS account settings through AWS CLI v2', () => {
  const cli = (...args: string[]): ReturnType<typeof awsCli> => awsCli(env.skiff.endpoint, args);
  const effective = (name: string): { value: string } =>
    (cli('ecs', 'list-account-settings', '--name', name, '--effective-settings').json as { settings: Array<{ value: string }> }).settings[0]!;

  it('keeps settings per principal and as defaults; new clusters get containerInsights from them', () => {
    expect(effective('containerInsights').value).toBe('disabled');
    const put = cli('ecs', 'put-account-setting-default', '--name', 'containerInsights', '--value', 'enabled');
    expect(put.status, put.stderr).toBe(0);
    expect(put.json).toMatchObject({ setting: { name: 'containerInsights', value: 'enabled', principalArn: 'arn:aws:iam::000000000000:root' } });
    expect(effective('containerInsights').value).toBe('enabled');
    const cluster = cli('ecs', 'create-cluster', '--cluster-name', 'insights');
    expect((cluster.json as { cluster: { settings: unknown } }).cluster.settings).toEqual([{ name: 'containerInsights', value: 'enabled' }]);
    // the caller's own setting wins over the default, and deleting it falls back
    expect(cli('ecs', 'put-account-setting', '--name', 'containerInsights', '--value', 'enhanced').status).toBe(0);
    expect(effective('containerInsights').value).toBe('enhanced');
    const own = cli('ecs', 'list-account-settings').json as { settings: Array<{ name: string; value: string }> };
    expect(own.settings.map((s) => [s.name, s.value])).toEqual([['containerInsights', 'enhanced']]);
    expect(cli('ecs', 'delete-account-setting', '--name', 'containerInsights').status).toBe(0);
    expect(effective('containerInsights').value).toBe('enabled');
    expect(cli('ecs', 'put-account-setting-default', '--name', 'containerInsights', '--value', 'disabled').status).toBe(0);
  });

  it('refuses unknown settings and values, naming what is allowed', () => {
    const unknown = cli('ecs', 'put-account-setting', '--name', 'fargateFIPSMode', '--value', 'maybe');
    expect(unknown.stderr).toMatch(/\(InvalidParameterException\).*must be one of disabled, enabled/);
    const arns = cli('ecs', 'put-account-setting', '--name', 'taskLongArnFormat', '--value', 'disabled');
    expect(arns.stderr).toMatch(/long ARNs only/);
    expect(effective('taskLongArnFormat').value).toBe('enabled');
  });
});
