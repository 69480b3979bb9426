// Secret hygiene in logs: the setup app and the processor, run at debug level on success and failure paths with the
// test bed's random MinIO credentials, never print a secret; neither do the test bed's own logs.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { renditionKey } from '../../contracts/rendition-key';
import { readProcessorConfig } from '../../apps/processor/config';
import { freePort } from '../../testbed/ports';
import { readTopicUntil } from '../../testbed/topic-reader';
import { pipelineNames, runDirectory, runSetupApp, startPipeline, type Pipeline } from '../support/pipeline-bed';
import { smallImage } from '../support/pipeline-images';
import { uploadWithRetry, waitForRenditions } from '../support/pipeline-outcome';
import { readProcessorLog, startProcessor, type ProcessorProcess } from '../support/pipeline-processor';

const brokers = inject('kafkaBrokers');
const sharedMinio = inject('minio');
const testbedLogDir = inject('testbedLogDir');
let runDir = '';
let pipeline: Pipeline | undefined;
const processors: ProcessorProcess[] = [];

beforeAll(async () => {
  runDir = runDirectory('pipeline-log-secrets');
  pipeline = await startPipeline({ prefix: 'secrets', brokers, logDir: runDir, partitions: 1, replication: 1 });
}, 180_000);

afterAll(async () => {
  await Promise.all(processors.map((p) => p.app.stop('SIGKILL')));
  await pipeline?.stop();
}, 60_000);

/** Log files under `dir` (apps' output, Kafka's and MinIO's logs), skipping data directories. */
function logFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (entry !== 'data' && entry !== 'events-queue') found.push(...logFiles(path));
    } else if (/\.(log|out)$/.test(entry)) {
      found.push(path);
    }
  }
  return found;
}

/** `file: secret name` for every secret value found in a file. */
function leaks(files: readonly string[], secrets: Record<string, string>): string[] {
  const found: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const [name, value] of Object.entries(secrets)) if (text.includes(value)) found.push(`${file}: ${name}`);
  }
  return found;
}

/** Waits until the processor log holds a line with message `msg`, or `timeoutMs` passes. */
async function waitForLogLine(logFile: string, msg: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (readProcessorLog(logFile).some((line) => line.msg === msg)) return true;
    await sleep(250);
  }
  return false;
}

