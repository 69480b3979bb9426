// Reads the `anomalies` topic into the API's recent anomalies: every replica reads every partition from a recent offset.
import type { Kafka } from 'kafkajs';
import { anomalySchema } from '../../contracts/anomaly';
import type { RecentAnomalies } from './recent-anomalies';
import { replayStartOffsets } from './replay-offsets';

export interface AnomaliesConsumerOptions {
  kafka: Kafka;
  topic: string;
  /** Unique per API instance, like the results consumer's: each replica needs every sensor's anomalies. */
  groupId: string;
  /** Messages per partition replayed at start, so a new replica shows the recent anomalies at once. */
  backlog: number;
  recent: RecentAnomalies;
  onInvalid?: (reason: string, partition: number, offset: string) => void;
}

export interface AnomaliesConsumer {
  stop(): Promise<void>;
}

export async function startAnomaliesConsumer(options: AnomaliesConsumerOptions): Promise<AnomaliesConsumer> {
  const { kafka, topic, groupId, backlog, recent } = options;
  const admin = kafka.admin();
  await admin.connect();
  let starts: { partition: number; offset: string }[];
  try {
    starts = replayStartOffsets(await admin.fetchTopicOffsets(topic), backlog);
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId, sessionTimeout: 15_000, heartbeatInterval: 3_000, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      let json: unknown;
      try {
        json = JSON.parse(message.value?.toString() ?? '');
      } catch {
        options.onInvalid?.('not JSON', partition, message.offset);
        return;
      }
      const parsed = anomalySchema.safeParse(json);
      if (parsed.success) recent.add(parsed.data);
      else options.onInvalid?.(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), partition, message.offset);
    },
  });
  for (const { partition, offset } of starts) consumer.seek({ topic, partition, offset });
  return { stop: () => consumer.disconnect() };
}
