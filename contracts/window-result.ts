// The aggregator's message on the `results` topic: the average of one full count window of one sensor.
import { z } from 'zod';

/** What the aggregator writes (strict: a field it does not mean to send is a bug) and the lake archives column by column. */
export const windowResultSchema = z.strictObject({
  /** Sensor id; also the Kafka message key. */
  sensor: z.string().min(1),
  /** Arithmetic mean of the values in the window. */
  avg: z.number().finite(),
  /** Events in the window (the window size). */
  count: z.number().int().positive(),
  /** `ts` of the last event in the window, epoch milliseconds. */
  windowEnd: z.number().int().nonnegative(),
});

export type WindowResult = z.infer<typeof windowResultSchema>;

/**
 * A window average as a live reader takes it: extra fields allowed, so the aggregator may add fields without breaking
 * the API; the sensor id is bounded because the API keeps one entry per sensor.
 */
export const windowResultReadSchema = z.object({
  sensor: z.string().min(1).max(128),
  avg: z.number().finite(),
  count: z.number().int().positive(),
  /** Epoch milliseconds of the last event in the window. */
  windowEnd: z.number().int().nonnegative(),
});

export type WindowResultRead = z.infer<typeof windowResultReadSchema>;
