// The local pipeline (`npm run pipeline`) with a real Prometheus scraping its apps, Kafka's exporter agent and MinIO the
// way the PodMonitors do in a cluster (same namespace label, jobs named <namespace>/<PodMonitor>), and wolke's alert
// rules loaded.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { createMinio } from '../apps/lib/minio';
import { MINIO_METRICS_PATH } from '../charts/monitoring';
import { SERVICE_NAMES } from '../charts/endpoints';
import type { RuleGroup } from '../charts/monitoring-kinds';
import { sampleImages } from '../scripts/sample-images';
import { freePort } from './ports';
import { signalGroup, supervise, tail, type Supervised } from './process';

const repoRoot = resolve(__dirname, '..');

/** How often the local Prometheus scrapes and evaluates: short, so a test sees rates within seconds. */
export const LOCAL_SCRAPE_INTERVAL = '2s';

/** What Grafana's $__rate_interval is at that scrape interval (at least four scrapes; ten for smoother lines). */
export const LOCAL_RATE_INTERVAL = '20s';

/** One app of the pipeline as Prometheus scrapes it. */
export interface ScrapedApp {
  app: string;
  url: URL;
}

/** A Prometheus instant or range result. */
export interface PromSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

export interface PipelinePrometheus {
  /** Base URL of Prometheus, e.g. http://127.0.0.1:PORT. */
  url: string;
  /** The apps the pipeline started, with their /metrics address. */
  apps: ScrapedApp[];
  /** MinIO's API endpoint; Prometheus scrapes its cluster metrics. */
  minioEndpoint: string;
  /** Everything the pipeline printed so far. */
  output(): string;
  /** Instant query; throws on a PromQL error. */
  query(promql: string): Promise<PromSeries[]>;
  /**
   * One round of work while Prometheus watches: the sample images uploaded again under new keys, one upload that is
   * not an image (a dead letter), and a few api requests.
   */
  traffic(): Promise<void>;
  /** Stops Prometheus and the pipeline (its apps, Kafka and MinIO). */
  stop(): Promise<void>;
}

export interface PipelinePrometheusOptions {
  /** The prometheus binary (testbed/prometheus.sh builds it). */
  prometheus: string;
  /** Run directory: the pipeline's state and logs, Prometheus's config and data. */
  dir: string;
  /** Namespace label every target gets, as the PodMonitors' targets carry it. */
  namespace: string;
  /** Rule groups to load (the PrometheusRule's spec.groups). */
  ruleGroups: readonly RuleGroup[];
  /** Seconds after which the pipeline stops by itself, whatever happens to the caller. */
  exitAfterSeconds: number;
  /** The uploads bucket (the model's apps.buckets.uploads). */
  uploadsBucket: string;
}

/** Polls `probe` every second until it returns a value, or fails naming `what`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, seconds: number): Promise<T> {
  let last: unknown;
  for (let i = 0; i < seconds; i++) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(1_000);
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

/** Runs a PromQL query against `base` (/api/v1/query, or query_range with `range`). */
export async function promQuery(base: string, promql: string, range?: { start: number; end: number; step: number }): Promise<PromSeries[]> {
  const params = new URLSearchParams({ query: promql });
  if (range) for (const [k, v] of Object.entries(range)) params.set(k, String(v));
  const response = await fetch(`${base}/api/v1/${range ? 'query_range' : 'query'}?${params}`);
  const body = (await response.json()) as { status: string; error?: string; data?: { result: PromSeries[] } };
  if (body.status !== 'success') throw new Error(`${promql}: ${body.error ?? response.status}`);
  return body.data!.result;
}

