// Prints the messages of a Kafka topic as they arrive (from the beginning), one line each, until Ctrl-C.
// Usage: KAFKA_BROKERS=host:port npx tsx scripts/watch-topic.ts <topic>   (or --env-file=<pipeline.env> before the script)
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { kafkaEnv, readConfig } from '../apps/lib/config';
import { createKafka } from '../apps/lib/kafka';

async function main(): Promise<void> {
  const topic = process.argv[2];
  if (!topic) {
    console.error('usage: npx tsx scripts/watch-topic.ts <topic>   (KAFKA_BROKERS must be set)');
    process.exit(2);
  }
  const config = readConfig(z.object({ ...kafkaEnv.shape }));
  const consumer = createKafka({ ...config, KAFKA_CLIENT_ID: 'wolke-watch-topic' }).consumer({
    groupId: `wolke-watch-${randomUUID()}`,
  });
  const stop = () => void consumer.disconnect().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  console.error(`watching ${topic} on ${config.KAFKA_BROKERS.join(',')} (Ctrl-C stops)`);
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      console.log(`${partition}:${message.offset} ${message.key?.toString() ?? '-'} ${message.value?.toString() ?? ''}`);
    },
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
