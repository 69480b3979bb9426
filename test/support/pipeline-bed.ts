// A pipeline of its own for one test file: fresh topics, a MinIO that notifies them, and the setup app run for real.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { Client } from 'minio';
import { createMinio } from '../../apps/lib/minio';
import { startMinio, type MinioTestbed } from '../../testbed/minio';
import { supervise, tail, waitUntil } from '../../testbed/process';
import type { ProcessorEnv } from './pipeline-processor';

const repoRoot = resolve(__dirname, '..', '..');

/** Whether a process with this id still runs (signal 0 only checks). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A directory for this run's logs and data under test-output/<name>/run-<pid>: concurrent runs never share one,
 * and directories of runs whose process is gone are removed first.
 */
export function runDirectory(name: string): string {
  const root = join(repoRoot, 'test-output', name);
  mkdirSync(root, { recursive: true });
  for (const entry of readdirSync(root)) {
    const pid = /^run-(\d+)$/.exec(entry)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !running(Number(pid))) {
      rmSync(join(root, entry), { recursive: true, force: true });
    }
  }
  const dir = join(root, `run-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Names of one pipeline; a random suffix keeps test files and runs apart. */
export interface PipelineNames {
  sourceTopic: string;
  dlqTopic: string;
  uploadsBucket: string;
  processedBucket: string;
  group: string;
}

export function pipelineNames(prefix: string): PipelineNames {
  const suffix = randomUUID().slice(0, 8);
  return {
    sourceTopic: `${prefix}-minio-events-${suffix}`,
    dlqTopic: `${prefix}-minio-events-${suffix}.dlq`,
    uploadsBucket: `${prefix}-uploads-${suffix}`,
    processedBucket: `${prefix}-processed-${suffix}`,
    group: `${prefix}-processor-${suffix}`,
  };
}

/** A MinIO user setup created for one app. */
export interface Identity {
  accessKey: string;
  secretKey: string;
}

/** A fresh random identity for `app` (MinIO: access key ≤ 20 characters, secret 8–40). */
export const randomIdentity = (app: string): Identity => ({
  accessKey: `${app}-${randomBytes(4).toString('hex')}`,
  secretKey: randomBytes(24).toString('base64url'),
});

export interface Pipeline {
  names: PipelineNames;
  brokers: string[];
  minio: MinioTestbed;
  /** A client with MinIO's root credentials: the test's view of everything. */
  client: Client;
  /** The identities setup made; the processor runs as its own. */
  identities: { processor: Identity; api: Identity };
  /** Where this pipeline's processes write their output. */
  logDir: string;
  /** The processor's environment for this pipeline. */
  processorEnv(extra?: Record<string, string>): ProcessorEnv;
  stop(): Promise<void>;
}

/** Output of a finished child process. */
export interface RunResult {
  code: number | null;
  logFile: string;
}

/** Runs apps/setup/main.ts (topics, buckets, bucket notification) to the end; rejects if it does not exit 0. */
export async function runSetupApp(env: Record<string, string>, logFile: string, timeoutMs = 90_000): Promise<RunResult> {
  const setup = supervise(process.execPath, ['--import', 'tsx', 'apps/setup/main.ts'], {
    cwd: repoRoot,
    logFile,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', ...env },
  });
  const timer = setTimeout(() => void setup.stop('SIGKILL'), timeoutMs);
  const code = await setup.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`setup exited with ${code}; ${logFile}:\n${tail(logFile)}`);
  return { code, logFile };
}

/**
 * Creates the topics, starts a MinIO whose notification target publishes to the source topic, and runs the setup
 * app for the buckets and the notification. `replication` must not exceed the brokers.
 */
export async function startPipeline(options: {
  prefix: string;
  brokers: string[];
  logDir: string;
  partitions: number;
  replication: number;
}): Promise<Pipeline> {
  const names = pipelineNames(options.prefix);
  const logDir = join(options.logDir, names.group);
  mkdirSync(logDir, { recursive: true });
  const topics = {
    [names.sourceTopic]: { partitions: options.partitions, replication: options.replication },
    [names.dlqTopic]: { partitions: 1, replication: options.replication },
  };
  // MinIO's Kafka target checks its topic when it starts, so the topics exist first.
  const admin = new Kafka({ clientId: 'pipeline-test', brokers: options.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: false,
      topics: Object.entries(topics).map(([topic, spec]) => ({
        topic,
        numPartitions: spec.partitions,
        replicationFactor: spec.replication,
      })),
    });
    // kafkajs' waitForLeaders asks one broker, which on 3 nodes may not know the topic yet and fails; poll instead.
    await waitUntil(
      `leaders of ${Object.keys(topics).join(', ')}`,
      async () => {
        const metadata = await admin.fetchTopicMetadata({ topics: Object.keys(topics) });
        return metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      },
      { attempts: 120, intervalMs: 250 },
    );
  } finally {
    await admin.disconnect();
  }
  const minio = await startMinio({ kafkaBrokers: options.brokers, topic: names.sourceTopic, dir: join(logDir, 'minio') });
  const credentials = {
    KAFKA_BROKERS: options.brokers.join(','),
    MINIO_ENDPOINT: minio.endpoint,
    MINIO_ACCESS_KEY: minio.accessKey,
    MINIO_SECRET_KEY: minio.secretKey,
  };
  const identities = { processor: randomIdentity('processor'), api: randomIdentity('api') };
  try {
    await runSetupApp(
      {
        ...credentials,
        KAFKA_CLIENT_ID: 'setup-test',
        TOPICS: JSON.stringify(topics),
        BUCKETS: `${names.uploadsBucket},${names.processedBucket}`,
        NOTIFY_BUCKET: names.uploadsBucket,
        PROCESSED_BUCKET: names.processedBucket,
        MINIO_PROCESSOR_ACCESS_KEY: identities.processor.accessKey,
        MINIO_PROCESSOR_SECRET_KEY: identities.processor.secretKey,
        MINIO_API_ACCESS_KEY: identities.api.accessKey,
        MINIO_API_SECRET_KEY: identities.api.secretKey,
      },
      join(logDir, 'setup.log'),
    );
  } catch (error) {
    await minio.stop();
    throw error;
  }
  const client = createMinio({ ...credentials, MINIO_REGION: 'us-east-1' });
  return {
    names,
    brokers: options.brokers,
    minio,
    client,
    identities,
    logDir,
    processorEnv: (extra = {}) => ({
      ...credentials,
      MINIO_ACCESS_KEY: identities.processor.accessKey,
      MINIO_SECRET_KEY: identities.processor.secretKey,
      SOURCE_TOPIC: names.sourceTopic,
      DLQ_TOPIC: names.dlqTopic,
      PROCESSED_BUCKET: names.processedBucket,
      UPLOADS_BUCKET: names.uploadsBucket,
      GROUP_ID: names.group,
      ...extra,
    }),
    stop: () => minio.stop(),
  };
}
