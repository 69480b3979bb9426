// Environment of the producer: Kafka, the events topic, the sensors, the total rate and an optional stop count.
import { z } from 'zod';
import { topics } from '../../contracts/topics';
import { defaultSpikeMagnitude } from './anomalies';
import { commonEnv, kafkaEnv, nameList, positiveInt, positiveNumber } from '../lib/config';

export const producerEnv = z.object({
  ...commonEnv.shape,
  ...kafkaEnv.shape,
  EVENTS_TOPIC: z.string().min(1).default(topics.events),
  /** Comma-separated sensor ids. */
  SENSORS: nameList.default(['A', 'B', 'C']),
  /** Events per second over all sensors. */
  RATE_PER_SECOND: positiveNumber.default(10),
  /** Fraction of events replaced by a spike marked `injected` (0 for none), e.g. 0.01. */
  ANOMALY_RATE: z.coerce.number({ error: 'must be a number' }).min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' }).default(0),
  /** Distance of an injected spike from the reading. */
  ANOMALY_MAGNITUDE: positiveNumber.default(defaultSpikeMagnitude),
  /** Stop after this many events (tests, benchmarks); unset runs until stopped. */
  COUNT: positiveInt.optional(),
});

export type ProducerConfig = z.infer<typeof producerEnv>;
