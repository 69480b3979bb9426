// What `GET /images` answers: the renditions of each upload, grouped by source, with presigned URLs for the browser.
// Types only, so the web UI's bundle takes them without code.

/** One rendition of an upload as the processed bucket lists it. */
export interface ListedRendition {
  key: string;
  format: string;
  size: number;
  lastModified: string;
}

/** All renditions of one source image: `<source>/<rendition name>.<format>` in `processed`. */
export interface ImageGroup {
  source: string;
  renditions: Record<string, ListedRendition>;
  /** The newest rendition's time, so the UI can show the latest uploads first. */
  lastModified: string;
}

export interface ImagePage {
  images: ImageGroup[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}

export type SignedRendition = ListedRendition & { url: string };

export type SignedImageGroup = Omit<ImageGroup, 'renditions'> & { renditions: Record<string, SignedRendition> };

/** A page of `GET /images`. */
export interface SignedImagePage {
  images: SignedImageGroup[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
  /** When the URLs of this page stop working. */
  expiresAt: string;
}
