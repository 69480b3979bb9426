// Window math of the aggregator: exact averages, interleaved sensors, partial windows, and the commit point.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CommitPoint, PartitionWindows, parseCommitMetadata } from '../../../../apps/aggregator/partition-windows';
import type { WindowResult } from '../../../../contracts/window-result';
import type { SensorEvent } from '../../../../contracts/sensor-event';

const event = (sensor: string, value: number, ts = value): SensorEvent => ({ id: `${sensor}-${ts}`, sensor, value, ts });

/** Feeds events at offsets from `from` on and collects the results. */
function feed(windows: PartitionWindows, events: readonly SensorEvent[], from = 0): WindowResult[] {
  const results: WindowResult[] = [];
  events.forEach((e, i) => {
    const result = windows.add(e, BigInt(from + i));
    if (result) results.push(result);
  });
  return results;
}

describe('PartitionWindows', () => {
  it('averages 60 values of one sensor into three exact windows of 20', () => {
    const events = Array.from({ length: 60 }, (_, i) => event('A', i + 1, 1000 + i));
    const results = feed(new PartitionWindows(20), events);
    expect(results).toEqual([
      { sensor: 'A', avg: 10.5, count: 20, windowEnd: 1019 },
      { sensor: 'A', avg: 30.5, count: 20, windowEnd: 1039 },
      { sensor: 'A', avg: 50.5, count: 20, windowEnd: 1059 },
    ]);
  });

  it('keeps interleaved sensors in separate windows', () => {
    const events: SensorEvent[] = [];
    for (let i = 1; i <= 6; i++) {
      events.push(event('A', i, i), event('B', i * 10, 100 + i), event('C', -i, 200 + i));
    }
    const results = feed(new PartitionWindows(3), events);
    expect(results).toEqual([
      { sensor: 'A', avg: 2, count: 3, windowEnd: 3 },
      { sensor: 'B', avg: 20, count: 3, windowEnd: 103 },
      { sensor: 'C', avg: -2, count: 3, windowEnd: 203 },
      { sensor: 'A', avg: 5, count: 3, windowEnd: 6 },
      { sensor: 'B', avg: 50, count: 3, windowEnd: 106 },
      { sensor: 'C', avg: -5, count: 3, windowEnd: 206 },
    ]);
  });

  it('emits nothing for a partly filled window and reports how full it is', () => {
    const windows = new PartitionWindows(20);
    expect(feed(windows, [event('A', 1), event('A', 2), event('B', 7)])).toEqual([]);
    expect(windows.openCount('A')).toBe(2);
    expect(windows.openCount('B')).toBe(1);
    expect(windows.openCount('C')).toBe(0);
  });

  it('ignores an offset it has already seen', () => {
    const windows = new PartitionWindows(2);
    expect(windows.add(event('A', 1), 5n)).toBeUndefined();
    expect(windows.add(event('A', 100), 5n)).toBeUndefined();
    expect(windows.add(event('A', 3), 6n)).toEqual({ sensor: 'A', avg: 2, count: 2, windowEnd: 3 });
  });

  it('rejects a window size that is not a positive whole number', () => {
    expect(() => new PartitionWindows(0)).toThrow(/windowSize/);
    expect(() => new PartitionWindows(2.5)).toThrow(/windowSize/);
  });
});

