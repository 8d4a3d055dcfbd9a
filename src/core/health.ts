export interface HealthCheck {
  ok: boolean;
  /** What is going on, in words a homeowner understands. */
  reason: string;
  /** What to do about it, when not ok. */
  fix?: string;
}

export interface HealthReport {
  ok: boolean;
  checks: Record<string, HealthCheck>;
}

/** Components register named checks; /healthz and bridge/info read the combined report. */
export class HealthRegistry {
  private readonly checks = new Map<string, () => HealthCheck>();

  register(name: string, check: () => HealthCheck): void {
    this.checks.set(name, check);
  }

  unregister(name: string): void {
    this.checks.delete(name);
  }

  report(): HealthReport {
    const checks: Record<string, HealthCheck> = {};
    let ok = true;
    for (const [name, check] of this.checks) {
      let result: HealthCheck;
      try {
        result = check();
      } catch (error) {
        result = { ok: false, reason: `health check failed: ${String(error)}` };
      }
      checks[name] = result;
      ok &&= result.ok;
    }
    return { ok, checks };
  }
}
