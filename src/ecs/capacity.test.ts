import { describe, expect, it } from 'vitest';
import { checkProviders, checkStrategy, placeOn } from './capacity.js';

const both = ['FARGATE', 'FARGATE_SPOT'];
const reason = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    return `${(err as { code?: string }).code ?? ''}: ${(err as Error).message}`;
  }
  return 'no error';
};

describe('capacity provider strategies', () => {
  it('accepts the Fargate providers only, each once', () => {
    expect(checkProviders(both)).toEqual(both);
    expect(reason(() => checkProviders(['EC2']))).toMatch(/^InvalidParameterException: .*'EC2' does not exist/);
    expect(reason(() => checkProviders(['FARGATE', 'FARGATE']))).toMatch(/unique/);
  });

  it('checks a strategy against the cluster, weights, bases and their rules', () => {
    expect(checkStrategy([{ capacityProvider: 'FARGATE', weight: 1 }], both)).toEqual([{ capacityProvider: 'FARGATE', weight: 1 }]);
    expect(reason(() => checkStrategy([{ capacityProvider: 'FARGATE_SPOT' }], ['FARGATE']))).toMatch(/not associated with the cluster/);
    expect(reason(() => checkStrategy([{ capacityProvider: 'FARGATE', weight: 1001 }], both))).toMatch(/weight must be between 0 and 1000/);
    expect(reason(() => checkStrategy([{ capacityProvider: 'FARGATE', base: -1 }], both))).toMatch(/base must be between 0 and 100000/);
    expect(reason(() => checkStrategy([{ capacityProvider: 'FARGATE', base: 1, weight: 1 }, { capacityProvider: 'FARGATE_SPOT', base: 1, weight: 1 }], both))).toMatch(/Only one/);
    expect(reason(() => checkStrategy([{ capacityProvider: 'FARGATE' }, { capacityProvider: 'FARGATE_SPOT' }], both))).toMatch(/weight greater than zero/);
    expect(reason(() => checkStrategy([{ capacityProvider: 'FARGATE', weight: 1 }, { capacityProvider: 'FARGATE', weight: 2 }], both))).toMatch(/more than once/);
  });

  it('places the base first, then by weight', () => {
    const strategy = [{ capacityProvider: 'FARGATE', base: 2, weight: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 1 }];
    const placed = new Map<string, number>();
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      const p = placeOn(strategy, placed) ?? '';
      placed.set(p, (placed.get(p) ?? 0) + 1);
      order.push(p);
    }
    expect(order.slice(0, 2)).toEqual(['FARGATE', 'FARGATE']);
    expect(order.filter((p) => p === 'FARGATE_SPOT')).toHaveLength(3);
    // a weight of 0 places nothing while another provider has weight
    expect(placeOn([{ capacityProvider: 'FARGATE', weight: 0 }, { capacityProvider: 'FARGATE_SPOT', weight: 1 }], new Map())).toBe('FARGATE_SPOT');
    expect(placeOn([{ capacityProvider: 'FARGATE' }], new Map())).toBe('FARGATE');
  });
});
