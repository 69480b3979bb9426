// A real Prometheus scrapes the local pipeline's apps and MinIO (`npm run pipeline`) with wolke's alert rules loaded:
// every metric the rules read from the apps has data under the name the rules use, the lag is there per partition,
// every rule evaluates without error; every query of the Grafana dashboards returns series, and
// `npm run dashboards:images` draws each dashboard from them.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_HISTOGRAMS, APP_METRICS } from '../../apps/lib/metric-names';
import { alerts } from '../../charts/alert-rules';
import { CLUSTER_ONLY_METRICS, atRateInterval, dashboardQueries, dashboards } from '../../charts/dashboards';
import { manifestsYaml } from '../../charts/manifests';
import { LOCAL_RATE_INTERVAL, eventually, startPipelinePrometheus, type PipelinePrometheus } from '../../testbed/pipeline-prometheus';
import { createRunDir } from '../../testbed/run-dir';
import { environment, withMonitoring } from '../support/environments';
import { KUBE_STATE_METRICS_HPA } from '../support/kube-state-metrics';
import { prometheusTools } from '../support/prometheus-tools';

const repoRoot = resolve(__dirname, '..', '..');
const env = environment((raw) => withMonitoring(raw));
/** Metric names a PromQL expression reads: identifiers directly before a label matcher. */
const metricNames = (expr: string) => [...expr.matchAll(/\b([a-z_:][a-z0-9_:]*)\{/g)].map((m) => m[1]!);

describe('Prometheus scraping the local pipeline', () => {
  let bed: PipelinePrometheus;
  let stopping = false;
  let traffic: Promise<void> | undefined;
  const started = Date.now();

  beforeAll(async () => {
    const rule = parseAllDocuments(manifestsYaml(env)).map((d) => d.toJS()).find((d) => d.kind === 'PrometheusRule');
    bed = await startPipelinePrometheus({
      prometheus: prometheusTools().prometheus,
      dir: createRunDir(resolve(repoRoot, 'test-output', 'prometheus-scrape')),
      namespace: env.apps.namespace,
      ruleGroups: rule.spec.groups,
      exitAfterSeconds: 900,
      uploadsBucket: env.apps.buckets.uploads,
    });
    // Uploads, a dead letter and api requests every few seconds while Prometheus watches, as a used system has them.
    traffic = (async () => {
      while (!stopping) {
        await bed.traffic();
        await sleep(3_000);
      }
    })();
  }, 900_000);

  afterAll(async () => {
    stopping = true;
    await traffic;
    await bed?.stop();
  }, 120_000);

  /** Sends the api some requests: it counts answers only once it has given some. */
  const callApi = async () => {
    const api = bed.apps.find((t) => t.app === 'api')!;
    for (let i = 0; i < 5; i++) await fetch(new URL('/sensors', api.url)).then((r) => r.arrayBuffer());
  };

  it('finds every app metric the alerts read, the lag per partition, and evaluates every rule', async () => {
    expect(bed.apps.map((t) => t.app).sort(), bed.output()).toEqual(['aggregator', 'api', 'detector', 'lake-sink', 'processor', 'producer', 'web']);
    await callApi();

    const up = await eventually('every app scraped', async () => {
      const result = await bed.query('up{job="wolke"} == 1');
      return result.length === bed.apps.length ? result : undefined;
    }, 60);
    expect(up.map((r) => r.metric.pod).sort()).toEqual(bed.apps.map((t) => `${t.app}-local`).sort());

    for (const name of Object.values(APP_METRICS)) {
      const series = APP_HISTOGRAMS.includes(name) ? `${name}_bucket` : name;
      await eventually(`data for ${series}`, async () => ((await bed.query(series)).length > 0 ? true : undefined), 90);
    }
    const lag = await bed.query(`${APP_METRICS.consumerLag}{namespace="${env.apps.namespace}"}`);
    const processorLag = lag.filter((r) => r.metric.pod === 'processor-local');
    expect(processorLag.length).toBeGreaterThan(0);
    expect(processorLag.every((r) => r.metric.group && r.metric.topic && /^\d+$/.test(r.metric.partition ?? ''))).toBe(true);
    // Every consumer exports its own: the lake sink a series per partition of each of its three topics.
    const consumers = ['aggregator', 'detector', 'lake-sink'];
    const everyLag = await eventually('the lag of every consumer', async () => {
      const result = await bed.query(`${APP_METRICS.consumerLag}{namespace="${env.apps.namespace}"}`);
      return consumers.every((c) => result.some((r) => r.metric.pod === `${c}-local`)) ? result : undefined;
    }, 60);
    expect(new Set(everyLag.filter((r) => r.metric.pod === 'lake-sink-local').map((r) => r.metric.topic)).size).toBe(3);

    const rules = await eventually('every rule evaluated', async () => {
      const body = (await (await fetch(`${bed.url}/api/v1/rules`)).json()) as { data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] } };
      const list = body.data.groups.flatMap((g) => g.rules);
      return list.length > 0 && list.every((r) => r.health !== 'unknown') ? list : undefined;
    }, 60);
    expect(rules.map((r) => r.name)).toEqual(alerts(env).map((a) => a.alert));
    expect(rules.filter((r) => r.health !== 'ok')).toEqual([]);
  });

  it('returns series for every dashboard query; the cluster-only panels read kube-state-metrics series that exist', async () => {
    await callApi();
    const clusterOnly: string[] = [];
    for (const { key, dashboard } of dashboards(env)) {
      for (const query of dashboardQueries(dashboard)) {
        const names = metricNames(query.expr);
        const onlyInCluster = names.filter((n) => n in CLUSTER_ONLY_METRICS);
        if (onlyInCluster.length > 0) {
          // No HorizontalPodAutoscaler exists here: the names must be ones kube-state-metrics really exports.
          for (const name of onlyInCluster) expect(KUBE_STATE_METRICS_HPA, `${key}: ${query.panel}`).toContain(name);
          clusterOnly.push(`${key}: ${query.panel}`);
          continue;
        }
        const expr = atRateInterval(query.expr, LOCAL_RATE_INTERVAL);
        const result = await eventually(`series for ${key}: ${query.panel} (${expr})`, async () => {
          const series = await bed.query(expr);
          // A number, not NaN: a quantile of no requests or an empty ratio would draw nothing.
          return series.some((r) => Number.isFinite(Number(r.value?.[1]))) ? series : undefined;
        }, 180);
        expect(result.length, expr).toBeGreaterThan(0);
      }
    }
    // Only the API dashboard's HPA panels need a cluster; every other panel was checked against the pipeline.
    expect([...new Set(clusterOnly)]).toEqual(['api: Replicas and the HPA bounds', 'api: CPU against the HPA target']);
  });

  it('draws every dashboard as a PNG under 200 KB with `npm run dashboards:images`', async () => {
    const out = mkdtempSync(join(tmpdir(), 'wolke-dashboards-'));
    try {
      const minutes = Math.max(1, Math.floor((Date.now() - started) / 60_000));
      const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'dashboards:images', '--', '--prometheus', bed.url, '--out', out, '--minutes', String(minutes)], {
        cwd: repoRoot,
        timeout: 300_000,
      });
      for (const { key, dashboard } of dashboards(env)) {
        const file = join(out, `${key}.png`);
        const line = stdout.split('\n').find((l) => l.includes(`${key}.png`));
        const panels = dashboard.panels!.length;
        const clusterOnly = key === 'api' ? 2 : 0;
        // Every panel that can have data here is drawn with it.
        expect(line, stdout).toContain(`: ${panels - clusterOnly} of ${panels} panels with data, ${clusterOnly} only in a cluster`);
        const image = readFileSync(file);
        expect(image.length, key).toBeLessThan(200 * 1024);
        const meta = await sharp(image).metadata();
        expect(meta.format).toBe('png');
        expect(meta.width).toBeGreaterThan(1000);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 360_000);
});
