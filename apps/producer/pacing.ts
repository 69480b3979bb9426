// Send schedule of the producer: event n is due at start + n / rate, so the rate does not drift.
// Deriving every due time from the start (instead of sleeping 1/rate after each send) means a slow send
// or a late timer is caught up on the next tick rather than lowering the rate for good.

/** How many events are due `elapsedMs` after the start at `ratePerSecond` (event 0 is due at once). */
export function eventsDue(elapsedMs: number, ratePerSecond: number): number {
  if (elapsedMs < 0) return 0;
  return Math.floor((elapsedMs * ratePerSecond) / 1000) + 1;
}

/** Milliseconds after the start at which event `n` (0-based) is due. */
export function dueAtMs(n: number, ratePerSecond: number): number {
  return (n * 1000) / ratePerSecond;
}

/** The sensor that event `n` belongs to: round robin, so every sensor gets rate / sensors events per second. */
export function sensorOf(n: number, sensors: readonly string[]): string {
  const sensor = sensors[n % sensors.length];
  if (sensor === undefined) throw new Error('sensorOf needs at least one sensor');
  return sensor;
}
