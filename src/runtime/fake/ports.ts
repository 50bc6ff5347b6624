/**
 * Hands out host ports the way Docker does for `-p 127.0.0.1::<port>`: unique among
 * live sandboxes, from the Linux ephemeral range, lowest free after the last one given,
 * so a sequence of creates is deterministic and a freed port is not reused at once.
 */
export const EPHEMERAL_FIRST = 32768;
export const EPHEMERAL_LAST = 60999;

export class PortAllocator {
  private readonly used = new Set<number>();
  private cursor = EPHEMERAL_FIRST;

  allocate(): number {
    const span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
    for (let i = 0; i < span; i++) {
      const port = this.cursor;
      this.cursor = port === EPHEMERAL_LAST ? EPHEMERAL_FIRST : port + 1;
      if (!this.used.has(port)) {
        this.used.add(port);
        return port;
      }
    }
    throw new Error(`no free host port left in ${EPHEMERAL_FIRST}-${EPHEMERAL_LAST}`);
  }

  release(port: number): void {
    this.used.delete(port);
  }
}
