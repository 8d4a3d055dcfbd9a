/** A turn that was not given: the limiter was closed (the daemon stops) while waiting. */
export class LimiterClosed extends Error {
  override readonly name = 'LimiterClosed';
}

/**
 * At most `max` Fleet requests of the pollers in flight at once; the others wait their turn in
 * order. A slow device holds one turn, never all of them. Closing it (at stop) turns the waiting
 * callers away at once.
 */
export class RequestLimiter {
  private active = 0;
  private closed = false;
  private readonly waiting: { resolve: () => void; reject: (error: Error) => void }[] = [];
  readonly max: number;

  constructor(max: number) {
    if (!(Number.isInteger(max) && max > 0)) throw new Error(`the request limit must be a positive whole number, not ${max}`);
    this.max = max;
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(new LimiterClosed('the poller stopped'));
  }

  private acquire(): Promise<void> {
    if (this.closed) return Promise.reject(new LimiterClosed('the poller stopped'));
    if (this.active < this.max) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(): void {
    const next = this.waiting.shift();
    // The turn passes straight to the next caller; the count stays the same.
    if (next) next.resolve();
    else this.active -= 1;
  }
}
