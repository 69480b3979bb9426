// Environment of the aggregator: Kafka, the events and results topics, the window size and the consumer group.
import { z } from 'zod';
import { consumerGroups } from '../../contracts/consumer-groups';
import { topics } from '../../contracts/topics';
import { commonEnv, groupMemberEnv, kafkaEnv, lagMetricsEnv, positiveInt } from '../lib/config';

export const aggregatorEnv = z.object({
  ...commonEnv.shape,
  ...kafkaEnv.shape,
  ...lagMetricsEnv.shape,
  ...groupMemberEnv.shape,
  EVENTS_TOPIC: z.string().min(1).default(topics.events),
  RESULTS_TOPIC: z.string().min(1).default(topics.results),
  /** Events per sensor in one window. */
  WINDOW_SIZE: positiveInt.default(20),
  GROUP_ID: z.string().min(1).default(consumerGroups.aggregator),
});

export type AggregatorConfig = z.infer<typeof aggregatorEnv>;
