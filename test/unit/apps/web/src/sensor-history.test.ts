import { describe, expect, it } from 'vitest';
import { addAverage, chartGeometry, niceTicks, type SensorAverage } from '../../../../../apps/web/src/sensor-history';

const point = (sensor: string, windowEnd: number, avg: number): SensorAverage => ({ sensor, avg, count: 20, windowEnd });

describe('sensor history', () => {
  it('keeps the last points per sensor in time order and replaces a repeated window', () => {
    let history = new Map<string, SensorAverage[]>();
    for (const p of [point('A', 3, 3), point('A', 1, 1), point('A', 2, 2), point('A', 2, 22), point('B', 1, 5)]) history = addAverage(history, p, 2);
    expect(history.get('A')).toEqual([point('A', 2, 22), point('A', 3, 3)]);
    expect(history.get('B')).toEqual([point('B', 1, 5)]);
  });

  it('picks nice ticks that cover the values', () => {
    expect(niceTicks(0.3, 9.7, 4)).toEqual([0, 5, 10]);
    expect(niceTicks(18.2, 23.9, 4)).toEqual([18, 20, 22, 24]);
    expect(niceTicks(5, 5, 4)).toEqual([4, 4.5, 5, 5.5, 6]);
  });

  it('lays out one line per sensor inside the padded plot', () => {
    const history = new Map([
      ['B', [point('B', 0, 10), point('B', 100, 20)]],
      ['A', [point('A', 50, 15)]],
    ]);
    const geometry = chartGeometry(history, { width: 200, height: 120, padding: { top: 10, right: 10, bottom: 10, left: 10 } });
    expect(geometry.yRange).toEqual([10, 20]);
    expect(geometry.lines.map((l) => l.sensor)).toEqual(['A', 'B']);
    expect(geometry.lines[1]?.path).toBe('M10,110 L190,10');
    expect(geometry.lines[0]?.path).toBe('M100,60');
    expect(geometry.lines[1]?.latest).toEqual(point('B', 100, 20));
    expect(geometry.lines[1]?.end).toEqual({ x: 190, y: 10 });
    expect(geometry.lines[0]?.end).toEqual({ x: 100, y: 60 });
  });

  it('draws nothing without data', () => {
    expect(chartGeometry(new Map(), { width: 1, height: 1, padding: { top: 0, right: 0, bottom: 0, left: 0 } }).lines).toEqual([]);
  });
});
