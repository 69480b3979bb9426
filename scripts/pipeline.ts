// `npm run pipeline`: the whole system on this machine — test-bed Kafka and MinIO, setup, every app that exists,
// sample uploads — until Ctrl-C (or WOLKE_PIPELINE_EXIT_AFTER seconds), then everything stops cleanly.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadEnvironment } from '../config/load';
import { createMinio } from '../apps/lib/minio';
import { minioKafkaArn } from '../apps/lib/setup';
import { runSetup } from '../apps/setup/run';
import { startKafka, type KafkaTestbed } from '../testbed/kafka';
import { startMinio, type MinioTestbed } from '../testbed/minio';
import { freePorts } from '../testbed/ports';
import { supervise, tail, type Supervised } from '../testbed/process';
import { createRunDir } from '../testbed/run-dir';
import { renditionKey } from '../contracts/rendition-key';
import { MINIO_REGION } from '../contracts/minio-region';
import { topics } from '../contracts/topics';
import { appEnvironment, localTopics, pipelineApps, type PipelineApp } from './pipeline-apps';
import { sampleImages } from './sample-images';

const repoRoot = resolve(__dirname, '..');
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
const say = (line: string) => console.log(`[pipeline] ${line}`);

/** Seconds after which the pipeline stops by itself (for tests); unset or 0 runs until Ctrl-C. */
function exitAfterSeconds(env: NodeJS.ProcessEnv): number | undefined {
  const value = env.WOLKE_PIPELINE_EXIT_AFTER;
  if (value === undefined || value === '' || value === '0') return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`WOLKE_PIPELINE_EXIT_AFTER must be a number of seconds (got ${value})`);
  return seconds;
}

