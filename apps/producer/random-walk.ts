// A bounded random walk: the simulated reading of one sensor, one step per event.

/** The range a reading stays in and the largest change between two readings. */
export interface WalkBounds {
  min: number;
  max: number;
  maxStep: number;
}

export const defaultWalkBounds: WalkBounds = { min: 0, max: 100, maxStep: 2 };

/**
 * The next reading after `value`, given a uniform random number `unit` in [0, 1).
 * A step that would leave [min, max] is reflected at the bound, so the walk neither sticks to a bound
 * nor drifts out of range.
 */
export function nextReading(value: number, unit: number, bounds: WalkBounds = defaultWalkBounds): number {
  const { min, max, maxStep } = bounds;
  let next = value + (unit * 2 - 1) * maxStep;
  if (next > max) next = max - (next - max);
  if (next < min) next = min + (min - next);
  // Only reachable when maxStep exceeds the range; clamping keeps the promise of staying inside it.
  return Math.min(max, Math.max(min, next));
}

/** The first reading of a sensor: the middle of the range. */
export function firstReading(bounds: WalkBounds = defaultWalkBounds): number {
  return (bounds.min + bounds.max) / 2;
}
