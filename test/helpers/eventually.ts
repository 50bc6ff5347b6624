/** Polls `probe` until it returns a value (not undefined); throws after `seconds`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, seconds = 60, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Polls `cond` until it holds; throws after `seconds`. */
export async function until(cond: () => Promise<boolean>, seconds: number, what: string): Promise<void> {
  await eventually(what, async () => ((await cond()) ? true : undefined), seconds, 500);
}
