// The producer's simulated readings: a random walk that stays in its bounds and moves at most maxStep.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultWalkBounds, firstReading, nextReading } from '../../../../apps/producer/random-walk';

describe('nextReading', () => {
  it('moves by (2·unit − 1)·maxStep inside the range', () => {
    const bounds = { min: 0, max: 100, maxStep: 2 };
    expect(nextReading(50, 0.5, bounds)).toBe(50);
    expect(nextReading(50, 0.75, bounds)).toBe(51);
    expect(nextReading(50, 0, bounds)).toBe(48);
  });

  it('reflects a step that would leave the range', () => {
    const bounds = { min: 0, max: 10, maxStep: 4 };
    expect(nextReading(9, 1 - 1e-9, bounds)).toBeCloseTo(7, 6); // 9 + 4 = 13 → 10 − 3
    expect(nextReading(1, 0, bounds)).toBe(3); // 1 − 4 = −3 → 0 + 3
  });

  it('starts in the middle of the range', () => {
    expect(firstReading({ min: 10, max: 20, maxStep: 1 })).toBe(15);
    expect(firstReading()).toBe((defaultWalkBounds.min + defaultWalkBounds.max) / 2);
  });

  it('never leaves the range and never jumps more than maxStep, for any walk', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0.001, max: 2000, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { maxLength: 100 }),
        (min, width, maxStep, units) => {
          const bounds = { min, max: min + width, maxStep };
          let value = firstReading(bounds);
          for (const unit of units) {
            const next = nextReading(value, unit, bounds);
            expect(next).toBeGreaterThanOrEqual(bounds.min);
            expect(next).toBeLessThanOrEqual(bounds.max);
            expect(Math.abs(next - value)).toBeLessThanOrEqual(maxStep + 1e-9);
            value = next;
          }
        },
      ),
    );
  });
});
