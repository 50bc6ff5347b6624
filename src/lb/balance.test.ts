import { describe, expect, it } from 'vitest';
import { weightedChooser } from './balance.js';
import { leastOutstanding } from './target-group.js';

function tally(choose: () => string | undefined, n: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const k = choose() ?? 'none';
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

describe('weighted target group choice', () => {
  it('splits exactly by weight over a full cycle, interleaved', () => {
    const choose = weightedChooser([
      { arn: 'a', weight: 3 },
      { arn: 'b', weight: 1 },
    ]);
    const seq = Array.from({ length: 4 }, () => choose());
    expect(seq.filter((x) => x === 'a')).toHaveLength(3);
    expect(seq.filter((x) => x === 'b')).toHaveLength(1);
    expect(tally(choose, 400)).toEqual({ a: 300, b: 100 });
  });

  it('never picks a zero weight, and picks nothing when all are zero', () => {
    expect(tally(weightedChooser([{ arn: 'a', weight: 0 }, { arn: 'b', weight: 5 }]), 10)).toEqual({ b: 10 });
    expect(weightedChooser([{ arn: 'a', weight: 0 }])()).toBeUndefined();
  });
});

describe('least outstanding requests', () => {
  const t = (id: string, inFlight: number): { id: string; counters: { inFlight: number } } => ({ id, counters: { inFlight } });

  it('takes the target with the fewest requests in flight', () => {
    expect(leastOutstanding([t('a', 3), t('b', 1), t('c', 2)], 0)?.id).toBe('b');
  });

  it('breaks ties round robin from the starting index', () => {
    const list = [t('a', 0), t('b', 0), t('c', 0)];
    expect([0, 1, 2, 3].map((s) => leastOutstanding(list, s)?.id)).toEqual(['a', 'b', 'c', 'a']);
  });
});
