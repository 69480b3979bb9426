// Starts one real Kafka and one MinIO for the `integration` test project and hands their addresses to the tests.
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { TestProject } from 'vitest/node';
import { startKafka } from '../../testbed/kafka';
import { startMinio } from '../../testbed/minio';
import { createRunDir } from '../../testbed/run-dir';

/** Topic the MinIO notification target PRIMARY publishes bucket events to. */
export const minioEventsTopic = 'minio-events';

declare module 'vitest' {
  export interface ProvidedContext {
    /** host:port of the test-bed Kafka broker(s). */
    kafkaBrokers: string[];
    /** The test-bed MinIO and its random root credentials of this run. */
    minio: { endpoint: string; accessKey: string; secretKey: string };
    /** Where the test bed keeps Kafka's and MinIO's logs. */
    testbedLogDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // A directory of its own per run: other runs in this working tree may be using theirs right now.
  const root = createRunDir(resolve(__dirname, '..', '..', 'test-output', 'testbed'));
  const started = Date.now();
  const kafka = await startKafka({ nodes: 1, dir: resolve(root, 'kafka') });
  const admin = new Kafka({ clientId: 'wolke-testbed', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: minioEventsTopic, numPartitions: 1 }] });
  } finally {
    await admin.disconnect();
  }
  let minio;
  try {
    minio = await startMinio({ kafkaBrokers: kafka.brokers, topic: minioEventsTopic, dir: resolve(root, 'minio') });
  } catch (error) {
    await kafka.stop();
    throw error;
  }
  console.log(
    `test bed ready in ${((Date.now() - started) / 1000).toFixed(1)} s: kafka ${kafka.brokers.join(',')}, ` +
      `minio ${minio.endpoint}; logs under ${root}`,
  );
  project.provide('kafkaBrokers', kafka.brokers);
  project.provide('minio', { endpoint: minio.endpoint, accessKey: minio.accessKey, secretKey: minio.secretKey });
  project.provide('testbedLogDir', root);
  const testbed = minio;
  return async () => {
    await testbed.stop();
    await kafka.stop();
  };
}
