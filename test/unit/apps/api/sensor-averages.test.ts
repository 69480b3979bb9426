import { describe, expect, it } from 'vitest';
import { parseResultsMessage } from '../../../../contracts/results-message';
import { SensorAverages } from '../../../../apps/api/sensor-averages';
import { announcementMessage } from '../../../../contracts/renditions-announcement';
import { replayStartOffsets } from '../../../../apps/api/replay-offsets';

describe('results messages', () => {
  it('parses the aggregator result, dropping fields it does not know', () => {
    const parsed = parseResultsMessage(Buffer.from(JSON.stringify({ sensor: 'A', avg: 21.5, count: 20, windowEnd: 1700000000000, extra: 1 })));
    expect(parsed).toEqual({ ok: true, kind: 'average', average: { sensor: 'A', avg: 21.5, count: 20, windowEnd: 1700000000000 } });
  });

  it('parses the processor announcement of an upload\'s renditions', () => {
    const announcement = { source: '2026-01-01/a.jpg', bucket: 'processed', renditions: [{ key: '2026-01-01/a/thumb.webp', size: 10, lastModified: '2026-01-01T00:00:00.000Z' }] };
    expect(parseResultsMessage(announcementMessage(announcement).value)).toEqual({ ok: true, kind: 'renditions', announcement: { type: 'renditions', ...announcement } });
    expect(announcementMessage(announcement).key).toBe('2026-01-01/a.jpg');
  });

  it.each([
    [null, 'empty message value'],
    ['not json', 'message value is not JSON'],
    [JSON.stringify({ sensor: 'A', avg: 'hot', count: 20, windowEnd: 1 }), 'avg'],
    [JSON.stringify({ sensor: '', avg: 1, count: 20, windowEnd: 1 }), 'sensor'],
    [JSON.stringify({ sensor: 'A', avg: 1, count: 0, windowEnd: 1 }), 'count'],
    [JSON.stringify({ type: 'renditions', source: 'a.jpg', bucket: 'processed', renditions: [] }), 'renditions'],
    [JSON.stringify({ type: 'renditions', source: 'a.jpg', bucket: 'processed', renditions: [{ key: 'a/thumb.webp', size: -1, lastModified: '2026-01-01T00:00:00Z' }] }), 'renditions.0.size'],
  ])('reports %s as invalid', (value, reason) => {
    const parsed = parseResultsMessage(value);
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
