// An in-memory, key-sorted copy of the processed bucket that /images pages are cut from: listed in full once at start,
// then kept fresh by the processor's announcements on `results`, with a full listing now and then as a repair (for a
// lost announcement or a deleted object). Requests never wait for MinIO, except before the very first listing.
import type { ListedObject } from './image-page';

export interface ImageIndexOptions {
  /** Lists the whole processed bucket. */
  list: () => AsyncIterable<ListedObject>;
}

/** What pages are cut from; `version` changes whenever `objects` does, so a page built from one version can be reused. */
export interface IndexSnapshot {
  objects: readonly ListedObject[];
  version: number;
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

/** Inserts `object` into the key-sorted `objects`, or replaces the one with its key. */
function upsert(objects: ListedObject[], object: ListedObject): void {
  const at = searchKey(objects, object.key, true);
  if (objects[at]?.key === object.key) objects[at] = object;
  else objects.splice(at, 0, object);
}

export class ImageIndex {
  private objects: ListedObject[] = [];
  private version = 0;
  private listedOnce = false;
  private listing: Promise<void> | undefined;
  /** Announced while a listing runs: the listing may predate them, so they are applied over its result. */
  private announcedDuringListing: ListedObject[] | undefined;

  constructor(private readonly options: ImageIndexOptions) {}

  /** The current objects; only a call before the first listing succeeded waits (for a listing). */
  async snapshot(): Promise<IndexSnapshot> {
    if (!this.listedOnce) await this.repair();
    return { objects: this.objects, version: this.version };
  }

  /** Adds or replaces objects the processor announced (a replay of an announcement only replaces with the same). */
  apply(objects: readonly ListedObject[]): void {
    for (const object of objects) upsert(this.objects, object);
    this.announcedDuringListing?.push(...objects);
    this.version += 1;
  }

  /** Objects held. */
  get size(): number {
    return this.objects.length;
  }

  /** Lists the bucket in full and replaces the index with it (plus what was announced meanwhile); callers share one listing. */
  repair(): Promise<void> {
    if (this.listing !== undefined) return this.listing;
    const announced: ListedObject[] = [];
    this.announcedDuringListing = announced;
    this.listing = (async () => {
      const objects: ListedObject[] = [];
      for await (const object of this.options.list()) objects.push(object);
      // S3 lists in key order (UTF-8 bytes); sort by the same order JavaScript compares in, which the search uses.
      objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      for (const object of announced) upsert(objects, object);
      this.objects = objects;
      this.version += 1;
      this.listedOnce = true;
    })().finally(() => {
      this.listing = undefined;
      this.announcedDuringListing = undefined;
    });
    return this.listing;
  }
}
