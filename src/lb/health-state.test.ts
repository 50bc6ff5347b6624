import { describe, expect, it } from 'vitest';
import { afterCheck, codeMatches, draining, notInUse, registering, type CheckResult, type TargetHealth } from './health-state.js';

const ok: CheckResult = { ok: true };
const mismatch: CheckResult = { ok: false, reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [500]' };
const timeout: CheckResult = { ok: false, reason: 'Target.Timeout', description: 'Request timed out' };
const t = { healthy: 3, unhealthy: 2 };

function run(start: TargetHealth, results: CheckResult[]): TargetHealth[] {
  const out: TargetHealth[] = [];
  let h = start;
  for (const r of results) out.push((h = afterCheck(h, r, t)));
  return out;
}

describe('the target health state machine', () => {
  it('goes initial → healthy after one passing check, as ALB does for a new target', () => {
    const states = run(registering, [mismatch, ok]).map((h) => [h.state, h.reason]);
    expect(states).toEqual([
      ['initial', 'Elb.InitialHealthChecking'],
      ['healthy', undefined],
    ]);
  });

  it('goes initial → unhealthy after the unhealthy threshold of failures, with the last reason', () => {
    const last = run(registering, [mismatch, timeout]).at(-1)!;
    expect(last).toMatchObject({ state: 'unhealthy', reason: 'Target.Timeout', description: 'Request timed out' });
  });

  it('a success in between resets the failure count', () => {
    const states = run(registering, [ok, ok, ok, mismatch, ok, mismatch]).map((h) => h.state);
    expect(states.at(-1)).toBe('healthy');
  });

  it('healthy → unhealthy → healthy with the thresholds', () => {
    const healthy = run(registering, [ok, ok, ok]).at(-1)!;
    const down = run(healthy, [mismatch, mismatch]);
    expect(down.map((h) => h.state)).toEqual(['healthy', 'unhealthy']);
    expect(down[1]?.reason).toBe('Target.ResponseCodeMismatch');
    const up = run(down[1]!, [ok, ok, ok]).map((h) => h.state);
    expect(up).toEqual(['unhealthy', 'unhealthy', 'healthy']);
  });

  it('leaves draining and unused targets alone', () => {
    expect(afterCheck(draining, ok, t)).toBe(draining);
    expect(afterCheck(notInUse, mismatch, t)).toBe(notInUse);
  });

  it.each([
    ['200', 200, true],
    ['200', 204, false],
    ['200,202', 202, true],
    ['200-299', 299, true],
    ['200-299,404', 404, true],
    ['200-299', 301, false],
  ])('matcher %s with %i is %s', (m, code, expected) => {
    expect(codeMatches(m, code)).toBe(expected);
  });
});
