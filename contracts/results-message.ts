// Sorts a `results` message into what it carries: a sensor's window average (aggregator) or an upload's renditions
// (processor); the JSON is parsed once for both.
//
// The two kinds are split, not one zod discriminated union: the aggregator's averages carry no `type` field (the lake
// archives them column by column, and older records must keep reading), so only the announcement has a tag, and a
// value is sorted by it before the kind's own schema reads it. The result is a discriminated union on `kind`.
import type { z } from 'zod';
import { isAnnouncement, renditionsAnnouncementSchema, type RenditionsAnnouncement } from './renditions-announcement';
import { windowResultReadSchema, type WindowResultRead } from './window-result';

export type ResultsMessage =
  | { ok: true; kind: 'average'; average: WindowResultRead }
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
  const parsed = windowResultReadSchema.safeParse(json);
  return parsed.success ? { ok: true, kind: 'average', average: parsed.data } : { ok: false, reason: describe(parsed.error) };
}
