// The processor's reconciler and its refusals, against real Kafka and MinIO: uploads whose notification never came are
// republished once and rendered (or dead-lettered once); a wrong secret or a missing bucket makes it unready, losing nothing.
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readProcessorConfig } from '../../apps/processor/config';
import { MinioAdmin } from '../../apps/lib/minio-admin';
import { deadLetterMarkerKey } from '../../apps/processor/reconcile';
import { renditionKey } from '../../contracts/rendition-key';
import { randomIdentity, runDirectory, startPipeline, type Pipeline } from '../support/pipeline-bed';
import { smallImage } from '../support/pipeline-images';
import { renditionsWithWrongSource, topicMessageCount, uploadWithRetry, waitForRenditions, type Upload } from '../support/pipeline-outcome';
import { counterByLabel, readProcessorLog, startProcessor, type ProcessorProcess } from '../support/pipeline-processor';

const brokers = inject('kafkaBrokers');
let logRoot = '';
const pipelines: Pipeline[] = [];
const processors: ProcessorProcess[] = [];

beforeAll(() => {
  logRoot = runDirectory('processor-reconcile');
});

afterAll(async () => {
  await Promise.all(processors.map((p) => p.app.stop('SIGKILL')));
  await Promise.all(pipelines.map((p) => p.stop()));
}, 60_000);

async function pipeline(prefix: string): Promise<Pipeline> {
  const p = await startPipeline({ prefix, brokers, logDir: logRoot, partitions: 2, replication: 1 });
  pipelines.push(p);
  return p;
}

