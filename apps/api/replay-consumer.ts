// A consumer of this API instance alone that reads every partition of a topic from a recent offset and commits nothing:
// each replica keeps its own view (sensor averages, images, anomalies) of the whole topic.
import type { Kafka, KafkaMessage } from 'kafkajs';
import { replayStartOffsets } from './replay-offsets';

export interface ReplayConsumerOptions {
  kafka: Kafka;
  topic: string;
  /**
   * Unique per API instance: with a shared group, Kafka would split the partitions between replicas and each would
   * see only some of them.
   */
  groupId: string;
  /** Messages per partition replayed at start, so a new replica shows recent state at once. */
  backlog: number;
  /** Called with every message, in order per partition. */
  handle(partition: number, message: KafkaMessage): void;
}

export interface ReplayConsumer {
  /** True once the consumer has joined its group and been given the partitions. */
  isReady(): boolean;
  stop(): Promise<void>;
}

export async function startReplayConsumer(options: ReplayConsumerOptions): Promise<ReplayConsumer> {
  const { kafka, topic, groupId, backlog } = options;
  const admin = kafka.admin();
  await admin.connect();
  let starts: { partition: number; offset: string }[];
  try {
    starts = replayStartOffsets(await admin.fetchTopicOffsets(topic), backlog);
  } finally {
    await admin.disconnect();
  }

  const consumer = kafka.consumer({ groupId, sessionTimeout: 15_000, heartbeatInterval: 3_000, allowAutoTopicCreation: false });
  // Where each partition is read from next: the replay start, then just past the last message read. The group commits
  // nothing, so each join (the first, or a restart after a crash such as "the coordinator is loading") seeks there;
  // a seek made once after run() would throw while a crashed consumer restarts, and a restart would forget it.
  const next = new Map(starts.map(({ partition, offset }) => [partition, offset]));
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    for (const [partition, offset] of next) consumer.seek({ topic, partition, offset });
    joined = true;
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) joined = false;
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  await consumer.run({
    // Offsets are never committed: the group is this instance's alone and starts from `starts` each time.
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      next.set(partition, (BigInt(message.offset) + 1n).toString());
      options.handle(partition, message);
    },
  });

  return {
    isReady: () => joined,
    stop: async () => {
      joined = false;
      await consumer.disconnect();
    },
  };
}
