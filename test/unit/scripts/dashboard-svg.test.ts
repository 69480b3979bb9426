// The dashboard pictures: values in the panels' units, lines broken where a series has no value, legends that fit,
// the threshold line, a note instead of lines for cluster-only panels, and text escaped.
import { describe, expect, it } from 'vitest';
import { dashboardSvg, escapeXml, formatValue, wrap, type ChartPanel } from '../../../scripts/dashboard-svg';
import { legend } from '../../../scripts/dashboard-images';

const start = 1_800_000_000;
const end = start + 300;
const svgOf = (panels: ChartPanel[]) => dashboardSvg({ title: 'wolke test / Panels', start, end, panels });
const count = (svg: string, tag: string) => svg.split(`<${tag} `).length - 1;

describe('formatValue', () => {
  it('writes values the way the Grafana unit would', () => {
    expect(formatValue(0.25, 's')).toBe('250 ms');
    expect(formatValue(2.5, 's')).toBe('2.5 s');
    expect(formatValue(3 * 1024 ** 3, 'bytes')).toBe('3 GiB');
    expect(formatValue(2048, 'Bps')).toBe('2 KiB/s');
    expect(formatValue(1536, 'bytes')).toBe('1.5 KiB');
    expect(formatValue(0.05, 'percentunit')).toBe('5%');
    expect(formatValue(1500, 'reqps')).toBe('1.5k req/s');
    expect(formatValue(0.5, 'ops')).toBe('0.5/s');
    expect(formatValue(42, 'short')).toBe('42');
  });
});

describe('dashboardSvg', () => {
  it('draws a line per run of values and breaks it where the series has none', () => {
    const svg = svgOf([
      {
        title: 'Latency',
        unit: 's',
        series: [{ label: 'p99', points: [[start, 0.1], [start + 10, 0.2], [start + 20, Number.NaN], [start + 30, 0.3], [start + 40, 0.4]] }],
      },
    ]);
    expect(count(svg, 'polyline')).toBe(2);
    expect(svg).toContain('>p99<');
    expect(svg).not.toContain('No data');
  });

  it('draws the threshold as a dashed line when it is in range, and says "No data" for a panel without series', () => {
    const withThreshold = svgOf([{ title: 'Errors', unit: 'percentunit', series: [{ label: '5xx', points: [[start, 0.01], [end, 0.03]] }], threshold: 0.05 }]);
    expect(withThreshold).toContain('stroke-dasharray');
    const empty = svgOf([{ title: 'Errors', unit: 'percentunit', series: [] }]);
    expect(empty).toContain('No data');
  });

  it('writes a note instead of lines for a panel that only a cluster can fill', () => {
    const svg = svgOf([{ title: 'Replicas', unit: 'short', series: [], note: 'Only in a cluster: kube-state-metrics' }]);
    expect(svg).toContain('Only in a cluster: kube-state-metrics');
    expect(count(svg, 'polyline')).toBe(0);
    expect(svg).not.toContain('No data');
  });

  it('wraps a long note into lines that fit the panel', () => {
    const note = 'Only in a cluster: kube-state-metrics reads HorizontalPodAutoscalers from the Kubernetes API; the local pipeline has none';
    const lines = wrap(note, 70);
    expect(lines.length).toBe(2);
    expect(lines.every((l) => l.length <= 70)).toBe(true);
    expect(lines.join(' ')).toBe(note);
    expect(count(svgOf([{ title: 'Replicas', unit: 'short', series: [], note }]), 'text')).toBe(2 + 1 + lines.length);
  });

  it('keeps the legend to two rows and says how many series it left out', () => {
    const series = Array.from({ length: 40 }, (_, i) => ({ label: `sensor-with-a-long-name-${i}`, points: [[start, i], [end, i]] as const }));
    const svg = svgOf([{ title: 'Window averages', unit: 'short', series }]);
    expect(count(svg, 'polyline')).toBe(40);
    expect(svg).toMatch(/\+\d+ more/);
  });

  it('escapes labels and titles', () => {
    expect(escapeXml('a<b & "c"')).toBe('a&lt;b &amp; &quot;c&quot;');
    const svg = svgOf([{ title: 'Requests <all>', unit: 'reqps', series: [{ label: '/images & co', points: [[start, 1], [end, 2]] }] }]);
    expect(svg).toContain('Requests &lt;all&gt;');
    expect(svg).toContain('/images &amp; co');
  });

  it('lays the panels out two to a row', () => {
    const panel: ChartPanel = { title: 'P', unit: 'short', series: [] };
    const height = (n: number) => Number(/height="(\d+)"/.exec(svgOf(Array(n).fill(panel)))![1]);
    expect(height(2)).toBe(height(1));
    expect(height(3)).toBeGreaterThan(height(2));
  });
});

describe('legend', () => {
  it("fills Grafana's {{label}} placeholders from the series' labels", () => {
    expect(legend('{{group}} on {{topic}}', { group: 'processor', topic: 'minio-events' })).toBe('processor on minio-events');
    expect(legend('p99', {})).toBe('p99');
    expect(legend('{{missing}}', {})).toBe('');
  });
});
