// Reads a Kafka topic from the beginning until a wanted message arrives or time runs out (tests, watch-topic).
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

/** One message as text. */
export interface TextMessage {
  key: string | null;
  value: string | null;
  partition: number;
  offset: string;
}

/**
 * Collects messages of `topic` until `done(messages)` is true; rejects after `timeoutMs` with what it saw.
 * A fresh consumer group each time, so every call sees the topic from its first offset.
 */
export async function readTopicUntil(
  brokers: string[],
  topic: string,
  done: (messages: TextMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<TextMessage[]> {
  const kafka = new Kafka({ clientId: 'wolke-topic-reader', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `wolke-reader-${randomUUID()}` });
  const messages: TextMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no wanted message on ${topic} within ${timeoutMs} ms; saw ${messages.length}`)),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ message, partition }) => {
            messages.push({
              key: message.key?.toString() ?? null,
              value: message.value?.toString() ?? null,
              partition,
              offset: message.offset,
            });
            if (done(messages)) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch((error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        });
    });
    return messages;
  } finally {
    await consumer.disconnect();
  }
}
