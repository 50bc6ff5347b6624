import { randomBytes, randomUUID } from 'node:crypto';

/** Identifier generation, injected so tests can make it predictable. */
export interface IdGenerator {
  /** 32 lowercase hex characters, as ECS task ids. */
  hex32(): string;
  uuid(): string;
}

export const randomIds: IdGenerator = {
  hex32: () => randomBytes(16).toString('hex'),
  uuid: () => randomUUID(),
};

/** Deterministic ids for tests: a counter rendered in both shapes. */
export function sequentialIds(prefix = 0): IdGenerator {
  let n = prefix;
  return {
    hex32: () => (++n).toString(16).padStart(32, '0'),
    uuid: () => {
      const h = (++n).toString(16).padStart(32, '0');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
}
