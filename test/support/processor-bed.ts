// The image processor's own test bed: a MinIO of its own notifying a topic of its own, per-test buckets, DLQ topic and
// group, and apps/processor/main.ts run as real child processes (as in a pod).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import type { Client } from 'minio';
import sharp from 'sharp';
import { createMinio } from '../../apps/lib/minio';
import { ensureBucketNotification, ensureBuckets, ensureTopics, minioKafkaArn } from '../../apps/lib/setup';
import { freePort } from '../../testbed/ports';
import { type MinioTestbed, startMinio } from '../../testbed/minio';
import type { TextMessage } from '../../testbed/topic-reader';

const repoRoot = resolve(__dirname, '..', '..');

/** Polls `probe` every 200 ms until it returns true; throws naming `what` after `timeoutMs`. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch (error) {
      last = error;
    }
    await sleep(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

/** Buckets, DLQ topic and consumer group of one test. */
export interface Scenario {
  uploads: string;
  processed: string;
  dlqTopic: string;
  groupId: string;
}

export interface ProcessorProcess {
  child: ChildProcess;
  opsUrl: string;
  exited: Promise<number | null>;
  metric(name: string): Promise<number>;
}

/** A rendition as the tests configure it. */
export interface TestRendition {
  name: string;
  size: number;
  format: string;
}

export const solid = (width: number, height: number, format: 'jpeg' | 'png' | 'webp', orientation?: number) => {
  const image = sharp({ create: { width, height, channels: 3, background: { r: 30, g: 120, b: 200 } } }).toFormat(format);
  return (orientation === undefined ? image : image.withMetadata({ orientation })).toBuffer();
};
// Random pixels do not compress, so decoding and resizing take real work (and a PNG's data is large).
export const noise = (width: number, height: number, format: 'jpeg' | 'png') =>
  sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } }).toFormat(format).toBuffer();

export const stem = (key: string) => key.replace(/\.[^./]*$/, '');

export interface DeadLetter {
  key: string | null;
  reason: string;
  error: string;
  event: string;
  failedAt: string;
}
export const parseDeadLetters = (messages: TextMessage[]): DeadLetter[] =>
  messages.map((m) => ({ key: m.key, ...(JSON.parse(m.value ?? '{}') as Omit<DeadLetter, 'key'>) }));

export class ProcessorBed {
  readonly run = randomUUID().slice(0, 8);
  readonly logDir = resolve(repoRoot, 'test-output', 'processor');
  private readonly minioDir = resolve(this.logDir, `minio-${this.run}`);
  /** Its MinIO's notifications go to this topic alone, so no other test's uploads reach it. */
  readonly sourceTopic = `processor-${this.run}.minio-events`;
  private readonly processors: ProcessorProcess[] = [];
  private started?: { minio: MinioTestbed; client: Client; admin: Admin };

  constructor(
    readonly brokers: string[],
    readonly renditions: readonly TestRendition[],
  ) {}

  get minio(): MinioTestbed {
    return this.parts().minio;
  }

  get client(): Client {
    return this.parts().client;
  }

  get admin(): Admin {
    return this.parts().admin;
  }

  private parts(): { minio: MinioTestbed; client: Client; admin: Admin } {
    if (this.started === undefined) throw new Error('the processor bed is not started (call start() in beforeAll)');
    return this.started;
  }

