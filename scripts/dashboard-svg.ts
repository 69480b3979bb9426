// Draws a dashboard's panels as an SVG image of their real series: a picture of what Grafana shows, for the README.

/** One series of a panel: its legend and its samples (epoch seconds, value; NaN breaks the line). */
export interface ChartSeries {
  label: string;
  points: readonly (readonly [number, number])[];
}

/** One panel to draw. */
export interface ChartPanel {
  title: string;
  /** Grafana unit id of the values. */
  unit: string;
  series: readonly ChartSeries[];
  /** A dashed red line at the alert's threshold. */
  threshold?: number;
  /** Drawn instead of series when the panel cannot have data here. */
  note?: string;
}

export interface ChartDashboard {
  title: string;
  /** Time range of the picture, epoch seconds. */
  start: number;
  end: number;
  panels: readonly ChartPanel[];
}

const COLUMNS = 2;
const PANEL_W = 620;
const PANEL_H = 270;
const GAP = 12;
const HEADER = 48;
const PLOT = { left: 64, right: 16, top: 34, bottom: 62 };
const LEGEND_ROWS = 2;
/** Characters of a note line at 13 px that fit a panel. */
const NOTE_CHARS = 70;
const PALETTE = ['#73bf69', '#f2cc0c', '#5794f2', '#ff780a', '#b877d9', '#f2495c', '#8ab8ff', '#96d98d', '#fade2a', '#ca95e5'];
const THEME = { page: '#111217', panel: '#181b1f', border: '#2c3235', text: '#ccccdc', muted: '#8e8e99', grid: '#2c3235', threshold: '#f2495c' };
const FONT = 'DejaVu Sans, Liberation Sans, sans-serif';

