// Serves pages of the renditions in `processed` from an in-memory index, and signs the URLs browsers use to fetch renditions and to upload into `uploads`.
import type { Client } from 'minio';
import { ImageIndex, slice } from './image-index';
import type { SignedImageGroup, SignedImagePage } from '../../contracts/image-listing';
import type { UploadTicket } from '../../contracts/upload-types';
import { stripExtension } from '../../contracts/rendition-key';
import { collectImagePage, decodeCursor, type ImagePageQuery, type ListedObject } from './image-page';
import { uploadKey, type UploadRequest } from './upload-request';

export interface ImageStoreOptions {
  /** Client on MINIO_ENDPOINT: lists objects from inside the cluster. */
  client: Client;
  /**
   * Client on MINIO_PUBLIC_ENDPOINT: only signs. A signature covers the host, so URLs for the browser
   * must be signed for the host the browser reaches. Needs an explicit region so signing makes no request.
   */
  signer: Client;
  uploadsBucket: string;
  processedBucket: string;
  /** Lifetime of presigned URLs. */
  urlExpirySeconds: number;
}

/** A rendition with a presigned GET URL the browser loads it from. */


const maxCachedPages = 1_000;

export class ImageStore {
  /** The listing pages are cut from; fed by `announced`, repaired by `repairIndex`. */
  readonly index: ImageIndex;

  constructor(private readonly options: ImageStoreOptions) {
    // Pages are cut from a listing kept in memory: listing MinIO per request made /images take seconds under load,
    // and listing it again every few seconds still blocked the event loop for long enough to miss the p99 target.
    this.index = new ImageIndex({ list: () => listedObjects(options.client.listObjectsV2(options.processedBucket, '', true)) });
  }

  /** Renditions the processor announced on `results`; those written to another bucket are not this index's. */
  announced(bucket: string, renditions: readonly ListedObject[]): boolean {
    if (bucket !== this.options.processedBucket) return false;
    this.index.apply(renditions);
    return true;
  }

  /** Lists the processed bucket in full (at start, then now and then to catch lost announcements and deletions). */
  repairIndex(): Promise<void> {
    return this.index.repair();
  }

  /**
   * A presigned GET URL of a rendition, signed as of the start of the current signing window (a fifth of the URL
   * lifetime, at most a minute) and reused within it: signing 48 URLs took 20–40 ms of CPU per page otherwise.
   */
  private async signedUrl(key: string, windowStart: number): Promise<string> {
    if (windowStart !== this.signedWindow) {
      this.signed.clear();
      this.signedWindow = windowStart;
    }
    const cached = this.signed.get(key);
    if (cached !== undefined) return cached;
    const url = await this.options.signer.presignedGetObject(this.options.processedBucket, key, this.options.urlExpirySeconds, {}, new Date(windowStart));
    this.signed.set(key, url);
    return url;
  }

  private signed = new Map<string, string>();
  private signedWindow = 0;

  // Pages already built from the current listing in the current signing window, as the JSON sent: most requests ask
  // for the same few (the first page), and a page is the same until either changes. At most maxCachedPages; then
  // built each time.
  private pages = new Map<string, string>();
  private pagesOf: { version: number; windowStart: number } | undefined;

  /** A page of `GET /images` as the JSON body of the answer. */
  async pageJson(query: ImagePageQuery, now: Date = new Date()): Promise<string> {
    const windowStart = this.signingWindowStart(now);
    const { objects, version } = await this.index.snapshot();
    if (this.pagesOf?.version !== version || this.pagesOf.windowStart !== windowStart) {
      this.pages.clear();
      this.pagesOf = { version, windowStart };
    }
    const cacheKey = `${query.limit}\n${query.prefix ?? ''}\n${query.cursor ?? ''}`;
    const cached = this.pages.get(cacheKey);
    if (cached !== undefined) return cached;
    const built = JSON.stringify(await this.buildPage(query, objects, windowStart));
    if (this.pages.size < maxCachedPages) this.pages.set(cacheKey, built);
    return built;
  }

  private signingWindowStart(now: Date): number {
    const windowMs = Math.min(60_000, Math.max(1_000, Math.floor((this.options.urlExpirySeconds * 1000) / 5)));
    return Math.floor(now.getTime() / windowMs) * windowMs;
  }

  private async buildPage(query: ImagePageQuery, objects: readonly ListedObject[], windowStart: number): Promise<SignedImagePage> {
    const { urlExpirySeconds } = this.options;
    const startAfter = query.cursor === undefined ? '' : decodeCursor(query.cursor);
    // Cut synchronously: an announcement applied while the URLs are signed cannot change the page.
    const page = collectImagePage(slice(objects, query.prefix ?? '', startAfter), query.limit);
    const images = await Promise.all(
      page.images.map(async (image): Promise<SignedImageGroup> => {
        const renditions = Object.fromEntries(
          await Promise.all(
            Object.entries(image.renditions).map(async ([name, rendition]) => [name, { ...rendition, url: await this.signedUrl(rendition.key, windowStart) }] as const),
          ),
        );
        return { ...image, renditions };
      }),
    );
    // The URLs were signed at the window's start, so they expire up to one window earlier than a fresh signature would.
    return { ...page, images, expiresAt: new Date(windowStart + urlExpirySeconds * 1000).toISOString() };
  }

  async uploadTicket(request: UploadRequest, now: Date = new Date()): Promise<UploadTicket> {
    const { signer, uploadsBucket, urlExpirySeconds } = this.options;
    const key = uploadKey(request, now);
    const url = await signer.presignedUrl('PUT', uploadsBucket, key, urlExpirySeconds, {}, now);
    return {
      key,
      source: stripExtension(key),
      method: 'PUT',
      url,
      headers: { 'Content-Type': request.contentType },
      expiresAt: new Date(now.getTime() + urlExpirySeconds * 1000).toISOString(),
    };
  }
}

async function* listedObjects(listing: AsyncIterable<unknown>): AsyncGenerator<ListedObject> {
  for await (const item of listing as AsyncIterable<{ name?: string; size: number; lastModified?: Date }>) {
    if (item.name === undefined || item.lastModified === undefined) continue;
    yield { key: item.name, size: item.size, lastModified: item.lastModified };
  }
}
