// Draws the sensor averages as an SVG line chart with the detector's anomalies marked, and a legend of the latest values.
import { chartGeometry, type AnomalyPoint, type SensorHistory } from './sensor-history';

const palette = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#4b5563'];
const svgNs = 'http://www.w3.org/2000/svg';
const size = { width: 640, height: 240, padding: { top: 12, right: 16, bottom: 24, left: 44 } };

function colorOf(sensors: string[], sensor: string): string {
  return palette[sensors.indexOf(sensor) % palette.length] ?? '#111827';
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

function time(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function renderChart(chart: HTMLElement, legend: HTMLElement, history: SensorHistory, anomalies: readonly AnomalyPoint[] = []): void {
  const geometry = chartGeometry(history, size, anomalies);
  if (geometry.lines.length === 0) {
    chart.replaceChildren(Object.assign(document.createElement('p'), { className: 'placeholder', textContent: 'Waiting for the first averages…' }));
    legend.replaceChildren();
    return;
  }
  const sensors = geometry.lines.map((l) => l.sensor);
  const root = svg('svg', { viewBox: `0 0 ${size.width} ${size.height}`, role: 'img', 'aria-label': 'Sensor averages over time' });
  for (const tick of geometry.yTicks) {
    root.append(svg('line', { x1: size.padding.left, x2: size.width - size.padding.right, y1: tick.y, y2: tick.y, class: 'grid-line' }));
    const label = svg('text', { x: size.padding.left - 8, y: tick.y + 4, class: 'tick', 'text-anchor': 'end' });
    label.textContent = String(tick.value);
    root.append(label);
  }
  const [from, to] = geometry.xRange;
  for (const [t, anchor, x] of [
    [from, 'start', size.padding.left],
    [to, 'end', size.width - size.padding.right],
  ] as const) {
    const label = svg('text', { x, y: size.height - 6, class: 'tick', 'text-anchor': anchor });
    label.textContent = time(t);
    root.append(label);
  }
  for (const line of geometry.lines) {
    const color = colorOf(sensors, line.sensor);
    root.append(svg('path', { d: line.path, class: 'series', stroke: color, 'data-sensor': line.sensor }));
    root.append(svg('circle', { cx: line.end.x, cy: line.end.y, r: 4, fill: color, class: 'series-end' }));
  }
  for (const mark of geometry.marks) {
    const marker = svg('path', {
      d: `M${mark.x},${mark.y - 7} L${mark.x + 6},${mark.y + 4} L${mark.x - 6},${mark.y + 4} Z`,
      class: 'anomaly',
      stroke: colorOf(sensors, mark.sensor),
      'data-sensor': mark.sensor,
      'data-anomaly': mark.id,
    });
    const title = svg('title', {});
    title.textContent = `Anomaly on sensor ${mark.sensor}`;
    marker.append(title);
    root.append(marker);
  }
  chart.replaceChildren(root);

  legend.replaceChildren(
    ...geometry.lines.map((line) => {
      const item = document.createElement('li');
      item.dataset.sensor = line.sensor;
      const swatch = Object.assign(document.createElement('span'), { className: 'swatch' });
      swatch.style.background = colorOf(sensors, line.sensor);
      const name = Object.assign(document.createElement('span'), { className: 'sensor', textContent: `Sensor ${line.sensor}` });
      const value = Object.assign(document.createElement('span'), { className: 'value', textContent: line.latest.avg.toFixed(2) });
      item.append(swatch, name, value);
      return item;
    }),
  );
}