/** Starts the pipeline, then Prometheus once every app is ready. */
export async function startPipelinePrometheus(options: PipelinePrometheusOptions): Promise<PipelinePrometheus> {
  const { dir, namespace } = options;
  const pipeline = spawn(join(repoRoot, 'node_modules/.bin/tsx'), ['scripts/pipeline.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      WOLKE_PIPELINE_DIR: join(dir, 'pipeline'),
      WOLKE_PIPELINE_EXIT_AFTER: String(options.exitAfterSeconds),
      // MinIO serves its cluster metrics without a token, as the manifests configure it when monitoring is on.
      MINIO_PROMETHEUS_AUTH_TYPE: 'public',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  pipeline.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  pipeline.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => pipeline.once('exit', (code) => done(code)));
  let server: Supervised | undefined;
  const stop = async () => {
    await server?.stop();
    if (pipeline.exitCode === null) {
      signalGroup(pipeline, 'SIGINT');
      await exited;
    }
  };

  try {
    await eventually('pipeline ready', async () => (output.includes('pipeline ready') ? true : pipeline.exitCode === null ? undefined : Promise.reject(new Error(output))), 600);
    const apps = [...output.matchAll(/\[pipeline\] ([\w-]+) ready \((http:\/\/[\d.:]+)\/metrics\)/g)].map((m) => ({ app: m[1]!, url: new URL(m[2]!) }));
    const minioEndpoint = /\[pipeline\] minio (http:\/\/[\d.:]+)/.exec(output)?.[1];
    if (minioEndpoint === undefined) throw new Error(`the pipeline named no MinIO endpoint:\n${output}`);
    // The JMX exporter agent of each test-bed broker, the one the Kafka image runs.
    const kafkaMetrics = (/\[pipeline\] kafka metrics (\S+)/.exec(output)?.[1] ?? '').split(',').filter((u) => u.length > 0).map((u) => new URL(u));
    if (kafkaMetrics.length === 0) throw new Error(`the pipeline named no Kafka metrics endpoint:\n${output}`);

    const promDir = join(dir, 'prometheus');
    mkdirSync(promDir, { recursive: true });
    writeFileSync(join(promDir, 'rules.yaml'), stringify({ groups: options.ruleGroups }));
    const interval = LOCAL_SCRAPE_INTERVAL;
    writeFileSync(
      join(promDir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: interval, evaluation_interval: interval },
        rule_files: ['rules.yaml'],
        scrape_configs: [
          { job_name: 'wolke', static_configs: apps.map((t) => ({ targets: [t.url.host], labels: { namespace, pod: `${t.app}-local` } })) },
          {
            job_name: `${namespace}/${SERVICE_NAMES.kafka}`,
            static_configs: kafkaMetrics.map((u, i) => ({ targets: [u.host], labels: { namespace, pod: `${SERVICE_NAMES.kafka}-${i}` } })),
          },
          {
            job_name: `${namespace}/${SERVICE_NAMES.minio}`,
            metrics_path: MINIO_METRICS_PATH,
            static_configs: [{ targets: [new URL(minioEndpoint).host], labels: { namespace, pod: `${SERVICE_NAMES.minio}-0` } }],
          },
        ],
      }),
    );
    const port = await freePort();
    server = supervise(
      options.prometheus,
      [`--config.file=${join(promDir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(promDir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      { logFile: join(dir, 'prometheus.log') },
    );
    const url = `http://127.0.0.1:${port}`;
    const started = server;
    await eventually(`prometheus ready (${tail(started.logFile)})`, async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), 60);
    // The pipeline keeps MinIO's root credentials in a 0600 file of its run directory, never in its output.
    const credentials = Object.fromEntries(
      readFileSync(join(dir, 'pipeline', 'pipeline.env'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    const minio = createMinio({ MINIO_ENDPOINT: minioEndpoint, MINIO_ACCESS_KEY: credentials.MINIO_ACCESS_KEY!, MINIO_SECRET_KEY: credentials.MINIO_SECRET_KEY!, MINIO_REGION: 'us-east-1' });
    const api = apps.find((a) => a.app === 'api');
    let round = 0;
    const traffic = async () => {
      round++;
      for (const sample of await sampleImages(`traffic/${round}`)) {
        await minio.putObject(options.uploadsBucket, sample.key, sample.body, sample.body.length, { 'Content-Type': sample.contentType });
      }
      const text = Buffer.from('not an image');
      await minio.putObject(options.uploadsBucket, `traffic/${round}/notes.txt`, text, text.length, { 'Content-Type': 'text/plain' });
      if (api) for (const path of ['/sensors', '/images', '/sensors']) await fetch(new URL(path, api.url)).then((r) => r.arrayBuffer());
    };
    return { url, apps, minioEndpoint, output: () => output, query: (promql) => promQuery(url, promql), traffic, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
