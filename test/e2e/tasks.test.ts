import { spawnSync } from 'node:child_process';
import { ListTasksCommand, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { awsCli, awsCliAsync } from '../helpers/aws-cli.js';
import { useSkiff } from '../helpers/use-skiff.js';
import { NETWORK, describe1, register, run, running, stopped, waitFor } from '../helpers/tasks.js';

const env = useSkiff();

describe('tasks on real Docker', () => {
  it('runs a one-shot task to exit 0; aws ecs wait tasks-stopped returns', async () => {
    const td = await register(env.ecs, [{ name: 'job', command: ['sh', '-c', 'echo hello from the job; echo to stderr >&2'] }]);
    const task = await run(env.ecs, td);
    expect(task).toMatchObject({ lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING', launchType: 'FARGATE' });
    expect(task.taskArn).toMatch(/^arn:aws:ecs:us-east-1:000000000000:task\/default\/[0-9a-f]{32}$/);
    const wait = await awsCliAsync(env.skiff.endpoint, ['ecs', 'wait', 'tasks-stopped', '--tasks', task.taskArn ?? '']);
    expect(wait.status, wait.stderr).toBe(0);
    const done = await describe1(env.ecs, task.taskArn ?? '');
    expect(done).toMatchObject({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited' });
    expect(done.containers?.[0]).toMatchObject({ name: 'job', exitCode: 0, lastStatus: 'STOPPED' });
    for (const f of ['createdAt', 'pullStartedAt', 'pullStoppedAt', 'startedAt', 'stoppingAt', 'executionStoppedAt', 'stoppedAt'] as const) {
      expect(done[f], f).toBeInstanceOf(Date);
    }
    expect(done.stoppedAt!.getTime()).toBeGreaterThanOrEqual(done.startedAt!.getTime());

    // its output is in CloudWatch Logs under <prefix>/<container>/<task id>
    const family = td.split('/')[1]?.split(':')[0] ?? '';
    const taskId = task.taskArn?.split('/').pop() ?? '';
    const logs = awsCli(env.skiff.endpoint, [
      'logs', 'get-log-events', '--log-group-name', `/ecs/${family}`, '--log-stream-name', `ecs/job/${taskId}`, '--start-from-head',
    ]);
    expect(logs.status, logs.stderr).toBe(0);
    const messages = (logs.json as { events: Array<{ message: string }> }).events.map((e) => e.message);
    expect(messages).toEqual(expect.arrayContaining(['hello from the job', 'to stderr']));
  });

  it('gives containers the task metadata endpoint', async () => {
    const td = await register(env.ecs, [{ name: 'meta', command: ['sh', '-c', 'wget -q -O- "$ECS_CONTAINER_METADATA_URI_V4/task"'] }]);
    const task = await run(env.ecs, td);
    const done = await waitFor(env.ecs, task.taskArn ?? '', stopped);
    expect(done.containers?.[0]?.exitCode).toBe(0);
    const family = td.split('/')[1]?.split(':')[0] ?? '';
    const taskId = task.taskArn?.split('/').pop() ?? '';
    const logs = awsCli(env.skiff.endpoint, ['logs', 'get-log-events', '--log-group-name', `/ecs/${family}`, '--log-stream-name', `ecs/meta/${taskId}`, '--start-from-head']);
    const body = (logs.json as { events: Array<{ message: string }> }).events.map((e) => e.message).join('');
    const meta = JSON.parse(body) as { TaskARN: string; Containers: Array<{ Name: string }> };
    expect(meta.TaskARN).toBe(task.taskArn);
    expect(meta.Containers.map((c) => c.Name)).toEqual(['meta']);
  });

  it('stops the sidecars when the essential container exits', async () => {
    const td = await register(env.ecs, [
      { name: 'app', command: ['sh', '-c', 'sleep 1; exit 3'] },
      { name: 'sidecar', essential: false, command: ['sleep', '600'], stopTimeout: 2 },
    ]);
    const task = await run(env.ecs, td);
    const done = await waitFor(env.ecs, task.taskArn ?? '', stopped);
    expect(done.stopCode).toBe('EssentialContainerExited');
    expect(done.stoppedReason).toBe('Essential container in task exited');
    const byName = Object.fromEntries((done.containers ?? []).map((c) => [c.name, c]));
    expect(byName['app']?.exitCode).toBe(3);
    expect(byName['sidecar']?.lastStatus).toBe('STOPPED');
    expect([137, 143]).toContain(byName['sidecar']?.exitCode);
  });

  it('observes dependsOn SUCCESS and HEALTHY, and containers share localhost', async () => {
    const td = await register(env.ecs, [
      {
        name: 'web',
        essential: false,
        stopTimeout: 2, // busybox httpd as PID 1 ignores SIGTERM
        command: ['sh', '-c', 'mkdir -p /tmp/www && echo served-over-localhost > /tmp/www/index.html && sleep 2 && httpd -f -p 9000 -h /tmp/www'],
        healthCheck: { command: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:9000/ || exit 1'], interval: 5, timeout: 2, retries: 3 },
      },
      { name: 'init', essential: false, command: ['sh', '-c', 'exit 0'] },
      {
        name: 'app',
        command: ['sh', '-c', 'wget -q -O- http://127.0.0.1:9000/'],
        dependsOn: [{ containerName: 'web', condition: 'HEALTHY' }, { containerName: 'init', condition: 'SUCCESS' }],
      },
    ]);
    const task = await run(env.ecs, td);
    const done = await waitFor(env.ecs, task.taskArn ?? '', stopped, 90);
    const byName = Object.fromEntries((done.containers ?? []).map((c) => [c.name, c]));
    // app only ran after web was healthy: its request over localhost succeeded
    expect(byName['app']?.exitCode).toBe(0);
    expect(byName['init']?.exitCode).toBe(0);
    expect(done.stopCode).toBe('EssentialContainerExited');
  });

  it('fails the task when a SUCCESS dependency exits non-zero', async () => {
    const td = await register(env.ecs, [
      { name: 'init', essential: false, command: ['sh', '-c', 'exit 4'] },
      { name: 'app', command: ['sleep', '600'], dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }] },
    ]);
    const done = await waitFor(env.ecs, (await run(env.ecs, td)).taskArn ?? '', stopped);
    expect(done.stopCode).toBe('TaskFailedToStart');
    expect(done.stoppedReason).toMatch(/'init' exited with code 4/);
    expect(done.containers?.find((c) => c.name === 'app')?.runtimeId).toBeUndefined();
  });

  it('StopTask sends SIGTERM, then SIGKILL after stopTimeout', async () => {
    const td = await register(env.ecs, [
      { name: 'stubborn', command: ['sh', '-c', 'trap "" TERM; while true; do sleep 1; done'], stopTimeout: 2 },
      { name: 'polite', essential: false, command: ['sh', '-c', 'trap "exit 42" TERM; while true; do sleep 1; done'] },
    ]);
    const task = await run(env.ecs, td);
    await waitFor(env.ecs, task.taskArn ?? '', running);
    const stop = await env.ecs.send(new StopTaskCommand({ task: task.taskArn, reason: 'test says stop' }));
    expect(stop.task?.desiredStatus).toBe('STOPPED');
    const done = await waitFor(env.ecs, task.taskArn ?? '', stopped);
    expect(done).toMatchObject({ stopCode: 'UserInitiated', stoppedReason: 'test says stop' });
    const byName = Object.fromEntries((done.containers ?? []).map((c) => [c.name, c]));
    expect(byName['stubborn']?.exitCode).toBe(137);
    expect(byName['polite']?.exitCode).toBe(42);
  });

  it('ends a container over its memory limit as OOM 137', async () => {
    const td = await register(env.ecs, [{ name: 'hog', memory: 16, command: ['sh', '-c', 'head -c 200m /dev/zero | tail'] }]);
    const done = await waitFor(env.ecs, (await run(env.ecs, td)).taskArn ?? '', stopped);
    expect(done.containers?.[0]).toMatchObject({ exitCode: 137, reason: expect.stringMatching(/^OutOfMemoryError/) });
  });

  it('fails fast with CannotPullContainerError for a missing image', async () => {
    const td = await register(env.ecs, [{ name: 'ghost', image: 'skiff-test/does-not-exist:latest' }]);
    const done = await waitFor(env.ecs, (await run(env.ecs, td)).taskArn ?? '', stopped, 60);
    expect(done.stopCode).toBe('TaskFailedToStart');
    expect(done.stoppedReason).toMatch(/^CannotPullContainerError: /);
  });

  it('publishes container ports on distinct 127.0.0.1 ports for two tasks', async () => {
    const td = await register(env.ecs, [
      {
        name: 'web',
        portMappings: [{ containerPort: 80 }],
        stopTimeout: 2,
        command: ['sh', '-c', 'mkdir -p /www && hostname > /www/index.html && httpd -f -p 80 -h /www'],
      },
    ]);
    const [a, b] = await Promise.all([run(env.ecs, td), run(env.ecs, td)]);
    const ra = await waitFor(env.ecs, a.taskArn ?? '', running);
    const rb = await waitFor(env.ecs, b.taskArn ?? '', running);
    const pa = ra.containers?.[0]?.networkBindings?.[0];
    const pb = rb.containers?.[0]?.networkBindings?.[0];
    expect(pa).toMatchObject({ bindIP: '127.0.0.1', containerPort: 80, protocol: 'tcp' });
    expect(pa?.hostPort).not.toBe(pb?.hostPort);
    for (const p of [pa, pb]) {
      const res = await fetchRetry(`http://127.0.0.1:${p?.hostPort}/`);
      expect(res.status).toBe(200);
    }
    const instance = docker(['inspect', '--format', '{{index .Config.Labels "dev.skiff.instance"}}', `skiff-${a.taskArn?.split('/').pop() ?? ''}-web`]);
    await env.ecs.send(new StopTaskCommand({ task: a.taskArn }));
    await env.ecs.send(new StopTaskCommand({ task: b.taskArn }));
    const listed = await env.ecs.send(new ListTasksCommand({ family: td.split('/')[1]?.split(':')[0], desiredStatus: 'STOPPED' }));
    expect(listed.taskArns).toEqual(expect.arrayContaining([a.taskArn, b.taskArn]));
    await waitFor(env.ecs, a.taskArn ?? '', stopped);
    await waitFor(env.ecs, b.taskArn ?? '', stopped);
    // the pool learned that port set: a later task claims a started sandbox publishing it
    let pooled = false;
    for (let i = 0; i < 50 && !pooled; i++) {
      await new Promise((r) => setTimeout(r, 100));
      pooled = docker(['ps', '--filter', 'label=dev.skiff.pool=true', '--filter', `label=dev.skiff.instance=${instance}`, '--format', '{{.Ports}}']).includes('->80/tcp');
    }
    expect(pooled).toBe(true);
    const c = await waitFor(env.ecs, (await run(env.ecs, td)).taskArn ?? '', running);
    const pc = c.containers?.[0]?.networkBindings?.[0];
    expect(pc).toMatchObject({ bindIP: '127.0.0.1', containerPort: 80, protocol: 'tcp' });
    expect((await fetchRetry(`http://127.0.0.1:${pc?.hostPort}/`)).status).toBe(200);
    const app = `skiff-${c.taskArn?.split('/').pop() ?? ''}-web`;
    const sandboxId = docker(['inspect', '--format', '{{.HostConfig.NetworkMode}}', app]).replace(/^container:/, '');
    expect(docker(['inspect', '--format', '{{.Name}}', sandboxId])).toMatch(/^\/skiff-pool-/);
    await env.ecs.send(new StopTaskCommand({ task: c.taskArn }));
    await waitFor(env.ecs, c.taskArn ?? '', stopped);
  });

  it('runs the seed article\'s run-task --cli-input-json with overrides through AWS CLI v2', async () => {
    const td = await register(env.ecs, [{ name: 'tom-thumb-container', command: ['sh', '-c', 'test "$INPUT_VIDEO_FILE_URL" = s3://videos/a.mp4'] }]);
    const input = {
      cluster: 'default',
      taskDefinition: td.split('/')[1]?.split(':')[0],
      overrides: {
        containerOverrides: [{ name: 'tom-thumb-container', environment: [{ name: 'INPUT_VIDEO_FILE_URL', value: 's3://videos/a.mp4' }] }],
        taskRoleArn: 'arn:aws:iam::000000000000:role/my-ecs-tasks-role',
        executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
      },
      count: 1,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['SUBNET1', 'SUBNET2'], securityGroups: ['SECURITYGROUP'], assignPublicIp: 'ENABLED' } },
    };
    const r = awsCli(env.skiff.endpoint, ['ecs', 'run-task', '--cli-input-json', JSON.stringify(input)]);
    expect(r.status, r.stderr).toBe(0);
    const task = (r.json as { tasks: Array<{ taskArn: string; overrides: unknown }> }).tasks[0];
    expect(task?.overrides).toMatchObject({ containerOverrides: [{ name: 'tom-thumb-container' }] });
    const done = await waitFor(env.ecs, task?.taskArn ?? '', stopped);
    // the override reached the container: its test exited 0
    expect(done.containers?.[0]?.exitCode).toBe(0);
  });

  it('refuses RunTask without a network configuration, as Fargate does', async () => {
    const td = await register(env.ecs, [{ name: 'x' }]);
    await expect(env.ecs.send(new RunTaskCommand({ taskDefinition: td }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringMatching(/Network Configuration must be provided/),
    });
    await expect(env.ecs.send(new RunTaskCommand({ taskDefinition: td, networkConfiguration: NETWORK, count: 11 }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it('leaves no containers behind for the stopped tasks', async () => {
    const listed = await env.ecs.send(new ListTasksCommand({ desiredStatus: 'STOPPED' }));
    expect(listed.taskArns?.length).toBeGreaterThan(5);
    for (const arn of listed.taskArns ?? []) {
      await waitFor(env.ecs, arn, stopped);
      const id = arn.split('/').pop() ?? '';
      const r = spawnSync('docker', ['ps', '-aq', '--filter', `label=dev.skiff.task=${id}`], { encoding: 'utf8' });
      expect(r.stdout.trim(), `containers of ${id}`).toBe('');
    }
  });
});

async function fetchRetry(url: string): Promise<Response> {
  for (let i = 0; ; i++) {
    try {
      return await fetch(url);
    } catch (err) {
      if (i > 40) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function docker(args: string[]): string {
  const r = spawnSync('docker', args, { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
}
