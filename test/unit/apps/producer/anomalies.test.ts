// Injected spikes: how often and how far, so a detector's precision and recall can be measured against them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSpikeMagnitude, injectSpike, isInjected } from '../../../../apps/producer/anomalies';
import { readConfig } from '../../../../apps/lib/config';
import { producerEnv } from '../../../../apps/producer/config';

describe('injected anomalies', () => {
  it('inject at the given rate: none at 0, every event at 1', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (unit) => {
        expect(isInjected(unit, 0)).toBe(false);
        expect(isInjected(unit, 1)).toBe(true);
      }),
    );
    expect(isInjected(0.009, 0.01)).toBe(true);
    expect(isInjected(0.01, 0.01)).toBe(false);
  });

  it('move the value by exactly the magnitude, either way', () => {
    expect(injectSpike(50, 0.2)).toBe(50 - defaultSpikeMagnitude);
    expect(injectSpike(50, 0.7)).toBe(50 + defaultSpikeMagnitude);
    expect(injectSpike(50, 0.7, 3)).toBe(53);
  });

  it('are off unless ANOMALY_RATE is set, and ANOMALY_RATE is a fraction', () => {
    expect(readConfig(producerEnv, { KAFKA_BROKERS: 'k:9092' })).toMatchObject({ ANOMALY_RATE: 0, ANOMALY_MAGNITUDE: defaultSpikeMagnitude });
    expect(() => readConfig(producerEnv, { KAFKA_BROKERS: 'k:9092', ANOMALY_RATE: '2' })).toThrow(/ANOMALY_RATE: must be between 0 and 1/);
  });
});
