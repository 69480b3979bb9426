// An in-memory, key-sorted copy of the processed bucket's listing that /images pages are cut from, refreshed in the
// background when older than its maximum age (stale-while-revalidate), so a request never waits for MinIO but the first.
import type { ListedObject } from './image-page';

export interface ImageIndexOptions {
  /** Lists the whole processed bucket in key order. */
  list: () => AsyncIterable<ListedObject>;
  /** A listing older than this is refreshed in the background on the next request. */
  maxAgeMs: number;
  /** Called when a background refresh fails; requests keep the previous listing meanwhile. */
  onRefreshError?: (error: unknown) => void;
  now?: () => number;
}

/** Index of the first object whose key is greater than `key` (`orEqual`: not less than it); binary search. */
export function searchKey(objects: readonly ListedObject[], key: string, orEqual = false): number {
  let low = 0;
  let high = objects.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const k = objects[mid]!.key;
    if (k < key || (!orEqual && k === key)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The objects under `prefix` after `startAfter`, in key order, lazily (keys with a prefix are contiguous). */
export function* slice(objects: readonly ListedObject[], prefix: string, startAfter: string): Generator<ListedObject> {
  const from = Math.max(searchKey(objects, prefix, true), searchKey(objects, startAfter));
  for (let i = from; i < objects.length && objects[i]!.key.startsWith(prefix); i++) yield objects[i]!;
}

export class ImageIndex {
  private objects: ListedObject[] = [];
  private loadedAt: number | undefined;
  private loading: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: ImageIndexOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The current listing: the first call waits for it; later ones get it at once and refresh it when it is old. */
  async snapshot(): Promise<readonly ListedObject[]> {
    if (this.loadedAt === undefined) {
      await this.refresh();
      return this.objects;
    }
    if (this.now() - this.loadedAt > this.options.maxAgeMs) {
      this.refresh().catch((error: unknown) => this.options.onRefreshError?.(error));
    }
    return this.objects;
  }

  /** Age of the listing in milliseconds (Infinity before the first). */
  ageMs(): number {
    return this.loadedAt === undefined ? Number.POSITIVE_INFINITY : this.now() - this.loadedAt;
  }

  /** Lists the bucket again; concurrent callers share one listing. */
  refresh(): Promise<void> {
    if (this.loading !== undefined) return this.loading;
    const startedAt = this.now();
    this.loading = (async () => {
      const objects: ListedObject[] = [];
      for await (const object of this.options.list()) objects.push(object);
      // S3 lists in key order (UTF-8 bytes); sort by the same order JavaScript compares in, which the search uses.
      objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      this.objects = objects;
      // The listing shows the bucket as it was when it started, so its age counts from then.
      this.loadedAt = startedAt;
    })().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }
}
