// The sensor event on the `events` topic: what the producer writes and the aggregator reads.
import { z } from 'zod';

export const sensorEventSchema = z.strictObject({
  /** Unique per event (a UUID), so a consumer can tell a redelivery from a new reading. */
  id: z.string().min(1),
  /** Sensor id; also the Kafka message key, so one sensor's events stay in order on one partition. */
  sensor: z.string().min(1),
  /** The reading. */
  value: z.number().finite(),
  /** When the reading was taken, epoch milliseconds. */
  ts: z.number().int().nonnegative(),
  /** Set by the producer on a spike it injected on purpose (ANOMALY_RATE), so tests know the truth. */
  injected: z.literal(true).optional(),
});

export type SensorEvent = z.infer<typeof sensorEventSchema>;

/** Parses one message value; undefined when it is not a sensor event (not JSON, or the wrong shape). */
export function parseSensorEvent(value: Buffer | string | null): SensorEvent | undefined {
  if (value === null) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(value.toString());
  } catch {
    return undefined;
  }
  const parsed = sensorEventSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