/** The value of an unlabelled counter or gauge in the processor's /metrics. */
async function metric(processor: ProcessorProcess, name: string): Promise<number> {
  const text = await (await fetch(`${processor.opsUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.split(' ').at(-1));
}

async function passesDone(processor: ProcessorProcess): Promise<number> {
  const text = await (await fetch(`${processor.opsUrl}/metrics`)).text();
  return counterByLabel(text, 'processor_reconcile_passes_total', 'result').done ?? 0;
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

describe('reconciler', () => {
  it('republishes uploads MinIO never announced, once each, until they have renditions of their ETag or a dead letter', async () => {
    const p = await pipeline('reconcile');
    // No notification at all: only the reconciler can tell the processor about these uploads.
    await p.client.removeAllBucketNotification(p.names.uploadsBucket);
    const renditions = readProcessorConfig(p.processorEnv()).RENDITIONS;

    const lost = await uploadWithRetry(p.client, p.names.uploadsBucket, 'lost/one.jpg', await smallImage(1));
    const notImage = await uploadWithRetry(p.client, p.names.uploadsBucket, 'lost/notes.jpg', Buffer.from('not an image'));
    // Renditions of an older version of the object: its replacement was never announced.
    const replaced = await uploadWithRetry(p.client, p.names.uploadsBucket, 'lost/replaced.jpg', await smallImage(3));
    for (const r of renditions) {
      await p.client.putObject(p.names.processedBucket, renditionKey(replaced.key, r), Buffer.from('old'), 3, { 'source-etag': 'an-older-etag' });
    }
    // Settled already: renditions of its ETag, so it must not be republished.
    const settled = await uploadWithRetry(p.client, p.names.uploadsBucket, 'done/two.jpg', await smallImage(2));
    for (const r of renditions) {
      await p.client.putObject(p.names.processedBucket, renditionKey(settled.key, r), Buffer.from('ok'), 2, { 'source-etag': settled.etag });
    }

    const processor = await startProcessor(
      p.processorEnv({ RECONCILE_INTERVAL_MS: '500', RECONCILE_GRACE_MS: '2000', RECONCILE_MAX_LAG: '0' }),
      join(p.logDir, 'processor.log'),
    );
    processors.push(processor);

    const missing = await waitForRenditions(p.client, p.names.processedBucket, [lost, replaced], renditions, 60_000);
    expect(missing).toEqual([]);
    expect(await renditionsWithWrongSource(p.client, p.names.processedBucket, [lost, replaced], renditions)).toEqual([]);
    await waitFor('the dead letter of the text upload', async () => (await topicMessageCount(brokers, p.names.dlqTopic)) === 1);
    const marker = await p.client.statObject(p.names.processedBucket, deadLetterMarkerKey(notImage.key));
    expect(marker.metaData['source-etag']).toBe(notImage.etag);

    // Several more passes (each well past the grace) republish nothing: every upload has its outcome now.
    const before = await passesDone(processor);
    await waitFor('four more reconcile passes', async () => (await passesDone(processor)) >= before + 4);
    expect(await metric(processor, 'processor_reconcile_republished_total')).toBe(3);
    expect(await metric(processor, 'processor_reconcile_unsettled_uploads')).toBe(0);
    expect(await topicMessageCount(brokers, p.names.dlqTopic)).toBe(1);
    expect(await topicMessageCount(brokers, p.names.sourceTopic)).toBe(3);
    const republishedKeys = readProcessorLog(join(p.logDir, 'processor.log'))
      .filter((l) => l.msg === 'republished uploads without renditions or dead letter')
      .flatMap((l) => l.keys as string[]);
    expect(republishedKeys.sort()).toEqual([lost.key, notImage.key, replaced.key].sort());
    // The settled upload kept the renditions the test wrote: it was never processed.
    expect((await p.client.statObject(p.names.processedBucket, renditionKey(settled.key, renditions[0]!))).size).toBe(2);
  });

  it('leaves uploads younger than the grace period alone', async () => {
    const p = await pipeline('reconcile-young');
    await p.client.removeAllBucketNotification(p.names.uploadsBucket);
    const processor = await startProcessor(
      p.processorEnv({ RECONCILE_INTERVAL_MS: '300', RECONCILE_GRACE_MS: '600000', RECONCILE_MAX_LAG: '0' }),
      join(p.logDir, 'processor.log'),
    );
    processors.push(processor);
    await uploadWithRetry(p.client, p.names.uploadsBucket, 'young.jpg', await smallImage(4));
    const before = await passesDone(processor);
    await waitFor('three reconcile passes', async () => (await passesDone(processor)) >= before + 3);
    expect(await metric(processor, 'processor_reconcile_republished_total')).toBe(0);
    expect(await topicMessageCount(brokers, p.names.sourceTopic)).toBe(0);
  });

  it('republishes nothing when the processed listing hides the source ETags (a policy without GetObject there)', async () => {
    const p = await pipeline('reconcile-blind');
    await p.client.removeAllBucketNotification(p.names.uploadsBucket);
    const renditions = readProcessorConfig(p.processorEnv()).RENDITIONS;
    const done = await uploadWithRetry(p.client, p.names.uploadsBucket, 'done.jpg', await smallImage(7));
    for (const r of renditions) {
      await p.client.putObject(p.names.processedBucket, renditionKey(done.key, r), Buffer.from('ok'), 2, { 'source-etag': done.etag });
    }
    // The processor's policy without s3:GetObject on processed: MinIO then lists those objects without metadata.
    const admin = new MinioAdmin(p.minio.endpoint, p.minio.accessKey, p.minio.secretKey);
    const blind = randomIdentity('blind');
    await admin.putPolicy('blind-processor', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [`arn:aws:s3:::${p.names.uploadsBucket}`, `arn:aws:s3:::${p.names.processedBucket}`] },
        { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${p.names.uploadsBucket}/*`] },
        { Effect: 'Allow', Action: ['s3:PutObject'], Resource: [`arn:aws:s3:::${p.names.processedBucket}/*`] },
      ],
    });
    await admin.putUser(blind.accessKey, blind.secretKey);
    await admin.setUserPolicy(blind.accessKey, 'blind-processor');
    const logFile = join(p.logDir, 'processor.log');
    const processor = await startProcessor(
      p.processorEnv({
        MINIO_ACCESS_KEY: blind.accessKey,
        MINIO_SECRET_KEY: blind.secretKey,
        RECONCILE_INTERVAL_MS: '300',
        RECONCILE_GRACE_MS: '1000',
        RECONCILE_MAX_LAG: '0',
      }),
      logFile,
    );
    processors.push(processor);
    await waitFor('three passes skipped for missing metadata', async () => {
      const text = await (await fetch(`${processor.opsUrl}/metrics`)).text();
      return (counterByLabel(text, 'processor_reconcile_passes_total', 'result')['skipped-no-metadata'] ?? 0) >= 3;
    });
    expect(await metric(processor, 'processor_reconcile_republished_total')).toBe(0);
    expect(await topicMessageCount(brokers, p.names.sourceTopic)).toBe(0);
    expect(readProcessorLog(logFile).some((l) => l.msg.startsWith('reconcile pass skipped: the processed listing shows no source ETags'))).toBe(true);
  });
});

