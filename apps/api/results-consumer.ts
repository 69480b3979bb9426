// Reads the `results` topic into the API's sensor averages and image index: every replica reads every partition from a
// recent offset.
import type { Kafka } from 'kafkajs';
import type { ApiMetrics } from './metrics';
import { replayStartOffsets } from './replay-offsets';
import type { ListedObject } from './image-page';
import { parseResultsMessage } from '../../contracts/results-message';
import type { SensorAverages } from './sensor-averages';

export interface ResultsConsumerOptions {
  kafka: Kafka;
  topic: string;
  /**
   * Unique per API instance: with a shared group, Kafka would split the partitions between replicas and
   * each would show only some sensors.
   */
  groupId: string;
  /** Messages per partition replayed at start, so a new replica shows averages without waiting a window. */
  backlog: number;
  averages: SensorAverages;
  /** Told of the renditions the processor announces; false when they are in a bucket this API does not show. */
  onRenditions: (bucket: string, renditions: ListedObject[]) => boolean;
  metrics: ApiMetrics;
  onInvalid?: (reason: string, partition: number, offset: string) => void;
}

export interface ResultsConsumer {
  /** True once the consumer has joined its group and been given the partitions. */
  isReady(): boolean;
  stop(): Promise<void>;
}

export async function startResultsConsumer(options: ResultsConsumerOptions): Promise<ResultsConsumer> {
  const { kafka, topic, groupId, backlog, averages, metrics } = options;
  const admin = kafka.admin();
  await admin.connect();
  let starts: { partition: number; offset: string }[];
  try {
    starts = replayStartOffsets(await admin.fetchTopicOffsets(topic), backlog);
  } finally {
    await admin.disconnect();
  }

  const consumer = kafka.consumer({ groupId, sessionTimeout: 15_000, heartbeatInterval: 3_000 });
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
      const parsed = parseResultsMessage(message.value);
      if (!parsed.ok) {
        metrics.resultsConsumed.inc({ outcome: 'invalid' });
        options.onInvalid?.(parsed.reason, partition, message.offset);
        return;
      }
      if (parsed.kind === 'renditions') {
        const { bucket, renditions } = parsed.announcement;
        const listed = renditions.map((r) => ({ key: r.key, size: r.size, lastModified: new Date(r.lastModified) }));
        metrics.resultsConsumed.inc({ outcome: options.onRenditions(bucket, listed) ? 'renditions' : 'other-bucket' });
        return;
      }
      metrics.resultsConsumed.inc({ outcome: averages.apply(parsed.average) ? 'applied' : 'stale' });
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
