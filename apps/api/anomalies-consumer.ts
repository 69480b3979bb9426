// Reads the `anomalies` topic into the API's recent anomalies: every replica reads every partition from a recent offset.
import type { Kafka } from 'kafkajs';
import { anomalySchema } from '../../contracts/anomaly';
import type { RecentAnomalies } from './recent-anomalies';
import { startReplayConsumer, type ReplayConsumer } from './replay-consumer';

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

export type AnomaliesConsumer = ReplayConsumer;

export async function startAnomaliesConsumer(options: AnomaliesConsumerOptions): Promise<AnomaliesConsumer> {
  return startReplayConsumer({
    ...options,
    handle: (partition, message) => {
      let json: unknown;
      try {
        json = JSON.parse(message.value?.toString() ?? '');
      } catch {
        options.onInvalid?.('not JSON', partition, message.offset);
        return;
      }
      const parsed = anomalySchema.safeParse(json);
      if (parsed.success) options.recent.add(parsed.data);
      else options.onInvalid?.(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), partition, message.offset);
    },
  });
}