/** WOLKE_PIPELINE_APPS narrows the apps (comma list); by default every app in pipelineApps. */
function wantedApps(env: NodeJS.ProcessEnv): PipelineApp[] {
  const list = env.WOLKE_PIPELINE_APPS;
  if (!list) return [...pipelineApps];
  const names = list.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const unknown = names.filter((n) => !(pipelineApps as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`WOLKE_PIPELINE_APPS: unknown app(s) ${unknown.join(', ')}; known: ${pipelineApps.join(', ')}`);
  return names as PipelineApp[];
}

async function waitReady(app: PipelineApp, url: string, process: Supervised, stopping: AbortSignal): Promise<void> {
  for (let attempt = 0; attempt < 180 && !stopping.aborted; attempt++) {
    if (process.child.exitCode !== null) return;
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) {
        say(`${app} ready (${url}/metrics)`);
        return;
      }
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  if (!stopping.aborted) say(`${app} not ready after 90 s; see ${process.logFile}`);
}

/** Builds the web UI once (npm run build:web) when it has not been built; the web app serves dist/web. */
async function buildWebIfMissing(logDir: string): Promise<void> {
  if (existsSync(join(repoRoot, 'dist', 'web', 'index.html')) || process.env.WOLKE_PIPELINE_BUILD_WEB === '0') return;
  say('building the web UI (npm run build:web) ...');
  const logFile = join(logDir, 'build-web.log');
  try {
    const { stdout, stderr } = await promisify(execFile)('npm', ['run', 'build:web'], { cwd: repoRoot, timeout: 300_000 });
    writeFileSync(logFile, stdout + stderr);
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    writeFileSync(logFile, `${e.stdout ?? ''}${e.stderr ?? ''}`);
    say(`web UI build failed; see ${logFile}`);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const exitAfter = exitAfterSeconds(process.env);
  const apps = wantedApps(process.env);
  const model = loadEnvironment(process.env.WOLKE_ENV ?? 'example').apps;
  const dir = process.env.WOLKE_PIPELINE_DIR
    ? resolve(process.env.WOLKE_PIPELINE_DIR)
    : createRunDir(join(repoRoot, 'test-output', 'pipeline'));
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const shown = (path: string) => relative(process.cwd(), path) || '.';

  const stopping = new AbortController();
  let kafka: KafkaTestbed | undefined;
  let minio: MinioTestbed | undefined;
  const running = new Map<PipelineApp, Supervised>();
  let stopped: Promise<void> | undefined;
  const stopAll = (reason: string) => {
    stopped ??= (async () => {
      stopping.abort();
      say(`stopping (${reason}) ...`);
      // Producers and consumers first, so none of them sees Kafka or MinIO vanish under it.
      for (const app of [...running.keys()].reverse()) {
        const child = running.get(app)!;
        await child.stop('SIGTERM', 20_000);
        say(`${app} stopped (exit ${String(child.child.exitCode ?? child.child.signalCode)})`);
      }
      await minio?.stop();
      await kafka?.stop();
      say(`stopped; logs in ${shown(dir)}`);
    })();
    return stopped;
  };
  // Whatever step is under way when the signal comes, the pipeline ends once everything has stopped. A repeated
  // signal (tsx forwards one; Ctrl-C reaches the whole process group) joins the same stop instead of killing it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void stopAll(signal).then(() => process.exit(0)));
  }

  try {
    say(`run directory ${shown(dir)}`);
    kafka = await startKafka({ nodes: 1, dir: join(dir, 'kafka') });
    say(`kafka ${kafka.brokers.join(',')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    say(`kafka metrics ${kafka.metrics.join(',')}`);
    minio = await startMinio({ kafkaBrokers: kafka.brokers, topic: topics.minioEvents, dir: join(dir, 'minio') });
    say(`minio ${minio.endpoint}, console ${minio.consoleUrl}`);

    const envFile = join(dir, 'pipeline.env');
    writeFileSync(
      envFile,
      [
        `KAFKA_BROKERS=${kafka.brokers.join(',')}`,
        `MINIO_ENDPOINT=${minio.endpoint}`,
        `MINIO_ACCESS_KEY=${minio.accessKey}`,
        `MINIO_SECRET_KEY=${minio.secretKey}`,
        `MINIO_REGION=${MINIO_REGION}`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );

    // Each app gets a MinIO identity of its own, with random secrets that live only in this process and the apps.
    const identities = {
      processor: { accessKey: `processor-${randomBytes(4).toString('hex')}`, secretKey: randomBytes(24).toString('base64url') },
      api: { accessKey: `api-${randomBytes(4).toString('hex')}`, secretKey: randomBytes(24).toString('base64url') },
      'lake-sink': { accessKey: `lake-sink-${randomBytes(4).toString('hex')}`, secretKey: randomBytes(24).toString('base64url') },
      report: { accessKey: `report-${randomBytes(4).toString('hex')}`, secretKey: randomBytes(24).toString('base64url') },
    };
    await runSetup({
      LOG_LEVEL: 'warn',
      OPS_PORT: 0,
      OPS_HOST: '127.0.0.1',
      KAFKA_BROKERS: kafka.brokers,
      KAFKA_CLIENT_ID: 'wolke-setup',
      MINIO_ENDPOINT: minio.endpoint,
      MINIO_ACCESS_KEY: minio.accessKey,
      MINIO_SECRET_KEY: minio.secretKey,
      MINIO_REGION,
      TOPICS: localTopics(model.topics),
      BUCKETS: [model.buckets.uploads, model.buckets.processed, model.buckets.lake],
      NOTIFY_BUCKET: model.buckets.uploads,
      NOTIFY_ARN: minioKafkaArn,
      SETUP_ATTEMPTS: 10,
      PROCESSED_BUCKET: model.buckets.processed,
      LAKE_BUCKET: model.buckets.lake,
      MINIO_PROCESSOR_ACCESS_KEY: identities.processor.accessKey,
      MINIO_PROCESSOR_SECRET_KEY: identities.processor.secretKey,
      MINIO_API_ACCESS_KEY: identities.api.accessKey,
      MINIO_API_SECRET_KEY: identities.api.secretKey,
      MINIO_LAKE_SINK_ACCESS_KEY: identities['lake-sink'].accessKey,
      MINIO_LAKE_SINK_SECRET_KEY: identities['lake-sink'].secretKey,
      MINIO_REPORT_ACCESS_KEY: identities.report.accessKey,
      MINIO_REPORT_SECRET_KEY: identities.report.secretKey,
    });
    // `npm run lake:report` reads this: the report job's own identity (read the lake, write reports/), like the CronJob's.
    const reportEnvFile = join(dir, 'report.env');
    writeFileSync(
      reportEnvFile,
      [
        `MINIO_ENDPOINT=${minio.endpoint}`,
        `MINIO_ACCESS_KEY=${identities.report.accessKey}`,
        `MINIO_SECRET_KEY=${identities.report.secretKey}`,
        `MINIO_REGION=${MINIO_REGION}`,
        `LAKE_BUCKET=${model.buckets.lake}`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    say(`setup done: topics ${Object.keys(model.topics).join(', ')}; buckets ${model.buckets.uploads}, ${model.buckets.processed}, ${model.buckets.lake}`);

    const present = apps.filter((app) => existsSync(join(repoRoot, 'apps', app, 'main.ts')));
    const missing = pipelineApps.filter((app) => !present.includes(app));
    if (missing.length > 0) say(`not started: ${missing.join(', ')} (${missing.map((a) => apps.includes(a) ? 'no apps/' + a + '/main.ts' : 'not in WOLKE_PIPELINE_APPS').join('; ')})`);
    if (present.includes('web')) await buildWebIfMissing(logDir);

    const portList = await freePorts(pipelineApps.length);
    const ports = Object.fromEntries(pipelineApps.map((app, i) => [app, portList[i]!])) as Record<PipelineApp, number>;
    const endpoints = { kafkaBrokers: kafka.brokers, minio, identities, ports };
    const readiness: Promise<void>[] = [];
    for (const app of present) {
      if (stopping.signal.aborted) break;
      const child = supervise(tsx, [join('apps', app, 'main.ts')], {
        cwd: repoRoot,
        env: { ...process.env, ...appEnvironment(app, model, endpoints) },
        logFile: join(logDir, `${app}.log`),
      });
      running.set(app, child);
      void child.exited.then((code) => {
        if (!stopping.signal.aborted) say(`${app} exited (code ${String(code)}); last lines of ${child.logFile}:\n${tail(child.logFile, 10)}`);
      });
      readiness.push(waitReady(app, `http://127.0.0.1:${ports[app]}`, child, stopping.signal));
    }
    await Promise.all(readiness);

    const samples = await sampleImages();
    const client = createMinio({
      MINIO_ENDPOINT: minio.endpoint,
      MINIO_ACCESS_KEY: minio.accessKey,
      MINIO_SECRET_KEY: minio.secretKey,
      MINIO_REGION,
    });
    for (const sample of samples) {
      await client.putObject(model.buckets.uploads, sample.key, sample.body, sample.body.length, { 'Content-Type': sample.contentType });
    }
    say(`uploaded ${samples.length} sample images to ${model.buckets.uploads}/samples/`);

    const listCommand = `npx tsx --env-file=${shown(envFile)} scripts/list-objects.ts`;
    console.log(
      [
        '',
        `  renditions   ${model.buckets.processed}/samples/<image>/<${model.processor.renditions.map((r) => `${r.name}.${r.format}`).join('|')}>`,
        `  list them    ${listCommand} ${model.buckets.processed} samples/`,
        `  MinIO        ${minio.endpoint} (console ${minio.consoleUrl}; credentials in ${shown(envFile)})`,
        `  results      npx tsx --env-file=${shown(envFile)} scripts/watch-topic.ts results`,
        `  anomalies    npx tsx --env-file=${shown(envFile)} scripts/watch-topic.ts anomalies`,
        `  lake         ${model.buckets.lake}/topic=<events|results|anomalies>/date=<YYYY-MM-DD>/hour=<HH>/<topic>-<partition>-<first offset>-<last offset>.parquet (files roll every 10 s here)`,
        `  list them    ${listCommand} ${model.buckets.lake} topic=`,
        `  report       ${model.buckets.lake}/reports/sensor-daily/date=<YYYY-MM-DD>/sensor-daily.parquet, written by`,
        `               npm run lake:report -- --env-file=${shown(reportEnvFile)}   (REPORT_ENGINE=spark SPARK_JARS=<bash testbed/spark.sh> for Spark)`,
        running.has('web') ? `  web UI       http://127.0.0.1:${ports.web}/` : '  web UI       not running (no apps/web/main.ts)',
        running.has('api') ? `  API          http://127.0.0.1:${ports.api}/ (/sensors, /anomalies, /reports, /images)` : '  API          not running',
        `  app logs     ${shown(logDir)}/<app>.log`,
        '',
      ].join('\n'),
    );
    say(`pipeline ready in ${((Date.now() - started) / 1000).toFixed(1)} s; ${exitAfter ? `stops after ${exitAfter} s` : 'Ctrl-C stops'}`);

    const wanted = new Set(samples.flatMap((s) => model.processor.renditions.map((r) => renditionKey(s.key, r))));
    const deadline = exitAfter === undefined ? Number.POSITIVE_INFINITY : started + exitAfter * 1000;
    const seen = new Set<string>();
    while (!stopping.signal.aborted && Date.now() < deadline) {
      if (running.has('processor') && seen.size < wanted.size) {
        for (const key of wanted) {
          if (seen.has(key)) continue;
          try {
            const stat = await client.statObject(model.buckets.processed, key);
            seen.add(key);
            say(`rendition ${model.buckets.processed}/${key} (${stat.size} bytes)`);
          } catch {
            // not there yet
          }
        }
        if (seen.size === wanted.size) say(`all ${wanted.size} renditions are in ${model.buckets.processed}`);
      }
      await sleep(Math.min(2_000, Math.max(0, deadline - Date.now())), undefined, { signal: stopping.signal }).catch(() => undefined);
    }
    await stopAll(stopping.signal.aborted ? 'signal' : `WOLKE_PIPELINE_EXIT_AFTER=${exitAfter}`);
  } catch (error) {
    console.error(`[pipeline] failed: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll('error');
    process.exit(1);
  }
  process.exit(0);
}

void main();
