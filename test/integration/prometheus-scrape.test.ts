// A real Prometheus scrapes the local pipeline's apps (`npm run pipeline`) with wolke's alert rules loaded: every metric
// the rules read from the apps has data under the name the rules use, the lag is there per partition, every rule
// evaluates without error.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { APP_METRICS } from '../../apps/lib/metric-names';
import { alerts } from '../../charts/alert-rules';
import { manifestsYaml } from '../../charts/manifests';
import { freePort } from '../../testbed/ports';
import { signalGroup, supervise, tail } from '../../testbed/process';
import { createRunDir } from '../../testbed/run-dir';
import { environment } from '../support/environments';
import { prometheusTools } from '../support/prometheus-tools';

const repoRoot = resolve(__dirname, '..', '..');
const env = environment((raw) => (raw.monitoring = { enabled: true }));

/** Polls `probe` every second until it returns a value, or fails naming `what`. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, seconds: number): Promise<T> {
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

describe('Prometheus scraping the local pipeline', () => {
  it('finds every app metric the alerts read, the lag per partition, and evaluates every rule', async () => {
    const { prometheus } = prometheusTools();
    const dir = createRunDir(resolve(repoRoot, 'test-output', 'prometheus-scrape'));
    const pipeline = spawn(resolve(repoRoot, 'node_modules/.bin/tsx'), ['scripts/pipeline.ts'], {
      cwd: repoRoot,
      env: { ...process.env, WOLKE_PIPELINE_DIR: resolve(dir, 'pipeline'), WOLKE_PIPELINE_EXIT_AFTER: '600' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    pipeline.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    pipeline.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => pipeline.once('exit', (code) => done(code)));
    let server: ReturnType<typeof supervise> | undefined;
    try {
      await eventually('pipeline ready', async () => (output.includes('pipeline ready') ? true : pipeline.exitCode === null ? undefined : Promise.reject(new Error(output))), 600);
      const targets = [...output.matchAll(/\[pipeline\] ([\w-]+) ready \((http:\/\/[\d.:]+)\/metrics\)/g)].map((m) => ({ app: m[1]!, url: new URL(m[2]!) }));
      expect(targets.map((t) => t.app).sort(), output).toEqual(['aggregator', 'api', 'detector', 'lake-sink', 'processor', 'producer', 'web']);

      // Labelled as the PodMonitors' targets are in the cluster, so the rules' namespace matchers hold.
      mkdirSync(resolve(dir, 'prometheus'), { recursive: true });
      const rule = parseAllDocuments(manifestsYaml(env)).map((d) => d.toJS()).find((d) => d.kind === 'PrometheusRule');
      writeFileSync(resolve(dir, 'prometheus', 'rules.yaml'), stringify(rule.spec));
      writeFileSync(
        resolve(dir, 'prometheus', 'prometheus.yml'),
        stringify({
          global: { scrape_interval: '2s', evaluation_interval: '2s' },
          rule_files: ['rules.yaml'],
          scrape_configs: [
            {
              job_name: 'wolke',
              static_configs: targets.map((t) => ({ targets: [t.url.host], labels: { namespace: env.apps.namespace, pod: `${t.app}-local` } })),
            },
          ],
        }),
      );
      const port = await freePort();
      server = supervise(
        prometheus,
        [
          `--config.file=${resolve(dir, 'prometheus', 'prometheus.yml')}`,
          `--storage.tsdb.path=${resolve(dir, 'prometheus', 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        { logFile: resolve(dir, 'prometheus.log') },
      );
      const api = `http://127.0.0.1:${port}/api/v1`;
      const query = async (promql: string) => {
        const body = (await (await fetch(`${api}/query?query=${encodeURIComponent(promql)}`)).json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
        return body.data.result;
      };
      await eventually(`prometheus ready (${tail(server.logFile)})`, async () => ((await fetch(`http://127.0.0.1:${port}/-/ready`)).ok ? true : undefined), 60);

      // The api counts answers only once it has given some.
      const apiTarget = targets.find((t) => t.app === 'api')!;
      for (let i = 0; i < 5; i++) await fetch(new URL('/sensors', apiTarget.url));

      const up = await eventually('every app scraped', async () => {
        const result = await query('up{job="wolke"} == 1');
        return result.length === targets.length ? result : undefined;
      }, 60);
      expect(up.map((r) => r.metric.pod).sort()).toEqual(targets.map((t) => `${t.app}-local`).sort());

      for (const name of Object.values(APP_METRICS)) {
        const series = name === APP_METRICS.apiRequestSeconds ? `${name}_bucket` : name;
        await eventually(`data for ${series}`, async () => ((await query(series)).length > 0 ? true : undefined), 90);
      }
      const lag = await query(`${APP_METRICS.consumerLag}{namespace="${env.apps.namespace}"}`);
      const processorLag = lag.filter((r) => r.metric.pod === 'processor-local');
      expect(processorLag.length).toBeGreaterThan(0);
      expect(processorLag.every((r) => r.metric.group && r.metric.topic && /^\d+$/.test(r.metric.partition ?? ''))).toBe(true);
      // Every consumer exports its own: the lake sink a series per partition of each of its three topics.
      const consumers = ['aggregator', 'detector', 'lake-sink'];
      const everyLag = await eventually('the lag of every consumer', async () => {
        const result = await query(`${APP_METRICS.consumerLag}{namespace="${env.apps.namespace}"}`);
        return consumers.every((c) => result.some((r) => r.metric.pod === `${c}-local`)) ? result : undefined;
      }, 60);
      expect(new Set(everyLag.filter((r) => r.metric.pod === 'lake-sink-local').map((r) => r.metric.topic)).size).toBe(3);

      const rules = await eventually('every rule evaluated', async () => {
        const body = (await (await fetch(`${api}/rules`)).json()) as { data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] } };
        const list = body.data.groups.flatMap((g) => g.rules);
        return list.length > 0 && list.every((r) => r.health !== 'unknown') ? list : undefined;
      }, 60);
      expect(rules.map((r) => r.name)).toEqual(alerts(env).map((a) => a.alert));
      expect(rules.filter((r) => r.health !== 'ok')).toEqual([]);
    } finally {
      await server?.stop();
      if (pipeline.exitCode === null) {
        signalGroup(pipeline, 'SIGINT');
        await exited;
      }
    }
  }, 900_000);
});
