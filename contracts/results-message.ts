// Sorts a `results` message into what it carries: a sensor's window average (aggregator) or an upload's renditions
// (processor); the JSON is parsed once for both.
import { isAnnouncement, renditionsAnnouncementSchema, type RenditionsAnnouncement } from '../lib/renditions-announcement';
import { sensorAverageSchema, type SensorAverage } from './sensor-averages';
import type { z } from 'zod';

export type ResultsMessage =
  | { ok: true; kind: 'average'; average: SensorAverage }
  | { ok: true; kind: 'renditions'; announcement: RenditionsAnnouncement }
  | { ok: false; reason: string };

const describe = (error: z.ZodError): string => error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ');

/** Parses one `results` message value; a bad message is reported, never thrown, so one bad record cannot stop the consumer. */
export function parseResultsMessage(value: Buffer | string | null | undefined): ResultsMessage {
  if (value === null || value === undefined) return { ok: false, reason: 'empty message value' };
  let json: unknown;
  try {
    json = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch {
    return { ok: false, reason: 'message value is not JSON' };
  }
  if (isAnnouncement(json)) {
    const parsed = renditionsAnnouncementSchema.safeParse(json);
    return parsed.success ? { ok: true, kind: 'renditions', announcement: parsed.data } : { ok: false, reason: describe(parsed.error) };
  }
  const parsed = sensorAverageSchema.safeParse(json);
  return parsed.success ? { ok: true, kind: 'average', average: parsed.data } : { ok: false, reason: describe(parsed.error) };
}
