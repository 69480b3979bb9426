// Starts a real MinIO server on loopback with random credentials and bucket notifications to Kafka; run by hand it prints the endpoint.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { minioBinary } from './cache';
import { freePorts } from './ports';
import { supervise, tail, waitUntil, type Supervised } from './process';
import { runUntilSignal } from './run-until-signal';

export interface StartMinioOptions {
  /** Brokers (host:port) the notification target PRIMARY publishes to; none: no notification target. */
  kafkaBrokers: string[];
  /** Topic of the notification target PRIMARY (arn:minio:sqs::PRIMARY:kafka). */
  topic: string;
  /** Where data, the event queue and logs go; a fresh temporary directory (removed on stop) when not given. */
  dir?: string;
}

export interface MinioTestbed {
  /** S3 endpoint, http://127.0.0.1:port. */
  endpoint: string;
  /** Web console, http://127.0.0.1:port. */
  consoleUrl: string;
  /** Random root credentials of this run. */
  accessKey: string;
  secretKey: string;
  /** Directory with the server's output (minio.log). */
  logDir: string;
  /** Stops the server and starts it again on the same ports with the same data. */
  restart(): Promise<void>;
  /** Stops the server; removes the directory only if the test bed created it. */
  stop(): Promise<void>;
}

const repoRoot = resolve(__dirname, '..');

/** Builds MinIO into the cache through testbed/prepare.sh when it is not there yet (minutes, once). */
export function ensureMinioBinary(): string {
  const binary = minioBinary();
  if (!existsSync(binary)) {
    execFileSync('bash', [join(__dirname, 'prepare.sh'), 'minio'], { stdio: 'inherit', cwd: repoRoot });
  }
  return binary;
}

/** MinIO's environment: root credentials and the Kafka notification target PRIMARY with a persistent queue. */
export function minioEnvironment(options: {
  accessKey: string;
  secretKey: string;
  kafkaBrokers: string[];
  topic: string;
  queueDir: string;
}): Record<string, string> {
  const root = { MINIO_ROOT_USER: options.accessKey, MINIO_ROOT_PASSWORD: options.secretKey, MINIO_UPDATE: 'off', MINIO_CALLHOME_ENABLE: 'off' };
  if (options.kafkaBrokers.length === 0) return root;
  return {
    ...root,
    MINIO_NOTIFY_KAFKA_ENABLE_PRIMARY: 'on',
    MINIO_NOTIFY_KAFKA_BROKERS_PRIMARY: options.kafkaBrokers.join(','),
    MINIO_NOTIFY_KAFKA_TOPIC_PRIMARY: options.topic,
    // Events wait on disk while Kafka is down and are delivered when it is back.
    MINIO_NOTIFY_KAFKA_QUEUE_DIR_PRIMARY: options.queueDir,
  };
}

/** Starts MinIO and resolves once /minio/health/ready answers 200. */
export async function startMinio(options: StartMinioOptions): Promise<MinioTestbed> {
  const binary = ensureMinioBinary();
  const ownsDir = options.dir === undefined;
  const root = options.dir ?? mkdtempSync(join(tmpdir(), 'wolke-minio-'));
  const dataDir = join(root, 'data');
  const queueDir = join(root, 'events-queue');
  const logDir = join(root, 'logs');
  for (const dir of [dataDir, queueDir, logDir]) mkdirSync(dir, { recursive: true });

  const [apiPort, consolePort] = (await freePorts(2)) as [number, number];
  const endpoint = `http://127.0.0.1:${apiPort}`;
  // Generated per run: the test bed never has a default password.
  const accessKey = `wolke-${randomBytes(6).toString('hex')}`;
  const secretKey = randomBytes(24).toString('base64url');
  const env = {
    ...process.env,
    ...minioEnvironment({ accessKey, secretKey, kafkaBrokers: options.kafkaBrokers, topic: options.topic, queueDir }),
  };
  const args = [
    'server',
    dataDir,
    '--address',
    `127.0.0.1:${apiPort}`,
    '--console-address',
    `127.0.0.1:${consolePort}`,
    '--quiet',
  ];

  let server: Supervised | undefined;
  const killOnExit = () => server?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const start = async () => {
    const current = supervise(binary, args, { env, logFile: join(logDir, 'minio.log') });
    server = current;
    await waitUntil(
      `minio at ${endpoint} (log ${current.logFile})`,
      async () => (await fetch(`${endpoint}/minio/health/ready`)).status === 200,
      { attempts: 240, intervalMs: 250, alive: () => current.child.exitCode === null },
    ).catch(async (error: Error) => {
      await current.stop('SIGKILL');
      throw new Error(`${error.message}\n${tail(current.logFile)}`);
    });
  };
  await start();

  return {
    endpoint,
    consoleUrl: `http://127.0.0.1:${consolePort}`,
    accessKey,
    secretKey,
    logDir,
    async restart() {
      await server?.stop('SIGTERM', 10_000);
      await start();
    },
    async stop() {
      await server?.stop('SIGTERM', 10_000);
      process.removeListener('exit', killOnExit);
      if (ownsDir) rmSync(root, { recursive: true, force: true });
    },
  };
}

if (require.main === module) {
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter((b) => b.length > 0);
  if (brokers.length === 0) {
    console.error('set KAFKA_BROKERS (e.g. from `npx tsx testbed/kafka.ts`) so bucket notifications have a target');
    process.exit(2);
  }
  runUntilSignal(
    () => startMinio({ kafkaBrokers: brokers, topic: process.env.MINIO_EVENTS_TOPIC ?? 'minio-events' }),
    (minio) => {
      // The generated credentials go to a file only the user can read, not to the terminal or its scrollback.
      const envFile = join(dirname(minio.logDir), 'minio.env');
      writeFileSync(
        envFile,
        `MINIO_ENDPOINT=${minio.endpoint}\nMINIO_ACCESS_KEY=${minio.accessKey}\nMINIO_SECRET_KEY=${minio.secretKey}\n`,
        { mode: 0o600 },
      );
      console.log(`MINIO_ENDPOINT=${minio.endpoint}`);
      console.log(`credentials: ${envFile}  console: ${minio.consoleUrl}  logs: ${minio.logDir}  (Ctrl-C stops)`);
    },
  );
}
