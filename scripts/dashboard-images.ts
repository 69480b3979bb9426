// `npm run dashboards:images`: a PNG of each Grafana dashboard drawn from the real series of its panel queries.
// Grafana cannot run here, so the picture is a chart of what its queries return from a Prometheus that scrapes the local
// pipeline: by default this starts `npm run pipeline` and that Prometheus itself and lets them run for a while;
// `--prometheus URL` draws the last `--minutes` from a Prometheus that already scrapes it. Grafana's $__rate_interval
// becomes `--rate-interval` (default: ten of the local Prometheus's scrapes).
import { mkdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { ruleGroups } from '../charts/alert-rules';
import { CLUSTER_ONLY_METRICS, atRateInterval, dashboardQueries, dashboards } from '../charts/dashboards';
import { loadEnvironment } from '../config/load';
import { LOCAL_RATE_INTERVAL, promQuery, startPipelinePrometheus, type PipelinePrometheus } from '../testbed/pipeline-prometheus';
import { createRunDir } from '../testbed/run-dir';
import { prometheusTools } from '../test/support/prometheus-tools';
import { dashboardSvg, type ChartPanel, type ChartSeries } from './dashboard-svg';

const repoRoot = resolve(__dirname, '..');

/** Points per series: enough for a smooth line, few enough to keep each PNG small. */
const POINTS = 150;

/** Grafana's `{{label}}` legend with a series' labels filled in. */
export function legend(format: string, labels: Record<string, string>): string {
  return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
}

/** The panels of a dashboard with the series their queries return over [start, end]. */
async function chartPanels(prometheus: string, dashboard: Dashboard, start: number, end: number, rateInterval: string): Promise<ChartPanel[]> {
  const queries = dashboardQueries(dashboard);
  const step = Math.max(1, Math.ceil((end - start) / POINTS));
  const panels: ChartPanel[] = [];
  for (const panel of dashboard.panels ?? []) {
    if (!('targets' in panel)) continue;
    const defaults = panel.fieldConfig?.defaults;
    const steps = defaults?.thresholds?.steps ?? [];
    const threshold = steps.length > 1 ? (steps.at(-1)!.value ?? undefined) : undefined;
    const own = queries.filter((q) => q.panel === panel.title);
    const clusterOnly = own.flatMap((q) => Object.keys(CLUSTER_ONLY_METRICS).filter((name) => q.expr.includes(name)));
    if (clusterOnly.length > 0) {
      panels.push({ title: panel.title ?? '', unit: defaults?.unit ?? 'short', series: [], note: `Only in a cluster: ${CLUSTER_ONLY_METRICS[clusterOnly[0]!]}` });
      continue;
    }
    const series: ChartSeries[] = [];
    for (const query of own) {
      for (const result of await promQuery(prometheus, atRateInterval(query.expr, rateInterval), { start, end, step })) {
        series.push({ label: legend(query.legend, result.metric) || query.expr, points: (result.values ?? []).map(([t, v]) => [t, Number(v)] as const) });
      }
    }
    panels.push({ title: panel.title ?? '', unit: defaults?.unit ?? 'short', series, ...(threshold === undefined ? {} : { threshold }) });
  }
  return panels;
}

/** A written image: its file, how many panels it has, and how many of them have series (cluster-only ones cannot). */
export interface DashboardImage {
  file: string;
  panels: number;
  withData: number;
  clusterOnly: number;
}

/** Writes <out>/<key>.png for every dashboard and says what each shows. */
export async function writeDashboardImages(prometheus: string, out: string, seconds: number, rateInterval: string): Promise<DashboardImage[]> {
  const env = loadEnvironment(process.env.WOLKE_ENV ?? 'example');
  mkdirSync(out, { recursive: true });
  const end = Math.floor(Date.now() / 1000);
  const start = end - seconds;
  const images: DashboardImage[] = [];
  for (const { key, dashboard } of dashboards(env)) {
    const panels = await chartPanels(prometheus, dashboard, start, end, rateInterval);
    const svg = dashboardSvg({ title: dashboard.title ?? key, start, end, panels });
    const file = join(out, `${key}.png`);
    // A palette PNG: the charts have few colours, so it stays far below 200 KB.
    await sharp(Buffer.from(svg)).png({ palette: true, compressionLevel: 9 }).toFile(file);
    images.push({
      file,
      panels: panels.length,
      withData: panels.filter((p) => p.series.some((series) => series.points.some(([, v]) => Number.isFinite(v)))).length,
      clusterOnly: panels.filter((p) => p.note !== undefined).length,
    });
  }
  return images;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: join(repoRoot, 'docs', 'dashboards') },
      prometheus: { type: 'string' },
      minutes: { type: 'string', default: '5' },
      'rate-interval': { type: 'string', default: LOCAL_RATE_INTERVAL },
    },
  });
  const minutes = Number(values.minutes);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error(`--minutes must be a positive number (got ${values.minutes})`);
  const out = resolve(values.out!);
  let bed: PipelinePrometheus | undefined;
  let prometheus = values.prometheus;
  try {
    if (prometheus === undefined) {
      const env = loadEnvironment(process.env.WOLKE_ENV ?? 'example');
      const dir = createRunDir(join(repoRoot, 'test-output', 'dashboard-images'));
      console.log(`[dashboards] starting the pipeline and Prometheus in ${relative(process.cwd(), dir)}`);
      bed = await startPipelinePrometheus({
        prometheus: prometheusTools().prometheus,
        dir,
        namespace: env.apps.namespace,
        ruleGroups: ruleGroups(env),
        exitAfterSeconds: minutes * 60 + 300,
        uploadsBucket: env.apps.buckets.uploads,
      });
      prometheus = bed.url;
      // Uploads, a dead letter and api requests every few seconds while the pipeline runs.
      const until = Date.now() + minutes * 60_000;
      console.log(`[dashboards] recording ${minutes} min of the pipeline's series`);
      while (Date.now() < until) {
        await bed.traffic();
        await sleep(5_000);
      }
    }
    for (const image of await writeDashboardImages(prometheus, out, Math.round(minutes * 60), values['rate-interval']!)) {
      const size = Math.round(statSync(image.file).size / 1024);
      console.log(`[dashboards] ${relative(process.cwd(), image.file) || image.file} (${size} KB): ${image.withData} of ${image.panels} panels with data, ${image.clusterOnly} only in a cluster`);
    }
  } finally {
    await bed?.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`[dashboards] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
