// A SIGKILL costs the processor only the work in hand: progress inside a long batch is committed as it goes, so the
// next processor does not redo what was finished. Runs on the shared Kafka with a MinIO of its own.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readProcessorConfig } from '../../apps/processor/config';
import { runDirectory, startPipeline, type Pipeline } from '../support/pipeline-bed';
import { smallImage } from '../support/pipeline-images';
import { renderCounts, uploadWithRetry, waitForRenditions, type Upload } from '../support/pipeline-outcome';
import { readProcessorLog, startProcessor, type ProcessorProcess } from '../support/pipeline-processor';

const brokers = inject('kafkaBrokers');
const backlog = 300;
let pipeline: Pipeline | undefined;
const processors: ProcessorProcess[] = [];

beforeAll(async () => {
  pipeline = await startPipeline({ prefix: 'progress', brokers, logDir: runDirectory('pipeline-progress'), partitions: 1, replication: 1 });
}, 180_000);

afterAll(async () => {
  await Promise.all(processors.map((p) => p.app.stop('SIGKILL')));
  await pipeline?.stop();
}, 60_000);

/** The group's committed offset of partition 0 (-1 while nothing is committed). */
async function committedOffset(groupId: string, topic: string): Promise<number> {
  const admin = new Kafka({ clientId: 'progress-test', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return Number(offsets!.partitions.find((p) => p.partition === 0)!.offset);
  } finally {
    await admin.disconnect();
  }
}

describe('chaos: progress survives a kill', () => {
  it(`commits finished work inside a batch of ${backlog}, so a SIGKILL redoes only uncommitted objects`, async () => {
    const p = pipeline!;
    // The whole backlog waits in one partition before the processor starts, so it arrives as one long batch.
    const limit = pLimit(4);
    const uploads: Upload[] = await Promise.all(
      Array.from({ length: backlog }, (_, n) =>
        limit(async () => uploadWithRetry(p.client, p.names.uploadsBucket, `backlog/${String(n).padStart(4, '0')}.jpg`, await smallImage(n))),
      ),
    );
    const firstLog = join(p.logDir, 'processor-first.log');
    const first = await startProcessor(p.processorEnv(), firstLog);
    processors.push(first);

    // Kill it as soon as a fifth of the batch is committed: the processor renders these small images fast enough to
    // finish the whole batch within a few commit intervals, which would leave nothing in hand to lose.
    const deadline = Date.now() + 90_000;
    let committed = -1;
    while (committed < backlog / 5 && Date.now() < deadline) {
      await sleep(200);
      committed = await committedOffset(p.names.group, p.names.sourceTopic);
    }
    first.app.child.kill('SIGKILL');
    await first.app.exited;
    const renderedFirst = renderCounts(readProcessorLog(firstLog));

    const secondLog = join(p.logDir, 'processor-second.log');
    processors.push(await startProcessor(p.processorEnv(), secondLog));
    const renditions = readProcessorConfig(p.processorEnv()).RENDITIONS;
    const missing = await waitForRenditions(p.client, p.names.processedBucket, uploads, renditions, 120_000);
    const renderedSecond = renderCounts(readProcessorLog(secondLog));
    const redone = [...renderedSecond.keys()].filter((key) => renderedFirst.has(key)).length;
    console.log(
      `progress: first processor rendered ${renderedFirst.size}/${backlog} and had committed ${committed} offsets ` +
        `when killed; the second rendered ${renderedSecond.size}, redoing ${redone}`,
    );

    expect(missing.map((u) => u.key)).toEqual([]);
    // Unfinished batches must not hide finished work: at the kill, most of what was rendered is committed.
    expect(renderedFirst.size).toBeLessThan(backlog);
    expect(committed).toBeGreaterThanOrEqual(backlog / 5);
    // Only what was past the committed offset comes again.
    expect(redone).toBeLessThanOrEqual(renderedFirst.size - committed);
  });
});
