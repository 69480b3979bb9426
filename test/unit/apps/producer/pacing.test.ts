// The producer's send schedule: due counts derived from the start time, and round-robin sensors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueAtMs, eventsDue, sensorOf } from '../../../../apps/producer/pacing';

describe('eventsDue', () => {
  it('makes the first event due at once and one more every 1/rate seconds', () => {
    expect(eventsDue(0, 10)).toBe(1);
    expect(eventsDue(99, 10)).toBe(1);
    expect(eventsDue(100, 10)).toBe(2);
    expect(eventsDue(1000, 10)).toBe(11);
    expect(eventsDue(-5, 10)).toBe(0);
  });

  it('handles rates below one per second', () => {
    expect(eventsDue(1999, 0.5)).toBe(1);
    expect(eventsDue(2000, 0.5)).toBe(2);
  });

  it('does not drift: after any time the count is rate × time, whatever the tick pattern', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 10_000, noNaN: true }), fc.integer({ min: 0, max: 3_600_000 }), (rate, t) => {
        const due = eventsDue(t, rate);
        expect(due - 1).toBeLessThanOrEqual((t * rate) / 1000);
        expect(due).toBeGreaterThan((t * rate) / 1000);
      }),
    );
  });

  it('agrees with dueAtMs: event n is due at dueAtMs(n) and not before', () => {
    for (const rate of [1, 3, 7, 10, 250]) {
      for (let n = 1; n < 50; n++) {
        expect(eventsDue(Math.ceil(dueAtMs(n, rate)) + 1e-6, rate)).toBeGreaterThan(n);
        expect(eventsDue(dueAtMs(n, rate) - 0.01, rate)).toBeLessThanOrEqual(n);
      }
    }
  });
});

describe('sensorOf', () => {
  it('deals events to the sensors in turn', () => {
    const sensors = ['A', 'B', 'C'];
    expect(Array.from({ length: 7 }, (_, n) => sensorOf(n, sensors))).toEqual(['A', 'B', 'C', 'A', 'B', 'C', 'A']);
  });

  it('refuses an empty sensor list', () => {
    expect(() => sensorOf(0, [])).toThrow(/at least one sensor/);
  });
});
