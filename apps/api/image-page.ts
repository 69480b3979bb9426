// Groups the objects of the `processed` bucket by the upload they came from, one page at a time.
import { z } from 'zod';
import type { ImageGroup, ImagePage } from '../../contracts/image-listing';
import { parseRenditionKey } from '../../contracts/rendition-key';

/** An object as a bucket listing reports it. */
export interface ListedObject {
  key: string;
  size: number;
  lastModified: Date;
}

/** Query string of `GET /images`. */
export const imagePageQuerySchema = z.strictObject({
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int({ error: 'limit must be a whole number' })
    .min(1, { error: 'limit must be at least 1' })
    .max(100, { error: 'limit must be at most 100' })
    .default(24),
  cursor: z
    .string()
    .max(1400, { error: 'cursor is too long' })
    .regex(/^[A-Za-z0-9_-]+$/, { error: 'cursor must be a value returned as nextCursor' })
    .optional(),
  /** Only sources under this key prefix, e.g. the source of a fresh upload. */
  prefix: z
    .string()
    .max(1024, { error: 'prefix must be at most 1024 characters' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._\/-]*$/, { error: 'prefix may hold only letters, digits, ".", "_", "-" and "/"' })
    .refine((p) => !p.split('/').includes('..'), { error: 'prefix must not contain ".." segments' })
    .optional(),
});

export type ImagePageQuery = z.infer<typeof imagePageQuerySchema>;

/** The cursor is the last key of a page, opaque to clients. */
function encodeCursor(lastKey: string): string {
  return Buffer.from(lastKey, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

/**
 * Reads a key-ordered listing until `limit` groups are complete. The listing is consumed lazily, so a
 * page costs about `limit` × renditions objects, however large the bucket. Synchronous, so a listing that
 * announcements update in place cannot change under a page being cut from it.
 */
export function collectImagePage(objects: Iterable<ListedObject>, limit: number): ImagePage {
  const groups = new Map<string, ImageGroup>();
  let lastKey: string | undefined;
  for (const object of objects) {
    const parsed = parseRenditionKey(object.key);
    if (parsed === undefined) {
      lastKey = object.key;
      continue;
    }
    let group = groups.get(parsed.source);
    if (group === undefined) {
      // A new source after `limit` groups: the page ends before it, and the next one starts here.
      if (groups.size === limit) return { images: [...groups.values()], ...(lastKey ? { nextCursor: encodeCursor(lastKey) } : {}) };
      group = { source: parsed.source, renditions: {}, lastModified: object.lastModified.toISOString() };
      groups.set(parsed.source, group);
    }
    group.renditions[parsed.name] = {
      key: object.key,
      format: parsed.format,
      size: object.size,
      lastModified: object.lastModified.toISOString(),
    };
    if (object.lastModified.toISOString() > group.lastModified) group.lastModified = object.lastModified.toISOString();
    lastKey = object.key;
  }
  return { images: [...groups.values()] };
}
