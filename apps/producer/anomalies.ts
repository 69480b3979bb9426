// Injected anomalies: a reading replaced by a spike away from the walk, so a detector's precision and recall can be
// measured against the truth. The walk itself goes on from the real reading; only the sent value jumps.

/** Distance of a spike from the reading, in the walk's units (its range is 0–100, a step at most 2). */
export const defaultSpikeMagnitude = 25;

/** Whether event `unit` (uniform in [0, 1)) gets a spike at `rate` (fraction of events, 0 for none). */
export function isInjected(unit: number, rate: number): boolean {
  return unit < rate;
}

/** The spiked value: `magnitude` above or below `value`, the side chosen by `unit` (uniform in [0, 1)). */
export function injectSpike(value: number, unit: number, magnitude: number = defaultSpikeMagnitude): number {
  return unit < 0.5 ? value - magnitude : value + magnitude;
}
