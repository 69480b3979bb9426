// `npm run bench`: starts the test bed, runs P1–P5 (P4: /images under load, P5: the lake sink), prints a table, writes
// results/latest.{md,png}.
// `npm run bench -- P2` runs only the named benchmarks (and then writes no results files).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import sharp from 'sharp';
import { cacheRoot } from '../testbed/cache';
import { startKafka, type KafkaTestbed } from '../testbed/kafka';
import { startMinio, type MinioTestbed } from '../testbed/minio';
import { runImagePipeline } from './p1-images';
import { runAggregatorBench } from './p2-aggregator';
import { runSynthBench } from './p3-synth';
import { runImagesApiBench } from './p4-images-api';
import { runLakeSinkBench } from './p5-lake-sink';
import { renderChartSvg, renderMarkdown, renderTable } from './report';
import type { BenchmarkResult } from './result';
import { repoRoot } from './subject-process';

const only = process.argv.slice(2).filter((a) => /^P\d$/.test(a));
const wanted = (id: string): boolean => only.length === 0 || only.includes(id);
const log = (line: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
/** Topic the bench MinIO notifies; as many partitions as the model gives minio-events (example.yaml). */
const sourceTopic = 'bench-minio-events';

async function withTestbed(workDir: string, run: (kafka: KafkaTestbed, minio: MinioTestbed) => Promise<void>): Promise<void> {
  const kafka = await startKafka({ nodes: 1, dir: join(workDir, 'kafka') });
  let minio: MinioTestbed | undefined;
  try {
    const admin = new Kafka({ clientId: 'wolke-bench', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: sourceTopic, numPartitions: 6 }] });
    await admin.disconnect();
    minio = await startMinio({ kafkaBrokers: kafka.brokers, topic: sourceTopic, dir: join(workDir, 'minio') });
    log(`test bed up: kafka ${kafka.brokers.join(',')}, minio ${minio.endpoint}`);
    await run(kafka, minio);
  } finally {
    await minio?.stop();
    await kafka.stop();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = loadavg()[0]!;
  // Kafka's tools and the Python peers serve P1, P2 and P5 only; P3 and P4 need neither.
  if (wanted('P1') || wanted('P2') || wanted('P5')) execFileSync('bash', [join(__dirname, 'prepare.sh')], { stdio: 'inherit', cwd: repoRoot });
  const workDir = mkdtempSync(join(tmpdir(), 'wolke-bench-'));
  const logDir = join(workDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const results: BenchmarkResult[] = [];
  let failed = false;
  try {
    if (wanted('P1') || wanted('P2') || wanted('P4') || wanted('P5')) {
      await withTestbed(workDir, async (kafka, minio) => {
        if (wanted('P1')) {
          const options = {
            brokers: kafka.brokers,
            minio,
            sourceTopic,
            cacheRoot: cacheRoot(),
            logDir,
            rounds: 2,
            throughputImages: 32,
            throughputDeadlineSeconds: 90,
            loadShare: 0.7,
            uploadSeconds: 12,
            minLatencyUploads: 12,
            drainSeconds: 20,
            concurrency: 2,
            efforts: [0, 1, 2, 3, 4, 6],
            width: 1024,
            height: 768,
          };
          results.push(await runImagePipeline(options, log));
        }
        if (wanted('P2')) {
          const options = { brokers: kafka.brokers, cacheRoot: cacheRoot(), logDir, rounds: 2, events: 200_000, sensors: 12, deadlineSeconds: 60 };
          results.push(await runAggregatorBench(options, log));
        }
        if (wanted('P4')) {
          const options = {
            brokers: kafka.brokers,
            minio,
            logDir,
            rounds: 2,
            sources: 2_000,
            requestsPerSecond: 50,
            seconds: 20,
            limit: 24,
            announcementsPerSecond: 5,
            p99TargetMs: 100,
          };
          results.push(await runImagesApiBench(options, log));
        }
        if (wanted('P5')) {
          const options = { brokers: kafka.brokers, minio, cacheRoot: cacheRoot(), logDir, rounds: 2, events: 100_000, deadlineSeconds: 90 };
          results.push(await runLakeSinkBench(options, log));
        }
      });
    }
    if (wanted('P3')) results.push(await runSynthBench({ rounds: 2, sizes: [3, 30, 100] }, log));
  } catch (error) {
    failed = true;
    console.error(error);
    console.error(`subject logs kept in ${logDir}`);
  }
  const seconds = (Date.now() - started) / 1000;
  const loadAfter = loadavg()[0]!;
  log(`done in ${seconds.toFixed(0)} s; load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${cpus().length} cores`);
  if (results.length > 0) console.log(`\n${renderTable(results)}\n`);
  if (failed) process.exit(1);
  rmSync(workDir, { recursive: true, force: true });
  if (only.length > 0) return;

  const info = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    node: process.versions.node,
    loadBefore,
    loadAfter,
    seconds,
  };
  const resultsDir = join(__dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.md'), renderMarkdown(results, info));
  const svg = renderChartSvg(results, `wolke benchmarks, ${info.date} (medians; load average ${loadBefore.toFixed(1)})`);
  await sharp(Buffer.from(svg)).png().toFile(join(resultsDir, 'latest.png'));
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify({ info, results }, null, 2)}\n`);
  log(`wrote ${join('bench', 'results', 'latest.md')}, latest.png and latest.json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
