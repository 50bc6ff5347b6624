import path from 'node:path';
import {
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { awsCli } from '../helpers/aws-cli.js';
import { useSkiff } from '../helpers/use-skiff.js';
import { INVALID_CASES, validBase } from './invalid-task-definitions.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

const env = useSkiff();

describe('task definitions through AWS CLI v2', () => {
  it('registers the seed article\'s --cli-input-json file and describes, lists and deregisters it', () => {
    const reg = awsCli(env.skiff.endpoint, ['ecs', 'register-task-definition', '--cli-input-json', 'file://bean-counter-task-definition.json'], FIXTURES);
    expect(reg.status, reg.stderr).toBe(0);
    const td = (reg.json as { taskDefinition: Record<string, unknown> }).taskDefinition;
    expect(td).toMatchObject({
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/bean-counter-service-task:1',
      family: 'bean-counter-service-task',
      revision: 1,
      status: 'ACTIVE',
      cpu: '256',
      memory: '1024',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      compatibilities: expect.arrayContaining(['FARGATE']),
      executionRoleArn: 'arn:aws:iam::000000000000:role/my-ecs-tasks-role',
    });
    expect(typeof td['registeredAt']).toBe('string'); // the CLI renders the epoch seconds as a date
    expect(td['requiresAttributes']).toEqual(
      expect.arrayContaining([{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }, { name: 'ecs.capability.task-eni' }]),
    );
    expect((td['containerDefinitions'] as Array<Record<string, unknown>>)[0]).toMatchObject({
      name: 'bean-counter-container',
      essential: true,
      portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
    });

    const again = awsCli(env.skiff.endpoint, ['ecs', 'register-task-definition', '--cli-input-json', 'file://bean-counter-task-definition.json'], FIXTURES);
    expect((again.json as { taskDefinition: { revision: number } }).taskDefinition.revision).toBe(2);

    const described = awsCli(env.skiff.endpoint, ['ecs', 'describe-task-definition', '--task-definition', 'bean-counter-service-task']);
    expect((described.json as { taskDefinition: { revision: number } }).taskDefinition.revision).toBe(2);

    const listed = awsCli(env.skiff.endpoint, ['ecs', 'list-task-definitions', '--family-prefix', 'bean-counter-service-task']);
    expect((listed.json as { taskDefinitionArns: string[] }).taskDefinitionArns).toEqual([
      'arn:aws:ecs:us-east-1:000000000000:task-definition/bean-counter-service-task:1',
      'arn:aws:ecs:us-east-1:000000000000:task-definition/bean-counter-service-task:2',
    ]);

    const dereg = awsCli(env.skiff.endpoint, ['ecs', 'deregister-task-definition', '--task-definition', 'bean-counter-service-task:2']);
    expect(dereg.json).toMatchObject({ taskDefinition: { status: 'INACTIVE', revision: 2 } });
    const latest = awsCli(env.skiff.endpoint, ['ecs', 'describe-task-definition', '--task-definition', 'bean-counter-service-task']);
    expect((latest.json as { taskDefinition: { revision: number } }).taskDefinition.revision).toBe(1);
  });

  it('prints the named exception for an invalid definition', () => {
    const r = awsCli(env.skiff.endpoint, [
      'ecs', 'register-task-definition', '--family', 'cli-bad', '--requires-compatibilities', 'FARGATE',
      '--network-mode', 'awsvpc', '--cpu', '256', '--memory', '4096',
      '--container-definitions', JSON.stringify([{ name: 'a', image: 'x' }]),
    ]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('(ClientException)');
    expect(r.stderr).toMatch(/No Fargate configuration exists for given values/);
  });
});

describe('task definitions through AWS SDK v3', () => {
  it('accepts "1 vCPU" / "2 GB" and returns them as units', async () => {
    const out = await env.ecs.send(new RegisterTaskDefinitionCommand({ ...validBase('units'), cpu: '1 vCPU', memory: '2 GB' }));
    expect(out.taskDefinition).toMatchObject({ cpu: '1024', memory: '2048', revision: 1 });
  });

  it('describes by family, family:revision and ARN, with tags on request', async () => {
    const reg = await env.ecs.send(new RegisterTaskDefinitionCommand({ ...validBase('tagged'), tags: [{ key: 'team', value: 'core' }] }));
    const arn = reg.taskDefinition?.taskDefinitionArn ?? '';
    for (const ref of ['tagged', 'tagged:1', arn]) {
      const d = await env.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref }));
      expect(d.taskDefinition?.taskDefinitionArn).toBe(arn);
      expect(d.tags).toBeUndefined();
    }
    const withTags = await env.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'tagged', include: ['TAGS'] }));
    expect(withTags.tags).toEqual([{ key: 'team', value: 'core' }]);
    expect(withTags.taskDefinition?.registeredAt).toBeInstanceOf(Date);
  });

  it('lists with status, sort and pagination, and lists families', async () => {
    for (let i = 0; i < 5; i++) await env.ecs.send(new RegisterTaskDefinitionCommand(validBase('paged')));
    await env.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'paged:2' }));
    const desc = await env.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'paged', sort: 'DESC', maxResults: 2 }));
    expect(desc.taskDefinitionArns?.map((a) => a.split(':').pop())).toEqual(['5', '4']);
    const rest = await env.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'paged', sort: 'DESC', nextToken: desc.nextToken }));
    expect(rest.taskDefinitionArns?.map((a) => a.split(':').pop())).toEqual(['3', '1']);
    const inactive = await env.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'paged', status: 'INACTIVE' }));
    expect(inactive.taskDefinitionArns?.map((a) => a.split(':').pop())).toEqual(['2']);

    await env.ecs.send(new RegisterTaskDefinitionCommand(validBase('gone')));
    await env.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'gone:1' }));
    const active = await env.ecs.send(new ListTaskDefinitionFamiliesCommand({ status: 'ACTIVE' }));
    expect(active.families).toContain('paged');
    expect(active.families).not.toContain('gone');
    const inactiveFamilies = await env.ecs.send(new ListTaskDefinitionFamiliesCommand({ status: 'INACTIVE', familyPrefix: 'go' }));
    expect(inactiveFamilies.families).toEqual(['gone']);
  });

  it('deletes only INACTIVE revisions', async () => {
    await env.ecs.send(new RegisterTaskDefinitionCommand(validBase('del')));
    await env.ecs.send(new RegisterTaskDefinitionCommand(validBase('del')));
    await env.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'del:1' }));
    const out = await env.ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: ['del:1', 'del:2', 'del:9'] }));
    expect(out.taskDefinitions?.map((t) => [t.revision, t.status])).toEqual([[1, 'DELETE_IN_PROGRESS']]);
    expect(out.failures?.map((f) => f.reason)).toEqual([
      expect.stringMatching(/still in ACTIVE status/),
      expect.stringMatching(/does not exist/),
    ]);
    // revision numbers are never reused
    expect((await env.ecs.send(new RegisterTaskDefinitionCommand(validBase('del')))).taskDefinition?.revision).toBe(3);
  });

  it.each(INVALID_CASES.filter((c) => !c.rawOnly).map((c) => [c.name, c] as const))('refuses %s with the named exception', async (_name, c) => {
    const input = c.input() as unknown as RegisterTaskDefinitionCommandInput;
    const err = await env.ecs.send(new RegisterTaskDefinitionCommand(input)).then(
      () => undefined,
      (e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode: number } },
    );
    expect(err, 'the request was accepted').toBeDefined();
    expect(err?.name).toBe(c.code);
    expect(err?.message).toMatch(c.message);
    expect(err?.$metadata.httpStatusCode).toBe(400);
    // and nothing was stored
    const fam = input.family;
    if (fam) {
      await expect(env.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: fam }))).rejects.toMatchObject({ name: 'ClientException' });
    }
  });

  it('has at least 30 invalid cases', () => {
    expect(INVALID_CASES.length).toBeGreaterThanOrEqual(30);
  });
});

