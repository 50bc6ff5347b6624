import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/index.js';
import { INSTANCE_LABEL } from '../../runtime/contract.js';
import { FakeDriver } from '../../runtime/fake/index.js';
import { POOL_LABEL, SandboxPool } from './sandbox-pool.js';

const settle = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('SandboxPool', () => {
  let driver: FakeDriver;
  let pool: SandboxPool;

  function newPool(size: number): SandboxPool {
    driver = new FakeDriver();
    pool = new SandboxPool({ driver, instanceId: 'i1', logger: silentLogger, size, endpointForward: () => undefined, refillDelayMs: 10 });
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

  it('does nothing with size 0', async () => {
    newPool(0);
    pool.start();
    await settle();
    expect(await driver.list({ [POOL_LABEL]: 'true' })).toEqual([]);
    expect(await pool.take()).toBeUndefined();
  });
});