describe('refusals by MinIO', () => {
  it('a wrong secret makes the processor unready and says so; the upload waits and is rendered once the secret is right', async () => {
    const p = await pipeline('refused');
    const logFile = join(p.logDir, 'processor-wrong-secret.log');
    const wrong = await startProcessor(p.processorEnv({ MINIO_SECRET_KEY: `${p.identities.processor.secretKey}x`, ACCESS_CHECK_INTERVAL_MS: '500' }), logFile, 'healthy');
    processors.push(wrong);
    const upload: Upload = await uploadWithRetry(p.client, p.names.uploadsBucket, 'kept.jpg', await smallImage(5));
    await waitFor('a refusal in the log', async () => readProcessorLog(logFile).some((l) => l.msg.startsWith('MinIO refuses this app')));
    await waitFor('a retry of the upload', async () =>
      readProcessorLog(logFile).some((l) => l.msg === 'processing failed transiently, retrying' && l.key === upload.key),
    );
    const refusal = readProcessorLog(logFile).find((l) => l.msg.startsWith('MinIO refuses this app'))!;
    expect(refusal.level).toBe('error');
    // A HEAD answer has no body, so minio-js names a bad signature AccessDenied; a GET names it SignatureDoesNotMatch.
    expect(['AccessDenied', 'SignatureDoesNotMatch']).toContain(refusal.code);
    expect(JSON.stringify(readProcessorLog(logFile))).not.toContain(p.identities.processor.secretKey);
    expect((await fetch(`${wrong.opsUrl}/readyz`)).status).toBe(503);
    expect((await fetch(`${wrong.opsUrl}/healthz`)).status).toBe(200);
    expect(await metric(wrong, 'processor_storage_refused')).toBe(1);
    expect(await topicMessageCount(brokers, p.names.dlqTopic)).toBe(0);

    await wrong.app.stop('SIGTERM', 20_000);
    const right = await startProcessor(p.processorEnv(), join(p.logDir, 'processor-right-secret.log'));
    processors.push(right);
    const renditions = readProcessorConfig(p.processorEnv()).RENDITIONS;
    expect(await waitForRenditions(p.client, p.names.processedBucket, [upload], renditions, 60_000)).toEqual([]);
    expect(await topicMessageCount(brokers, p.names.dlqTopic)).toBe(0);
  });

  it('a missing processed bucket makes the processor unready instead of dead-lettering every upload', async () => {
    const p = await pipeline('nobucket');
    const logFile = join(p.logDir, 'processor.log');
    // As root: with its own identity the processor would be refused the missing bucket (AccessDenied) before MinIO
    // looked for it; this is the case of an identity allowed a bucket nobody created.
    const processor = await startProcessor(
      p.processorEnv({
        PROCESSED_BUCKET: `${p.names.processedBucket}-missing`,
        MINIO_ACCESS_KEY: p.minio.accessKey,
        MINIO_SECRET_KEY: p.minio.secretKey,
      }),
      logFile,
      'healthy',
    );
    processors.push(processor);
    const upload = await uploadWithRetry(p.client, p.names.uploadsBucket, 'waits.jpg', await smallImage(6));
    await waitFor('a retry of the upload', async () =>
      readProcessorLog(logFile).some((l) => l.msg === 'processing failed transiently, retrying' && l.key === upload.key),
    );
    const refusal = readProcessorLog(logFile).find((l) => l.msg.startsWith('MinIO refuses this app'));
    expect(refusal?.code).toBe('NoSuchBucket');
    expect((await fetch(`${processor.opsUrl}/readyz`)).status).toBe(503);
    expect(await topicMessageCount(brokers, p.names.dlqTopic)).toBe(0);
  });
});