/** Escapes text for an SVG text node or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A value as Grafana's unit would show it, short. */
export function formatValue(value: number, unit: string): string {
  const short = (v: number): string => {
    const abs = Math.abs(v);
    if (abs >= 1e9) return `${+(v / 1e9).toFixed(1)}G`;
    if (abs >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
    if (abs >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
    if (abs >= 10 || abs === 0) return `${+v.toFixed(0)}`;
    if (abs >= 1) return `${+v.toFixed(1)}`;
    return `${+v.toPrecision(2)}`;
  };
  const bytes = (v: number): string => {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return `${+v.toFixed(v >= 10 || i === 0 ? 0 : 1)} ${units[i]}`;
  };
  switch (unit) {
    case 's':
      return value < 1 && value !== 0 ? `${short(value * 1000)} ms` : `${short(value)} s`;
    case 'bytes':
      return bytes(value);
    case 'Bps':
      return `${bytes(value)}/s`;
    case 'percentunit':
      return `${short(value * 100)}%`;
    case 'percent':
      return `${short(value)}%`;
    case 'ops':
      return `${short(value)}/s`;
    case 'reqps':
      return `${short(value)} req/s`;
    default:
      return short(value);
  }
}

/** Words of `text` in lines of at most `max` characters (a longer word gets a line of its own). */
export function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= max) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** A clock time (UTC) for the time axis. */
function clock(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(11, 19);
}

/** The top of the value axis: a round number at or above the largest value (and the threshold when it is near). */
function axisMax(values: number[], threshold: number | undefined): number {
  let max = Math.max(0, ...values);
  if (threshold !== undefined && threshold <= max * 2) max = Math.max(max, threshold);
  if (max === 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}

function panelSvg(panel: ChartPanel, x: number, y: number, start: number, end: number): string {
  const out: string[] = [];
  out.push(`<rect x="${x}" y="${y}" width="${PANEL_W}" height="${PANEL_H}" rx="3" fill="${THEME.panel}" stroke="${THEME.border}"/>`);
  out.push(`<text x="${x + 12}" y="${y + 21}" font-size="14" font-weight="bold" fill="${THEME.text}">${escapeXml(panel.title)}</text>`);
  const px = x + PLOT.left;
  const py = y + PLOT.top;
  const pw = PANEL_W - PLOT.left - PLOT.right;
  const ph = PANEL_H - PLOT.top - PLOT.bottom;
  if (panel.note !== undefined) {
    const lines = wrap(panel.note, NOTE_CHARS);
    lines.forEach((line, i) => {
      const ly = y + PANEL_H / 2 + (i - (lines.length - 1) / 2) * 18;
      out.push(`<text x="${x + PANEL_W / 2}" y="${ly}" font-size="13" fill="${THEME.muted}" text-anchor="middle">${escapeXml(line)}</text>`);
    });
    return out.join('');
  }
  const values = panel.series.flatMap((s) => s.points.map((p) => p[1]).filter((v) => Number.isFinite(v)));
  const top = axisMax(values, panel.threshold);
  const sx = (t: number) => px + ((t - start) / Math.max(1, end - start)) * pw;
  const sy = (v: number) => py + ph - (Math.min(v, top) / top) * ph;
  for (let i = 0; i <= 4; i++) {
    const v = (top * i) / 4;
    out.push(`<line x1="${px}" x2="${px + pw}" y1="${sy(v).toFixed(1)}" y2="${sy(v).toFixed(1)}" stroke="${THEME.grid}"/>`);
    out.push(`<text x="${px - 6}" y="${(sy(v) + 4).toFixed(1)}" font-size="11" fill="${THEME.muted}" text-anchor="end">${escapeXml(formatValue(v, panel.unit))}</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const t = start + ((end - start) * i) / 4;
    const anchor = i === 0 ? 'start' : i === 4 ? 'end' : 'middle';
    out.push(`<text x="${sx(t).toFixed(1)}" y="${py + ph + 16}" font-size="11" fill="${THEME.muted}" text-anchor="${anchor}">${clock(t)}</text>`);
  }
  if (panel.threshold !== undefined && panel.threshold <= top) {
    const ty = sy(panel.threshold).toFixed(1);
    out.push(`<line x1="${px}" x2="${px + pw}" y1="${ty}" y2="${ty}" stroke="${THEME.threshold}" stroke-dasharray="6 4"/>`);
  }
  panel.series.forEach((series, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    // A NaN (a quantile of no requests) or a gap of more than a few steps starts a new line, as Grafana draws it.
    const segments: string[][] = [[]];
    for (const [t, v] of series.points) {
      if (!Number.isFinite(v)) {
        if (segments.at(-1)!.length > 0) segments.push([]);
        continue;
      }
      segments.at(-1)!.push(`${sx(t).toFixed(1)},${sy(v).toFixed(1)}`);
    }
    for (const segment of segments) {
      if (segment.length === 1) out.push(`<circle cx="${segment[0]!.split(',')[0]}" cy="${segment[0]!.split(',')[1]}" r="2" fill="${color}"/>`);
      if (segment.length > 1) out.push(`<polyline points="${segment.join(' ')}" fill="none" stroke="${color}" stroke-width="1.6"/>`);
    }
  });
  // The legend: as many entries as fit in two rows, then how many more there are.
  const legendTop = py + ph + 32;
  let lx = px;
  let row = 0;
  for (let i = 0; i < panel.series.length; i++) {
    const label = panel.series[i]!.label;
    const width = 24 + label.length * 6.6;
    if (lx + width > x + PANEL_W - 12) {
      row++;
      lx = px;
    }
    if (row >= LEGEND_ROWS) {
      out.push(`<text x="${x + PANEL_W - 12}" y="${legendTop + (LEGEND_ROWS - 1) * 16}" font-size="11" fill="${THEME.muted}" text-anchor="end">+${panel.series.length - i} more</text>`);
      break;
    }
    const ly = legendTop + row * 16;
    out.push(`<rect x="${lx}" y="${ly - 8}" width="14" height="4" fill="${PALETTE[i % PALETTE.length]}"/>`);
    out.push(`<text x="${lx + 18}" y="${ly - 2}" font-size="11" fill="${THEME.text}">${escapeXml(label)}</text>`);
    lx += width;
  }
  if (panel.series.length === 0) {
    out.push(`<text x="${px + pw / 2}" y="${py + ph / 2}" font-size="13" fill="${THEME.muted}" text-anchor="middle">No data</text>`);
  }
  return out.join('');
}

/** The whole dashboard as one SVG document: a title bar, then the panels two to a row. */
export function dashboardSvg(dashboard: ChartDashboard): string {
  const rows = Math.ceil(dashboard.panels.length / COLUMNS);
  const width = COLUMNS * PANEL_W + (COLUMNS + 1) * GAP;
  const height = HEADER + rows * (PANEL_H + GAP) + GAP;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    `<rect width="${width}" height="${height}" fill="${THEME.page}"/>`,
    `<text x="${GAP}" y="30" font-size="18" fill="${THEME.text}">${escapeXml(dashboard.title)}</text>`,
    `<text x="${width - GAP}" y="30" font-size="12" fill="${THEME.muted}" text-anchor="end">${escapeXml(`${new Date(dashboard.start * 1000).toISOString().slice(0, 10)} ${clock(dashboard.start)}–${clock(dashboard.end)} UTC`)}</text>`,
  ];
  dashboard.panels.forEach((panel, i) => {
    const x = GAP + (i % COLUMNS) * (PANEL_W + GAP);
    const y = HEADER + Math.floor(i / COLUMNS) * (PANEL_H + GAP);
    parts.push(panelSvg(panel, x, y, dashboard.start, dashboard.end));
  });
  parts.push('</svg>');
  return parts.join('\n');
}
