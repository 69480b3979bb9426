// Lag per partition and partition health: the arithmetic behind the gauges the consumers export.
import { describe, expect, it } from 'vitest';
import { partitionHealth, partitionLag } from '../../../../apps/lib/consumer-lag';

describe('partitionLag', () => {
  it('counts the messages after the committed offset', () => {
    expect(partitionLag({ partition: 0, committed: 40, low: 0, high: 100 })).toBe(60);
    expect(partitionLag({ partition: 0, committed: 100, low: 0, high: 100 })).toBe(0);
  });

  it('counts every kept message when the group has committed nothing', () => {
    expect(partitionLag({ partition: 1, committed: -1, low: 25, high: 100 })).toBe(75);
  });

  it('is never negative (an offset read after the end offsets)', () => {
    expect(partitionLag({ partition: 2, committed: 120, low: 0, high: 100 })).toBe(0);
  });
});

describe('partitionHealth', () => {
  it('counts partitions without a leader and with replicas out of sync', () => {
    expect(
      partitionHealth([
        { leader: 1, replicas: [1, 2, 3], isr: [1, 2, 3] },
        { leader: 2, replicas: [1, 2, 3], isr: [2, 3] },
        { leader: -1, replicas: [1, 2, 3], isr: [] },
      ]),
    ).toEqual({ offline: 1, underReplicated: 2 });
  });
});
