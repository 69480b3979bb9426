// Validates a browser's request for an upload URL and derives the object key it may write in `uploads`.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { allowedImageTypes, type AllowedImageType } from '../../contracts/upload-types';

const imageTypes = Object.keys(allowedImageTypes) as [AllowedImageType, ...AllowedImageType[]];

/** The body of `POST /images/upload-url`, checked against the largest upload this API signs for. */
export function uploadRequestSchema(maxBytes: number) {
  return z.strictObject({
    filename: z
      .string({ error: 'filename must be a string' })
      .min(1, { error: 'filename must not be empty' })
      .max(255, { error: 'filename must be at most 255 characters' }),
    contentType: z.enum(imageTypes, {
      error: `contentType must be one of ${imageTypes.join(', ')}`,
    }),
    size: z
      .number({ error: 'size must be a number of bytes' })
      .int({ error: 'size must be a whole number of bytes' })
      .positive({ error: 'size must be at least 1 byte' })
      .max(maxBytes, { error: `size must be at most ${formatBytes(maxBytes)} (${maxBytes} bytes)` }),
  });
}

/** A byte count for people: 512 bytes, 1.5 KiB, 50 MiB. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : Number(value.toFixed(1))} ${units[unit]}`;
}

export type UploadRequest = z.infer<ReturnType<typeof uploadRequestSchema>>;

/**
 * Turns a user-supplied file name into a short lowercase slug: the key never carries path separators,
 * dot segments, control characters or anything a shell or URL would treat specially.
 */
export function slugifyFilename(filename: string): string {
  const withoutExtension = filename.replace(/\.[^.]*$/, '');
  const slug = withoutExtension
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return slug === '' ? 'image' : slug;
}

/**
 * The key an upload is stored under: `<yyyy-mm-dd>/<uuid>-<slug>.<ext>`. The uuid keeps two uploads of
 * the same name apart; the extension comes from the validated content type, never from the file name.
 */
export function uploadKey(request: UploadRequest, now: Date, id: string = randomUUID()): string {
  const day = now.toISOString().slice(0, 10);
  return `${day}/${id}-${slugifyFilename(request.filename)}.${allowedImageTypes[request.contentType]}`;
}
