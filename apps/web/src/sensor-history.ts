// The recent averages of each sensor and the chart geometry computed from them (pure, no DOM).

export interface SensorAverage {
  sensor: string;
  avg: number;
  count: number;
  windowEnd: number;
}

export type SensorHistory = ReadonlyMap<string, readonly SensorAverage[]>;

/** Adds an average to its sensor's series, in windowEnd order, keeping the last `keep` points; a repeat replaces. */
export function addAverage(history: SensorHistory, average: SensorAverage, keep: number): Map<string, SensorAverage[]> {
  const next = new Map<string, SensorAverage[]>([...history].map(([k, v]) => [k, [...v]]));
  const series = (next.get(average.sensor) ?? []).filter((p) => p.windowEnd !== average.windowEnd);
  series.push(average);
  series.sort((a, b) => a.windowEnd - b.windowEnd);
  next.set(average.sensor, series.slice(-keep));
  return next;
}

export interface ChartSize {
  width: number;
  height: number;
  padding: { top: number; right: number; bottom: number; left: number };
}

export interface ChartLine {
  sensor: string;
  /** SVG path data. */
  path: string;
  latest: SensorAverage;
  /** Where the latest point is drawn, marked with a dot (a single point draws no line). */
  end: { x: number; y: number };
}

/** An anomaly the detector flagged: `ts` is the reading's time, `value` the reading. */
export interface AnomalyPoint {
  id: string;
  sensor: string;
  value: number;
  ts: number;
}

/** Where an anomaly is marked: at its time on the chart's time axis, at its value clamped into the plot. */
export interface AnomalyMark {
  id: string;
  sensor: string;
  x: number;
  y: number;
}

export interface ChartGeometry {
  lines: ChartLine[];
  /** Anomalies within the chart's time range. */
  marks: AnomalyMark[];
  /** Value axis ticks with their y position. */
  yTicks: { value: number; y: number }[];
  xRange: [number, number];
  yRange: [number, number];
}

/** "Nice" tick values (1, 2, 5 × 10^n) covering [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) {
    min -= 1;
    max += 1;
  }
  const rough = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let v = Math.floor(min / step) * step; v <= max + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Lays out one line per sensor over a shared time axis and a value axis with nice ticks. */
export function chartGeometry(history: SensorHistory, size: ChartSize, anomalies: readonly AnomalyPoint[] = []): ChartGeometry {
  const points = [...history.values()].flat();
  if (points.length === 0) return { lines: [], marks: [], yTicks: [], xRange: [0, 0], yRange: [0, 0] };
  const times = points.map((p) => p.windowEnd);
  const values = points.map((p) => p.avg);
  const ticks = niceTicks(Math.min(...values), Math.max(...values), 4);
  const yRange: [number, number] = [ticks[0] ?? Math.min(...values), ticks[ticks.length - 1] ?? Math.max(...values)];
  const xRange: [number, number] = [Math.min(...times), Math.max(...times)];
  const { width, height, padding } = size;
  const plotWidth = width - padding.left - padding.right;
  const plotHeight = height - padding.top - padding.bottom;
  const x = (t: number) => padding.left + (xRange[1] === xRange[0] ? plotWidth : ((t - xRange[0]) / (xRange[1] - xRange[0])) * plotWidth);
  const y = (v: number) => padding.top + plotHeight - ((v - yRange[0]) / (yRange[1] - yRange[0] || 1)) * plotHeight;
  const round = (n: number) => Math.round(n * 10) / 10;
  const lines = [...history.entries()]
    .filter(([, series]) => series.length > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([sensor, series]) => {
      const latest = series[series.length - 1] as SensorAverage;
      return {
        sensor,
        path: series.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(x(p.windowEnd))},${round(y(p.avg))}`).join(' '),
        latest,
        end: { x: round(x(latest.windowEnd)), y: round(y(latest.avg)) },
      };
    });
  // A spike lies far outside the averages' range: its mark sits on the plot's edge on the side it went.
  const clampY = (v: number) => Math.min(padding.top + plotHeight, Math.max(padding.top, y(v)));
  const marks = anomalies
    .filter((a) => history.has(a.sensor) && a.ts >= xRange[0] && a.ts <= xRange[1])
    .map((a) => ({ id: a.id, sensor: a.sensor, x: round(x(a.ts)), y: round(clampY(a.value)) }));
  return { lines, marks, yTicks: ticks.map((value) => ({ value, y: round(y(value)) })), xRange, yRange };
}