  async start(): Promise<void> {
    const admin = new Kafka({ clientId: 'processor-test-admin', brokers: this.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    // Three partitions, so several are consumed at once.
    await ensureTopics(admin, { [this.sourceTopic]: { partitions: 3, replication: 1 } });
    const minio = await startMinio({ kafkaBrokers: this.brokers, topic: this.sourceTopic, dir: this.minioDir });
    const client = createMinio({
      MINIO_ENDPOINT: minio.endpoint,
      MINIO_ACCESS_KEY: minio.accessKey,
      MINIO_SECRET_KEY: minio.secretKey,
      MINIO_REGION: 'us-east-1',
    });
    this.started = { minio, client, admin };
  }

  /** Stops the processors, MinIO and the admin client; the server log stays for a look after a failure, the data does not. */
  async stop(): Promise<void> {
    await this.stopProcessors();
    await this.started?.minio.stop();
    await this.started?.admin.disconnect();
    rmSync(resolve(this.minioDir, 'data'), { recursive: true, force: true });
  }

  /** Buckets, notification and DLQ topic of one test; its group starts at the current end of the source topic. */
  async scenario(name: string): Promise<Scenario> {
    const s = {
      uploads: `${name}-${this.run}-uploads`,
      processed: `${name}-${this.run}-processed`,
      dlqTopic: `processor-${this.run}.${name}.dlq`,
      groupId: `processor-${this.run}-${name}`,
    };
    await ensureBuckets(this.client, [s.uploads, s.processed]);
    await ensureBucketNotification(this.client, s.uploads, minioKafkaArn);
    await ensureTopics(this.admin, { [s.dlqTopic]: { partitions: 1, replication: 1 } });
    const ends = await this.admin.fetchTopicOffsets(this.sourceTopic);
    await this.admin.setOffsets({
      groupId: s.groupId,
      topic: this.sourceTopic,
      partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })),
    });
    return s;
  }

  /** Runs apps/processor/main.ts as its own process (as in a pod) and waits until it has joined its group. */
  async startProcessor(s: Scenario, name: string, env: Record<string, string> = {}): Promise<ProcessorProcess> {
    mkdirSync(this.logDir, { recursive: true });
    const opsPort = await freePort();
    const logFile = resolve(this.logDir, `${this.run}-${name}.log`);
    const log = openSync(logFile, 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/processor/main.ts'], {
      cwd: repoRoot,
      stdio: ['ignore', log, log],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        KAFKA_BROKERS: this.brokers.join(','),
        KAFKA_CLIENT_ID: `processor-test-${name}`,
        MINIO_ENDPOINT: this.minio.endpoint,
        MINIO_ACCESS_KEY: this.minio.accessKey,
        MINIO_SECRET_KEY: this.minio.secretKey,
        SOURCE_TOPIC: this.sourceTopic,
        DLQ_TOPIC: s.dlqTopic,
        PROCESSED_BUCKET: s.processed,
        // The reconciler's bucket; the processor is unready while it does not exist.
        UPLOADS_BUCKET: s.uploads,
        GROUP_ID: s.groupId,
        RENDITIONS: JSON.stringify(this.renditions),
        OPS_PORT: String(opsPort),
        OPS_HOST: '127.0.0.1',
        // A SIGKILLed member's partitions move to its successor after this long instead of 30 s.
        SESSION_TIMEOUT_MS: '6000',
        LOG_LEVEL: 'info',
        ...env,
      },
    });
    closeSync(log);
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const opsUrl = `http://127.0.0.1:${opsPort}`;
    const processor: ProcessorProcess = {
      child,
      opsUrl,
      exited,
      async metric(metricName) {
        const text = await (await fetch(`${opsUrl}/metrics`)).text();
        // Sums every series of the metric whose line matches, e.g. `processor_objects_total{result="rendered"`.
        return text
          .split('\n')
          .filter((line) => line.startsWith(metricName))
          .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
      },
    };
    this.processors.push(processor);
    await waitFor(`processor ${name} ready (log ${logFile})`, async () => {
      if (child.exitCode !== null) throw new Error(`processor exited with ${child.exitCode}`);
      return (await fetch(`${opsUrl}/readyz`)).status === 200;
    });
    return processor;
  }

  /** Stops every processor still running: SIGTERM, then SIGKILL after 15 s. */
  async stopProcessors(): Promise<void> {
    await Promise.all(
      this.processors.map(async (p) => {
        if (p.child.exitCode !== null || p.child.signalCode !== null) return;
        p.child.kill('SIGTERM');
        const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
        await p.exited;
        clearTimeout(timer);
      }),
    );
  }

  upload(s: Scenario, key: string, body: Buffer) {
    return this.client.putObject(s.uploads, key, body, body.length);
  }

  /** Whether every rendition of `key` is in the processed bucket. */
  async rendered(s: Scenario, key: string): Promise<boolean> {
    for (const r of this.renditions) {
      try {
        await this.client.statObject(s.processed, `${stem(key)}/${r.name}.${r.format}`);
      } catch {
        return false;
      }
    }
    return true;
  }

  async countRendered(s: Scenario, keys: string[]): Promise<number> {
    const done = await Promise.all(keys.map((k) => this.rendered(s, k)));
    return done.filter(Boolean).length;
  }

  async download(bucket: string, key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.client.getObject(bucket, key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}
