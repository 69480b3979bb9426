// Image types the processor decodes, shared by the API's validation and the web UI's form (no imports: it is bundled for browsers).

/** Content type → extension of the object key. */
export const allowedImageTypes = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/gif': 'gif',
} as const;

export type AllowedImageType = keyof typeof allowedImageTypes;

export function isAllowedImageType(type: string): type is AllowedImageType {
  return Object.hasOwn(allowedImageTypes, type);
}