describe('secret hygiene in logs', () => {
  it('the setup app and the processor print no credential on success or failure, and neither does the test bed', async () => {
    const p = pipeline!;
    const wrongSecret = randomBytes(24).toString('base64url');
    const secrets = {
      'shared MinIO secret key': sharedMinio.secretKey,
      'shared MinIO access key': sharedMinio.accessKey,
      'pipeline MinIO secret key': p.minio.secretKey,
      'pipeline MinIO access key': p.minio.accessKey,
      'processor MinIO secret key': p.identities.processor.secretKey,
      'processor MinIO access key': p.identities.processor.accessKey,
      'api MinIO secret key': p.identities.api.secretKey,
      'api MinIO access key': p.identities.api.accessKey,
      'wrong secret key': wrongSecret,
    };
    const appLogs: string[] = [];
    const sharedCredentials = {
      KAFKA_BROKERS: brokers.join(','),
      MINIO_ENDPOINT: sharedMinio.endpoint,
      MINIO_ACCESS_KEY: sharedMinio.accessKey,
      MINIO_SECRET_KEY: sharedMinio.secretKey,
      LOG_LEVEL: 'debug',
    };

    // Setup against the shared test bed, twice (the second run finds everything in place).
    const names = pipelineNames('secrets-setup');
    const setupEnv = {
      ...sharedCredentials,
      TOPICS: JSON.stringify({ [names.sourceTopic]: { partitions: 1, replication: 1 } }),
      BUCKETS: `${names.uploadsBucket},${names.processedBucket}`,
      NOTIFY_BUCKET: names.uploadsBucket,
    };
    for (const run of ['first', 'again']) {
      const { logFile } = await runSetupApp(setupEnv, join(runDir, `setup-${run}.log`));
      appLogs.push(logFile);
      expect(readFileSync(logFile, 'utf8')).toContain('"msg":"setup done"');
    }

    // Setup failing: MinIO unreachable after the topics were made, and a configuration it refuses.
    const closedPort = await freePort();
    await expect(
      runSetupApp({ ...setupEnv, MINIO_ENDPOINT: `http://127.0.0.1:${closedPort}`, SETUP_ATTEMPTS: '2' }, join(runDir, 'setup-unreachable.log')),
    ).rejects.toThrow(/exited with 1/);
    appLogs.push(join(runDir, 'setup-unreachable.log'));
    expect(readFileSync(join(runDir, 'setup-unreachable.log'), 'utf8')).toContain('ensure buckets failed');
    await expect(
      runSetupApp({ ...setupEnv, MINIO_ENDPOINT: 'ftp://minio', TOPICS: '{not json' }, join(runDir, 'setup-bad-config.log')),
    ).rejects.toThrow(/exited with 1/);
    appLogs.push(join(runDir, 'setup-bad-config.log'));
    expect(readFileSync(join(runDir, 'setup-bad-config.log'), 'utf8')).toMatch(/MINIO_ENDPOINT.*TOPICS|TOPICS.*MINIO_ENDPOINT/s);

    // The processor at debug level: one image rendered, one text file dead-lettered, then a graceful stop.
    const good = await uploadWithRetry(p.client, p.names.uploadsBucket, 'secrets/cat.jpg', await smallImage(7));
    await uploadWithRetry(p.client, p.names.uploadsBucket, 'secrets/notes.txt', Buffer.from('no picture'));
    const processorLog = join(p.logDir, 'processor.log');
    appLogs.push(processorLog);
    const processor = await startProcessor(p.processorEnv({ LOG_LEVEL: 'debug' }), processorLog);
    processors.push(processor);
    const renditions = readProcessorConfig(p.processorEnv()).RENDITIONS;
    expect(await waitForRenditions(p.client, p.names.processedBucket, [good], renditions, 60_000)).toEqual([]);
    await readTopicUntil(brokers, p.names.dlqTopic, (m) => m.length >= 1, 60_000);
    await processor.app.stop('SIGTERM', 20_000);
    const lines = readProcessorLog(processorLog);
    expect(lines.some((l) => l.msg === 'rendered' && l.key === good.key)).toBe(true);
    expect(lines.some((l) => l.msg === 'sent to dead-letter topic')).toBe(true);
    expect(lines.some((l) => l.msg === 'stopped')).toBe(true);
    expect(renditionKey(good.key, renditions[0]!)).toBe('secrets/cat/thumb.webp');

    // The processor with a wrong secret: MinIO refuses every request and the retries log the errors.
    const refusedLog = join(p.logDir, 'processor-wrong-secret.log');
    appLogs.push(refusedLog);
    const refused = await startProcessor(
      p.processorEnv({ LOG_LEVEL: 'debug', MINIO_SECRET_KEY: wrongSecret, GROUP_ID: `${p.names.group}-wrong-secret` }),
      refusedLog,
      // Refused by MinIO, the processor is never ready: it says so in its log, which is scanned too.
      'healthy',
    );
    processors.push(refused);
    expect(await waitForLogLine(refusedLog, 'processing failed transiently, retrying', 60_000)).toBe(true);
    await refused.app.stop('SIGTERM', 20_000);

    const testbedLogs = [...logFiles(testbedLogDir), ...logFiles(join(p.logDir, 'minio'))];
    expect(appLogs.every((f) => existsSync(f))).toBe(true);
    expect(testbedLogs.some((f) => f.endsWith('minio.log'))).toBe(true);
    expect(testbedLogs.some((f) => f.endsWith('server.log'))).toBe(true);
    console.log(`log secrets: scanned ${appLogs.length} app logs and ${testbedLogs.length} test-bed logs for ${Object.keys(secrets).length} secrets`);
    expect(leaks([...appLogs, ...testbedLogs], secrets)).toEqual([]);
  });
});
