// The detector states of a partition as commit metadata: a new owner resumes with exactly the states committed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStates, SensorStates } from '../../../../apps/detector/sensor-states';

const params = { alpha: 0.2, threshold: 5, warmup: 4 };

describe('SensorStates', () => {
  it('judges every reading after a restore from its metadata exactly as without the restore', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('A', 'B', 'C'), fc.double({ min: -1e3, max: 1e3, noNaN: true })), { maxLength: 60 }),
        fc.nat(60),
        (readings, cut) => {
          const straight = new SensorStates(params);
          const verdicts = readings.map(([sensor, value]) => straight.observe(sensor, value));
          let resumed = new SensorStates(params);
          const replayed = readings.map(([sensor, value], i) => {
            if (i === cut) resumed = new SensorStates(params, resumed.metadata());
            return resumed.observe(sensor, value);
          });
          expect(replayed).toEqual(verdicts);
        },
      ),
    );
  });

  it('starts empty from no metadata, garbage, or metadata of another format', () => {
    for (const metadata of [null, '', 'not json', '{"v":2,"s":{}}', '{"v":1,"s":{"A":[1,2]}}', '{"v":1,"s":{"A":[1,-2,3]}}']) {
      expect(parseStates(metadata).size).toBe(0);
    }
    expect(parseStates('{"v":1,"s":{"A":[1.5,2,3]}}').get('A')).toEqual({ mean: 1.5, variance: 2, count: 3 });
  });
});
