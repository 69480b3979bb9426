// Reads the `results` topic into the API's sensor averages and image index: every replica reads every partition from a
// recent offset.
import type { Kafka } from 'kafkajs';
import type { ApiMetrics } from './metrics';
import { startReplayConsumer, type ReplayConsumer } from './replay-consumer';
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

export type ResultsConsumer = ReplayConsumer;

export async function startResultsConsumer(options: ResultsConsumerOptions): Promise<ResultsConsumer> {
  const { averages, metrics } = options;
  return startReplayConsumer({
    ...options,
    handle: (partition, message) => {
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
}
