// The result on the `results` topic: the average of one full count window of one sensor.
import { z } from 'zod';

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
