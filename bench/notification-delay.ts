// When each upload's notification reached Kafka: the floor under every subject's upload→renditions latency, since MinIO
// (not the subject) decides when the event is published.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { parseNotification } from '../apps/processor/event';

/**
 * Upload key → timestamp (ms) of the first message on `topic` announcing its creation, for the keys in `wanted`; reads
 * the topic from the start until every key is seen or `timeoutMs` passes (keys not seen are left out).
 */
export async function notificationTimes(brokers: string[], topic: string, wanted: ReadonlySet<string>, timeoutMs = 20_000): Promise<Map<string, number>> {
  const kafka = new Kafka({ clientId: 'wolke-bench-notifications', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `wolke-bench-notifications-${randomUUID()}` });
  const seen = new Map<string, number>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          const parsed = parseNotification(message.value);
          if (!parsed.ok) return;
          for (const object of parsed.created) {
            if (wanted.has(object.key) && !seen.has(object.key)) seen.set(object.key, Number(message.timestamp));
          }
          if (seen.size === wanted.size) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}