describe('PartitionWindows.commitPoint', () => {
  it('has nothing to commit before the first event', () => {
    expect(new PartitionWindows(20).commitPoint()).toBeUndefined();
  });

  it('commits the first offset of the oldest open window', () => {
    const windows = new PartitionWindows(3);
    // offsets: 10 A, 11 B, 12 A, 13 A (A closes), 14 B
    feed(windows, [event('A', 1), event('B', 1), event('A', 2), event('A', 3), event('B', 2)], 10);
    const point = windows.commitPoint();
    expect(point?.offset).toBe(11n);
    // A's window closed at 13, after the commit offset: re-reading must skip A's events before 14.
    expect(parseCommitMetadata(point?.metadata)).toEqual(new Map([['A', 14n]]));
  });

  it('commits past the last event when no window is open', () => {
    const windows = new PartitionWindows(2);
    feed(windows, [event('A', 1), event('A', 2)], 40);
    const point = windows.commitPoint();
    expect(point?.offset).toBe(42n);
    expect(parseCommitMetadata(point?.metadata).size).toBe(0);
  });

  it('commits past offsets that held no sensor event', () => {
    const windows = new PartitionWindows(2);
    windows.skip(7n);
    windows.skip(8n);
    expect(windows.commitPoint()?.offset).toBe(9n);
  });

  it('rebuilds open windows exactly from the commit point and its metadata', () => {
    // Window 3. Offsets: 0 A1, 1 B10, 2 A2, 3 A3 (A closes), 4 A4, 5 B20 — B's window is the oldest open one.
    const events = [event('A', 1), event('B', 10), event('A', 2), event('A', 3), event('A', 4), event('B', 20)];
    const first = new PartitionWindows(3);
    expect(feed(first, events)).toEqual([{ sensor: 'A', avg: 2, count: 3, windowEnd: 3 }]);
    const point = first.commitPoint();
    expect(point?.offset).toBe(1n);

    // A new owner re-reads from offset 1: A2 and A3 are skipped (already in the emitted window), A4 is kept.
    const second = new PartitionWindows(3, point?.metadata ?? null);
    const tail = [...events.slice(1), event('B', 30), event('A', 5), event('A', 6)];
    expect(feed(second, tail, 1)).toEqual([
      { sensor: 'B', avg: 20, count: 3, windowEnd: 30 },
      { sensor: 'A', avg: 5, count: 3, windowEnd: 6 },
    ]);
  });

  it('ignores events below the offset it resumes at, as a fetch from an older position would deliver', () => {
    const windows = new PartitionWindows(2, null, 10n);
    expect(windows.add(event('A', 1), 8n)).toBeUndefined();
    expect(windows.add(event('A', 2), 9n)).toBeUndefined();
    expect(windows.commitPoint()).toBeUndefined();
    expect(windows.add(event('A', 3), 10n)).toBeUndefined();
    expect(windows.add(event('A', 5), 11n)).toEqual({ sensor: 'A', avg: 4, count: 2, windowEnd: 5 });
    expect(windows.commitPoint()?.offset).toBe(12n);
  });

  it('ignores metadata that is not its own', () => {
    expect(parseCommitMetadata('not json').size).toBe(0);
    expect(parseCommitMetadata('{"v":2,"skip":{"A":"3"}}').size).toBe(0);
    expect(parseCommitMetadata('{"v":1,"skip":{"A":"x","B":"4"}}')).toEqual(new Map([['B', 4n]]));
    expect(parseCommitMetadata(null).size).toBe(0);
  });

  it('loses no window and repeats none across any sequence of restarts', () => {
    const arbitraryEvent = fc.record({
      sensor: fc.constantFrom('A', 'B', 'C', 'D'),
      value: fc.integer({ min: -1000, max: 1000 }),
    });
    fc.assert(
      fc.property(
        fc.array(arbitraryEvent, { maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 5 }),
        (raw, crashes, size, rewind) => {
          const events = raw.map((e, i) => event(e.sensor, e.value, i));
          const expected = feed(new PartitionWindows(size), events);

          // Each run processes up to a crash point, emits its results, commits, and dies; the next run
          // resumes at the committed offset with the committed metadata, as a new owner would.
          const emitted: WindowResult[] = [];
          let resumeAt = 0;
          let metadata: string | null = null;
          const stops = [...crashes.map((c) => (events.length === 0 ? 0 : c % (events.length + 1))), events.length];
          for (const stop of stops) {
            const windows: PartitionWindows = new PartitionWindows(size, metadata, BigInt(resumeAt));
            const end = Math.max(stop, resumeAt);
            // Fetches may start a little before the committed offset; those events must change nothing.
            const from = Math.max(0, resumeAt - rewind);
            emitted.push(...feed(windows, events.slice(from, end), from));
            const point: CommitPoint | undefined = windows.commitPoint();
            if (point) {
              resumeAt = Number(point.offset);
              metadata = point.metadata;
            }
          }
          expect(emitted).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
