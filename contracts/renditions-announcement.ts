// The message the processor puts on `results` when an upload's renditions are in the processed bucket; the API keeps
// its image listing fresh from these instead of listing the bucket per request.
import { z } from 'zod';

/** One rendition as the processor wrote it: the fields a bucket listing would show. */
const announcedRenditionSchema = z.object({
  key: z.string().min(1).max(1024),
  size: z.number().int().nonnegative(),
  /** When the processor finished writing it (ISO 8601); MinIO's own time differs by the upload's duration. */
  lastModified: z.iso.datetime(),
});

/**
 * `{type: "renditions", source, bucket, renditions}` on `results`, keyed by the source key. Read leniently (extra fields
 * allowed): the processor may add fields without breaking the API.
 */
export const renditionsAnnouncementSchema = z.object({
  type: z.literal('renditions'),
  /** The upload's key in the uploads bucket. */
  source: z.string().min(1).max(1024),
  /** The bucket the renditions are in. */
  bucket: z.string().min(1).max(63),
  renditions: z.array(announcedRenditionSchema).min(1).max(8),
});

export type RenditionsAnnouncement = z.infer<typeof renditionsAnnouncementSchema>;

/** Whether a parsed `results` value claims to be an announcement (then it must fit the schema, else it is invalid). */
export const isAnnouncement = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'renditions';

/** The Kafka message of an announcement: keyed by the source, so announcements of one upload stay in order. */
export function announcementMessage(announcement: Omit<RenditionsAnnouncement, 'type'>): { key: string; value: string } {
  const value: RenditionsAnnouncement = { type: 'renditions', ...announcement };
  return { key: announcement.source, value: JSON.stringify(value) };
}