describe('the invalid table over raw HTTP', () => {
  it.each(INVALID_CASES.filter((c) => c.rawOnly).map((c) => [c.name, c] as const))('refuses %s', async (_name, c) => {
    const res = await fetch(env.skiff.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition' },
      body: JSON.stringify(c.input()),
    });
    const body = (await res.json()) as { __type: string; message: string };
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe(c.code);
    expect(body.__type).toBe(c.code);
    expect(body.message).toMatch(c.message);
  });
});

describe('the invalid table through AWS CLI v2', () => {
  it('prints each named exception', async () => {
    const { awsCliAsync } = await import('../helpers/aws-cli.js');
    const results = await Promise.all(
      INVALID_CASES.map(async (c) => {
        const r = await awsCliAsync(env.skiff.endpoint, ['ecs', 'register-task-definition', '--cli-input-json', JSON.stringify(c.input())]);
        return { c, r };
      }),
    );
    for (const { c, r } of results) {
      expect(r.status, c.name).not.toBe(0);
      // the CLI validates some shapes itself; then it prints ParamValidation instead of calling us
      if (c.cliValidates) expect(r.stderr, c.name).toMatch(/Parameter validation failed|Invalid type/);
      else expect(r.stderr, c.name).toContain(`(${c.code})`);
    }
  });
});

