export interface BackoffOptions {
  /** Delay before the first retry. */
  initialMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
  /** Growth per attempt; 2 doubles. */
  factor?: number;
  /** Fraction of the delay that is randomised (0 = none, 0.2 = ±20 %). */
  jitter?: number;
  /** Injected for deterministic tests. Returns a number in [0, 1). */
  random?: () => number;
}

/** Exponential backoff with jitter, capped. `attempt` counts from 0. */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const factor = options.factor ?? 2;
  const jitter = options.jitter ?? 0.2;
  const random = options.random ?? Math.random;
  const base = Math.min(options.maxMs, options.initialMs * factor ** Math.max(0, attempt));
  const spread = base * jitter * (random() * 2 - 1);
  return Math.round(Math.min(options.maxMs, Math.max(0, base + spread)));
}

/** Counts attempts and hands out the next delay; `reset()` after a success. */
export class Backoff {
  private attempt = 0;

  private readonly options: BackoffOptions;

  constructor(options: BackoffOptions) {
    this.options = options;
  }

  next(): number {
    return backoffDelay(this.attempt++, this.options);
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
