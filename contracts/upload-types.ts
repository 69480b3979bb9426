// What an upload may be and what the API hands the browser to make one; no imports, so the web UI bundles it.

/** Image types the processor decodes, shared by the API's validation and the web UI's form. */

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

/** What `POST /images/upload-url` answers: the browser PUTs the file to `url` with these headers. */
export interface UploadTicket {
  key: string;
  /** Where the renditions will appear: `GET /images?prefix=<source>/`. */
  source: string;
  method: 'PUT';
  url: string;
  headers: { 'Content-Type': string };
  expiresAt: string;
}
