// The record on the `anomalies` topic: one reading the detector judged abnormal, with what it expected instead.
import { z } from 'zod';

export const anomalySchema = z.strictObject({
  /** Sensor id; also the Kafka message key. */
  sensor: z.string().min(1),
  /** The reading. */
  value: z.number().finite(),
  /** When the reading was taken (the event's ts), epoch milliseconds. */
  ts: z.number().int().nonnegative(),
  /** |value − expected| / standard deviation of the sensor's recent readings. */
  score: z.number().nonnegative(),
  /** The EWMA mean of the sensor before this reading. */
  expected: z.number().finite(),
  /** id of the sensor event, so a reader can tell a redelivered anomaly from a new one. */
  id: z.string().min(1),
});

export type Anomaly = z.infer<typeof anomalySchema>;
