/** Sliding one-minute window per key. In memory: one bot process owns its chat connections. */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly perMinute: number) {}

  /** Returns 0 if allowed (and counts it), else the milliseconds to wait. */
  take(key: string, now: number): number {
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= this.perMinute) {
      this.hits.set(key, recent);
      return recent[0]! + 60_000 - now;
    }
    recent.push(now);
    this.hits.set(key, recent);
    return 0;
  }
}
