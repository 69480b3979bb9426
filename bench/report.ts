// Renders benchmark results: a console table, the markdown summary (results/latest.md) and a bar chart as SVG.
import type { BenchmarkResult, Measurement } from './result';
import { speedup } from './stats';

/** Where and when the benchmarks ran; machines here are shared and noisy, so the load is part of the result. */
export interface RunInfo {
  date: string;
  cpus: number;
  cpuModel: string;
  node: string;
  loadBefore: number;
  loadAfter: number;
  seconds: number;
}

/** A number with a precision that suits its size. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value).toLocaleString('en-US');
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** The first result of a measurement is the subject; every other one is compared with it. */
function comparison(measurement: Measurement, index: number): string {
  if (index === 0 || measurement.results.length < 2) return '';
  const subject = measurement.results[0]!.median;
  const other = measurement.results[index]!.median;
  if (!(subject > 0) || !(other > 0)) return '';
  return `${formatValue(speedup(subject, other, measurement.better))}×`;
}

function rows(result: BenchmarkResult): string[][] {
  return result.measurements.flatMap((m) =>
    m.results.map((r, i) => [
      result.id,
      m.metric,
      r.subject,
      `${formatValue(r.median)} ${m.unit}`,
      r.samples.map(formatValue).join(' / '),
      comparison(m, i),
      r.note ?? '',
    ]),
  );
}

const headers = ['', 'metric', 'subject', 'median', 'samples', 'first is ×better', 'note'];

/** A fixed-width table for the terminal. */
export function renderTable(results: readonly BenchmarkResult[]): string {
  const all = [headers, ...results.flatMap(rows)];
  const widths = headers.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  const targets = results.flatMap((r) => r.targets.map((t) => `${t.met ? 'met   ' : 'MISSED'} ${r.id} ${t.description}: ${t.detail}`));
  return [line(all[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line), '', ...targets].join('\n');
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The markdown summary the README shows. */
export function renderMarkdown(results: readonly BenchmarkResult[], info: RunInfo): string {
  const out: string[] = [
    '# wolke benchmarks — latest run',
    '',
    `${info.date}, ${info.cpus} × ${info.cpuModel}, Node ${info.node}; load average ${info.loadBefore.toFixed(1)} before, ` +
      `${info.loadAfter.toFixed(1)} after; ${Math.round(info.seconds)} s in all. Written by \`npm run bench\`.`,
    '',
    'Subjects run in alternation (A B A B) on the same test-bed Kafka and MinIO; the tables give medians and every sample.',
    'The machine is shared, so compare the ratios, not the absolute numbers. "first is ×better" compares the first',
    'row of a metric with each other row (above 1: the first wins; for P3, how many times longer the larger cluster takes).',
    '',
    '![latest benchmark chart](latest.png)',
    '',
  ];
  for (const result of results) {
    out.push(`## ${result.id} — ${result.title}`, '', result.setup, '');
    out.push('| metric | subject | median | samples | first is ×better | note |', '|---|---|---:|---|---:|---|');
    for (const r of rows(result)) out.push(`| ${r.slice(1).map(cell).join(' | ')} |`);
    out.push('', '| target | verdict | measured |', '|---|---|---|');
    for (const t of result.targets) out.push(`| ${cell(t.description)} | ${t.met ? 'met' : '**missed**'} | ${cell(t.detail)} |`);
    if (result.notes.length > 0) out.push('', ...result.notes.map((n) => `- ${n}`));
    out.push('');
  }
  return out.join('\n');
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const palette = ['#2b6cb0', '#dd6b20', '#718096', '#38a169', '#805ad5'];

/** Horizontal bars of the medians, one group per benchmark metric, each scaled to its own largest value. */
export function renderChartSvg(results: readonly BenchmarkResult[], title: string): string {
  const width = 960;
  const labelWidth = 330;
  const barHeight = 20;
  const gap = 6;
  const parts: string[] = [];
  let y = 48;
  for (const result of results) {
    for (const m of result.measurements) {
      parts.push(
        `<text x="16" y="${y + 14}" font-size="15" font-weight="bold">${escapeXml(`${result.id} ${m.metric} (${m.unit}, ${m.better} is better)`)}</text>`,
      );
      y += 24;
      const largest = Math.max(...m.results.map((r) => r.median), Number.MIN_VALUE);
      m.results.forEach((r, i) => {
        const length = Math.max(1, ((width - labelWidth - 120) * r.median) / largest);
        parts.push(
          `<text x="24" y="${y + 15}" font-size="13">${escapeXml(r.subject)}</text>`,
          `<rect x="${labelWidth}" y="${y}" width="${length.toFixed(1)}" height="${barHeight}" fill="${palette[i % palette.length]}"/>`,
          `<text x="${(labelWidth + length + 6).toFixed(1)}" y="${y + 15}" font-size="13">${escapeXml(formatValue(r.median) + (r.note ? ' *' : ''))}</text>`,
        );
        y += barHeight + gap;
      });
      y += 12;
    }
  }
  const height = y + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="16" y="28" font-size="18" font-weight="bold">${escapeXml(title)}</text>`,
    ...parts,
    `<text x="16" y="${height - 8}" font-size="11" fill="#4a5568">* a caveat applies (see latest.md)</text>`,
    '</svg>',
  ].join('\n');
}
