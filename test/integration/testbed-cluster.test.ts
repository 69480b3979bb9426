// The 3-node test-bed Kafka that chaos tests use: one quorum, replicated topics, and a broker restart that loses nothing.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { producerDefaults } from '../../apps/lib/kafka';
import { ensureTopics } from '../../apps/lib/setup';
import { startKafka, type KafkaTestbed } from '../../testbed/kafka';
import { createRunDir } from '../../testbed/run-dir';
import { readTopicUntil } from '../../testbed/topic-reader';

let cluster: KafkaTestbed | undefined;

beforeAll(async () => {
  const started = Date.now();
  cluster = await startKafka({ nodes: 3, dir: createRunDir(resolve(__dirname, '..', '..', 'test-output', 'testbed-cluster')) });
  console.log(`3-node kafka ready in ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${cluster.logDir}`);
}, 240_000);

afterAll(async () => {
  await cluster?.stop();
}, 60_000);

describe('3-node test-bed Kafka', () => {
  it('keeps every acknowledged message through a SIGKILL and restart of the partition leader', async () => {
    const brokers = cluster!.brokers;
    expect(brokers).toHaveLength(3);
    const kafka = new Kafka({ clientId: 'testbed-cluster', brokers, logLevel: logLevel.NOTHING });
    const topic = `cluster-${randomUUID().slice(0, 8)}`;
    // A fresh quorum on a busy 2-core box can take a while to give a new topic its leader.
    const admin = kafka.admin({ retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 3_000 } });
    await admin.connect();
    // Retries long enough to outlast the broker session timeout (4 s) after which the leader moves.
    const producer = kafka.producer({ ...producerDefaults, retry: { retries: 12, initialRetryTime: 300, maxRetryTime: 2_000 } });
    await producer.connect();
    try {
      await ensureTopics(admin, { [topic]: { partitions: 1, replication: 3 } });
      const send = (from: number, count: number) =>
        producer.send({
          topic,
          acks: -1,
          messages: Array.from({ length: count }, (_, i) => ({ key: 'k', value: String(from + i) })),
        });
      await send(0, 50);

      const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      const leader = metadata!.partitions[0]!.leader;
      expect(metadata!.partitions[0]!.replicas).toHaveLength(3);
      // Node ids are 1-based; restartBroker takes the 0-based index.
      const restart = cluster!.restartBroker(leader - 1, 'SIGKILL');
      // min.insync.replicas is 2, so the two others keep taking acks=all writes while the leader is down.
      await send(50, 50);
      await restart;
      await send(100, 50);

      const seen = await readTopicUntil(brokers, topic, (m) => m.length >= 150, 60_000);
      expect(seen.map((m) => Number(m.value))).toEqual(Array.from({ length: 150 }, (_, i) => i));
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});
