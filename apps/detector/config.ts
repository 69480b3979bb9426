// Environment of the detector: Kafka, the events and anomalies topics, the consumer group and the detector's parameters.
import { z } from 'zod';
import { consumerGroups } from '../../contracts/consumer-groups';
import { topics } from '../../contracts/topics';
import { commonEnv, groupMemberEnv, kafkaEnv, lagMetricsEnv, positiveInt, positiveNumber } from '../lib/config';
import type { DetectorParams } from './ewma-detector';

/** The detector's parameters when the model gives none (the model's defaults are the same). */
export const defaultDetectorParams: DetectorParams = { alpha: 0.2, threshold: 5, warmup: 20 };

export const detectorEnv = z.object({
  ...commonEnv.shape,
  ...kafkaEnv.shape,
  ...lagMetricsEnv.shape,
  ...groupMemberEnv.shape,
  EVENTS_TOPIC: z.string().min(1).default(topics.events),
  ANOMALIES_TOPIC: z.string().min(1).default(topics.anomalies),
  GROUP_ID: z.string().min(1).default(consumerGroups.detector),
  /** Weight of the newest reading in the EWMA mean and variance, in (0, 1]. */
  DETECTOR_ALPHA: positiveNumber.max(1, { error: 'must be at most 1' }).default(defaultDetectorParams.alpha),
  /** Score (deviations from the expected value) above which a reading is an anomaly. */
  DETECTOR_THRESHOLD: positiveNumber.default(defaultDetectorParams.threshold),
  /** Readings per sensor that only train the detector before it judges any. */
  DETECTOR_WARMUP: positiveInt.min(2, { error: 'must be at least 2' }).default(defaultDetectorParams.warmup),
});

export type DetectorConfig = z.infer<typeof detectorEnv>;
