import { describe, expect, it } from 'vitest';
import { parseResultMessage, SensorAverages } from '../../apps/api/sensor-averages';
import { replayStartOffsets } from '../../apps/api/replay-offsets';

describe('results messages', () => {
  it('parses the aggregator result, dropping fields it does not know', () => {
    const parsed = parseResultMessage(Buffer.from(JSON.stringify({ sensor: 'A', avg: 21.5, count: 20, windowEnd: 1700000000000, extra: 1 })));
    expect(parsed).toEqual({ ok: true, average: { sensor: 'A', avg: 21.5, count: 20, windowEnd: 1700000000000 } });
  });

  it.each([
    [null, 'empty message value'],
    ['not json', 'message value is not JSON'],
    [JSON.stringify({ sensor: 'A', avg: 'hot', count: 20, windowEnd: 1 }), 'avg'],
    [JSON.stringify({ sensor: '', avg: 1, count: 20, windowEnd: 1 }), 'sensor'],
    [JSON.stringify({ sensor: 'A', avg: 1, count: 0, windowEnd: 1 }), 'count'],
  ])('reports %s as invalid', (value, reason) => {
    const parsed = parseResultMessage(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });
});

describe('sensor averages', () => {
  it('keeps the newest window per sensor and tells listeners about changes only', () => {
    const averages = new SensorAverages();
    const seen: string[] = [];
    const unsubscribe = averages.subscribe((a) => seen.push(`${a.sensor}:${a.avg}`));
    expect(averages.apply({ sensor: 'B', avg: 2, count: 20, windowEnd: 200 })).toBe(true);
    expect(averages.apply({ sensor: 'A', avg: 1, count: 20, windowEnd: 100 })).toBe(true);
    expect(averages.apply({ sensor: 'A', avg: 0.5, count: 20, windowEnd: 50 })).toBe(false);
    expect(averages.apply({ sensor: 'A', avg: 3, count: 20, windowEnd: 300 })).toBe(true);
    unsubscribe();
    averages.apply({ sensor: 'C', avg: 4, count: 20, windowEnd: 400 });
    expect(seen).toEqual(['B:2', 'A:1', 'A:3']);
    expect(averages.listenerCount).toBe(0);
    expect(averages.snapshot().map((a) => `${a.sensor}:${a.avg}`)).toEqual(['A:3', 'B:2', 'C:4']);
  });
});

describe('replay start offsets', () => {
  it('starts at most backlog messages before the end, never before the earliest kept offset', () => {
    expect(
      replayStartOffsets(
        [
          { partition: 0, low: '0', high: '1000' },
          { partition: 1, low: '950', high: '1000' },
          { partition: 2, low: '0', high: '0' },
          { partition: 3, low: '9007199254740993', high: '9007199254741993' },
        ],
        100,
      ),
    ).toEqual([
      { partition: 0, offset: '900' },
      { partition: 1, offset: '950' },
      { partition: 2, offset: '0' },
      { partition: 3, offset: '9007199254741893' },
    ]);
  });
});
