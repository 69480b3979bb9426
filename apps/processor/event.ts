// Parses a MinIO bucket notification, as MinIO's Kafka target sends it, into the objects it reports created.
import { z } from 'zod';

/** An object that a notification reports as created. */
export interface CreatedObject {
  bucket: string;
  /** The object key, decoded (MinIO sends it query-escaped). */
  key: string;
  eventName: string;
  eTag?: string;
  size?: number;
}

export type ParsedNotification =
  | { ok: true; created: CreatedObject[]; ignored: number }
  | { ok: false; error: string };

// MinIO wraps the S3 records as {EventName, Key, Records}; only Records is needed, the rest is tolerated.
const notificationSchema = z.looseObject({
  Records: z.array(z.looseObject({ eventName: z.string().min(1) })).min(1),
});

const createdRecordSchema = z.looseObject({
  eventName: z.string(),
  s3: z.looseObject({
    bucket: z.looseObject({ name: z.string().min(1) }),
    object: z.looseObject({
      key: z.string().min(1),
      eTag: z.string().optional(),
      size: z.number().int().nonnegative().optional(),
    }),
  }),
});

const createdPrefix = 's3:ObjectCreated:';

/** Whether an S3 event name reports a new or overwritten object. */
export const isObjectCreated = (eventName: string): boolean => eventName.startsWith(createdPrefix);

/**
 * Decodes an object key as MinIO writes it into notifications: Go's url.QueryEscape, so a space is "+"
 * and a literal "+" is "%2B". Throws URIError on a broken escape.
 */
export const decodeObjectKey = (encoded: string): string => decodeURIComponent(encoded.replace(/\+/g, ' '));

const describe = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');

/** Parses one Kafka message value; a value that is not a notification is reported, never thrown. */
export function parseNotification(value: Buffer | string | null): ParsedNotification {
  if (value === null || value.length === 0) return { ok: false, error: 'empty message value' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString());
  } catch (err) {
    return { ok: false, error: `not JSON: ${(err as Error).message}` };
  }
  const notification = notificationSchema.safeParse(json);
  if (!notification.success) return { ok: false, error: describe(notification.error) };

  const created: CreatedObject[] = [];
  let ignored = 0;
  for (const [index, raw] of notification.data.Records.entries()) {
    if (!isObjectCreated(raw.eventName)) {
      ignored += 1;
      continue;
    }
    const record = createdRecordSchema.safeParse(raw);
    if (!record.success) return { ok: false, error: `Records.${index}: ${describe(record.error)}` };
    const { bucket, object } = record.data.s3;
    let key: string;
    try {
      key = decodeObjectKey(object.key);
    } catch {
      return { ok: false, error: `Records.${index}.s3.object.key: broken escape in ${JSON.stringify(object.key)}` };
    }
    created.push({ bucket: bucket.name, key, eventName: raw.eventName, eTag: object.eTag, size: object.size });
  }
  return { ok: true, created, ignored };
}
