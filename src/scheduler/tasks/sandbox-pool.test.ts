import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/index.js';
import { INSTANCE_LABEL } from '../../runtime/index.js';
import { FakeDriver } from '../../runtime/fake/index.js';
import { MAX_PORT_SETS, POOL_LABEL, PORT_SET_IDLE_MS, portSetKey, SandboxPool } from './sandbox-pool.js';

const settle = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('SandboxPool', () => {
  let driver: FakeDriver;
  let pool: SandboxPool;

  let clock = 0;

  function newPool(size: number): SandboxPool {
    driver = new FakeDriver();
    clock = 0;
    pool = new SandboxPool({ driver, instanceId: 'i1', logger: silentLogger, size, endpointForward: () => undefined, refillDelayMs: 10, now: () => clock });
    return pool;
  }

  afterEach(async () => {
    await pool.stop();
    await driver.close();
  });

  it('keeps `size` started sandboxes, labelled as the pool’s, and hands out each once', async () => {
    newPool(2);
    pool.start();
    await settle();
    const listed = await driver.list({ [POOL_LABEL]: 'true' });
    expect(listed).toHaveLength(2);
    expect(listed.every((c) => c.status === 'running' && c.labels[INSTANCE_LABEL] === 'i1')).toBe(true);
    const a = await pool.take();
    const b = await pool.take();
    expect(a?.id).toBeDefined();
    expect(b?.id).not.toBe(a?.id);
    expect(await pool.take()).toBeUndefined();
    // refilled after the delay
    await settle(60);
    const c = await pool.take();
    expect(c).toBeDefined();
    expect([a?.id, b?.id]).not.toContain(c?.id);
  });

  it('skips a sandbox that died while it waited', async () => {
    newPool(1);
    pool.start();
    await settle();
    const [only] = await driver.list({ [POOL_LABEL]: 'true' });
    await driver.remove(only?.id ?? '');
    expect(await pool.take()).toBeUndefined();
  });

  it('removes the sandboxes no task claimed when it stops, and keeps claimed ones', async () => {
    newPool(2);
    pool.start();
    await settle();
    const claimed = await pool.take();
    await pool.stop();
    const left = await driver.list({ [POOL_LABEL]: 'true' });
    expect(left.map((c) => c.id)).toEqual([claimed?.id]);
  });

  it('learns the port set a task asked for, and has a sandbox publishing it ready for the next', async () => {
    newPool(1);
    pool.start();
    await settle();
    const web = [{ containerPort: 8080, protocol: 'tcp' as const }];
    // the first task of a port set starts its own sandbox
    expect(await pool.take(web)).toBeUndefined();
    await settle(60);
    const sandbox = await pool.take([...web]);
    expect(sandbox?.ports).toEqual([{ containerPort: 8080, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: expect.any(Number) }]);
    // the set with no ports is served apart
    expect((await pool.take())?.ports).toEqual([]);
    expect(pool.portSets().sort()).toEqual(['', '8080/tcp']);
  });

  it('forgets a port set nobody asked for in a while, removing its sandboxes, and keeps at most MAX_PORT_SETS', async () => {
    newPool(1);
    pool.start();
    await settle();
    for (let i = 0; i <= MAX_PORT_SETS; i++) {
      clock += 1;
      await pool.take([{ containerPort: 9000 + i, protocol: 'tcp' }]);
    }
    await settle(80);
    // the least recently asked for (9000) is gone
    expect(pool.portSets()).toHaveLength(MAX_PORT_SETS + 1);
    expect(pool.portSets()).not.toContain('9000/tcp');
    const published = (await driver.list({ [POOL_LABEL]: 'true' })).length;
    expect(published).toBe(MAX_PORT_SETS + 1);
    clock += PORT_SET_IDLE_MS;
    const claimed = await pool.take();
    await settle(80);
    expect(pool.portSets()).toEqual(['']);
    // left: the sandbox just claimed and the one that replaced it
    const left = await driver.list({ [POOL_LABEL]: 'true' });
    expect(left).toHaveLength(2);
    expect(left.map((c) => c.id)).toContain(claimed?.id);
  });

  it('keys a port set by its mappings, whatever their order', () => {
    expect(portSetKey([{ containerPort: 53, protocol: 'udp' }, { containerPort: 80, protocol: 'tcp' }])).toBe(portSetKey([{ containerPort: 80, protocol: 'tcp' }, { containerPort: 53, protocol: 'udp' }]));
    expect(portSetKey([])).toBe('');
  });

  it('does nothing with size 0', async () => {
    newPool(0);
    pool.start();
    await settle();
    expect(await driver.list({ [POOL_LABEL]: 'true' })).toEqual([]);
    expect(await pool.take()).toBeUndefined();
  });
});
