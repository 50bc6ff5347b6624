/** A copy of `obj` without the members whose value is undefined (so JSON and deep equality match ECS). */
export function dropUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** Private Amazon ECR image references (`<account>.dkr.ecr.<region>.amazonaws.com/...`). */
export const ECR_IMAGE = /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;
