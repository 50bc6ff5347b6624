import type { Task, TaskDefinition } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { exitCodeOf, familyRevision, matchTaskRef, shortId } from './tasks.js';

const arn = (id: string): string => `arn:aws:ecs:us-east-1:000000000000:task/default/${id}`;
const A = 'abcdef0123456789abcdef0123456789';
const B = 'abcdef9999999999abcdef0123456789';

describe('matchTaskRef', () => {
  it('passes ARNs and full ids through untouched', () => {
    expect(matchTaskRef(arn(A), [])).toBe(arn(A));
    expect(matchTaskRef(A, [])).toBe(A);
  });

  it('resolves a unique prefix of at least 6 characters', () => {
    expect(matchTaskRef('abcdef0', [arn(A), arn(B)])).toBe(arn(A));
    expect(matchTaskRef(shortId(B), [arn(A), arn(B)])).toBe(arn(B));
  });

  it('refuses short, ambiguous, unknown and non-hex references', () => {
    expect(() => matchTaskRef('abcde', [arn(A)])).toThrow(/at least the first 6 characters/);
    expect(() => matchTaskRef('abcdef', [arn(A), arn(B)])).toThrow(/abcdef is the start of 2 task ids \(abcdef012345, abcdef999999\)/);
    expect(() => matchTaskRef('123456', [arn(A)])).toThrow(/no task id starts with 123456/);
    expect(() => matchTaskRef('my-task', [arn(A)])).toThrow(/is not a task/);
  });
});

describe('exitCodeOf', () => {
  const td: TaskDefinition = { containerDefinitions: [{ name: 'app' }, { name: 'side', essential: false }] };
  const task = (app: number | undefined, side: number | undefined): Task => ({
    containers: [
      { name: 'app', exitCode: app },
      { name: 'side', exitCode: side },
    ],
  });

  it("is the essential container's code, ignoring the sidecars", () => {
    expect(exitCodeOf([{ task: task(0, 137), td }])).toBe(0);
    expect(exitCodeOf([{ task: task(7, 0), td }])).toBe(7);
  });

  it('is the first failure across tasks, and 1 for a task whose essential container never exited', () => {
    expect(exitCodeOf([{ task: task(0, 0), td }, { task: task(3, 0), td }])).toBe(3);
    expect(exitCodeOf([{ task: task(undefined, undefined), td }])).toBe(1);
  });
});

describe('familyRevision', () => {
  it('takes family:revision from a task definition ARN', () => {
    expect(familyRevision('arn:aws:ecs:us-east-1:000000000000:task-definition/web:12')).toBe('web:12');
    expect(familyRevision(undefined)).toBe('-');
  });
});
