// The lag and partition-health gauges against real Kafka: what a consumer exports on /metrics per group and partition.
import { randomUUID } from 'node:crypto';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaMetrics, groupLag } from '../../apps/lib/consumer-lag';
import { APP_METRICS } from '../../apps/lib/metric-names';

const kafka = new Kafka({ clientId: 'consumer-lag-test', brokers: inject('kafkaBrokers'), logLevel: logLevel.NOTHING });
const topic = `lag-${randomUUID().slice(0, 8)}`;
const groupId = `${topic}-group`;
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
  const producer = kafka.producer();
  await producer.connect();
  // 10, 20 and 30 messages on partitions 0, 1 and 2.
  await producer.send({
    topic,
    messages: [0, 1, 2].flatMap((partition) => Array.from({ length: 10 * (partition + 1) }, (_, i) => ({ partition, value: `m${i}` }))),
  });
  await producer.disconnect();
  // The group has read 4 of partition 0 and all of partition 1; partition 2 has no committed offset.
  await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '4' }, { partition: 1, offset: '20' }] });
});

afterAll(async () => {
  await admin?.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin?.disconnect();
});

/** The value of each series of a gauge, keyed by its labels. */
async function series(registry: Registry, name: string): Promise<Record<string, number>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return Object.fromEntries((metric?.values ?? []).map((v) => [JSON.stringify(v.labels), v.value]));
}

describe('consumer lag metrics', () => {
  it('export the lag of every partition of the group', async () => {
    const registry = new Registry();
    const metrics = createKafkaMetrics(registry, admin, { groups: [{ groupId, topic }], partitionHealth: true });
    await metrics.refresh();
    expect(await series(registry, APP_METRICS.consumerLag)).toEqual({
      [JSON.stringify({ group: groupId, topic, partition: '0' })]: 6,
      [JSON.stringify({ group: groupId, topic, partition: '1' })]: 0,
      [JSON.stringify({ group: groupId, topic, partition: '2' })]: 30,
    });
    expect(await groupLag(admin, groupId, topic)).toBe(36);
  });

  it('export the partition health of every topic: the single test broker leads every partition in sync', async () => {
    const registry = new Registry();
    await createKafkaMetrics(registry, admin, { groups: [], partitionHealth: true }).refresh();
    const offline = await series(registry, APP_METRICS.offlinePartitions);
    const underReplicated = await series(registry, APP_METRICS.underReplicatedPartitions);
    expect(offline[JSON.stringify({ topic })]).toBe(0);
    expect(underReplicated[JSON.stringify({ topic })]).toBe(0);
  });

  it('export no partition health from an app that does not ask for it', async () => {
    const registry = new Registry();
    await createKafkaMetrics(registry, admin, { groups: [{ groupId, topic }] }).refresh();
    expect(await registry.getSingleMetric(APP_METRICS.offlinePartitions)).toBeUndefined();
  });
});
