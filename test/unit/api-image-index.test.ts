// The in-memory listing /images pages are cut from: prefix and cursor slicing, and when it lists MinIO again.
import { describe, expect, it } from 'vitest';
import { ImageIndex, searchKey, slice } from '../../apps/api/image-index';
import type { ListedObject } from '../../apps/api/image-page';

const at = new Date('2026-01-01T00:00:00Z');
const objects = (keys: string[]): ListedObject[] => keys.map((key) => ({ key, size: 1, lastModified: at }));
const keys = (items: Iterable<ListedObject>) => [...items].map((o) => o.key);

describe('slice', () => {
  const sorted = objects(['a/1', 'a/2', 'ab/1', 'b/1', 'b/2', 'c/1']);
  it('gives the keys under a prefix, contiguous in key order', () => {
    expect(keys(slice(sorted, 'a/', ''))).toEqual(['a/1', 'a/2']);
    expect(keys(slice(sorted, 'a', ''))).toEqual(['a/1', 'a/2', 'ab/1']);
    expect(keys(slice(sorted, 'zz', ''))).toEqual([]);
    expect(keys(slice(sorted, '', ''))).toEqual(sorted.map((o) => o.key));
  });
  it('starts after the cursor, within the prefix', () => {
    expect(keys(slice(sorted, '', 'ab/1'))).toEqual(['b/1', 'b/2', 'c/1']);
    expect(keys(slice(sorted, 'b/', 'b/1'))).toEqual(['b/2']);
    expect(keys(slice(sorted, 'b/', 'a'))).toEqual(['b/1', 'b/2']);
    expect(keys(slice(sorted, '', 'b/15'))).toEqual(['b/2', 'c/1']);
  });
  it('agrees with a linear filter on random keys', () => {
    const random = objects(Array.from({ length: 300 }, (_, i) => `${'abc'[i % 3]}${(i * 7919) % 97}/${i % 5}`)).sort((x, y) => (x.key < y.key ? -1 : 1));
    for (const [prefix, after] of [['a', ''], ['b1', 'b15'], ['', 'c5'], ['c9', 'c95/3']] as const) {
      expect(keys(slice(random, prefix, after))).toEqual(random.map((o) => o.key).filter((k) => k.startsWith(prefix) && k > after));
    }
    expect(searchKey(random, random[10]!.key, true)).toBe(10);
    expect(searchKey(random, random[10]!.key)).toBe(11);
  });
});

describe('ImageIndex', () => {
  it('waits for the first listing, then answers from memory and lists again in the background once it is old', async () => {
    let now = 0;
    let listings = 0;
    let bucket = ['b/1', 'a/1'];
    let release: () => void = () => undefined;
    let gate = Promise.resolve();
    const index = new ImageIndex({
      maxAgeMs: 1_000,
      now: () => now,
      list: async function* () {
        listings += 1;
        const snapshot = [...bucket];
        await gate;
        yield* objects(snapshot);
      },
    });
    expect(keys(await index.snapshot())).toEqual(['a/1', 'b/1']);
    bucket = ['a/1', 'b/1', 'c/1'];
    now = 1_000;
    expect(keys(await index.snapshot())).toEqual(['a/1', 'b/1']);
    expect(listings).toBe(1);

    // Old: the request is answered at once with the previous listing while one new listing runs for all callers.
    gate = new Promise((resolve) => (release = resolve));
    now = 1_001;
    expect(keys(await index.snapshot())).toEqual(['a/1', 'b/1']);
    expect(keys(await index.snapshot())).toEqual(['a/1', 'b/1']);
    expect(listings).toBe(2);
    release();
    await index.refresh();
    expect(keys(await index.snapshot())).toEqual(['a/1', 'b/1', 'c/1']);
    expect(index.ageMs()).toBe(0);
  });

  it('keeps serving the previous listing when a refresh fails, and reports the failure', async () => {
    let now = 0;
    let fail = false;
    const errors: unknown[] = [];
    const index = new ImageIndex({
      maxAgeMs: 10,
      now: () => now,
      onRefreshError: (e) => void errors.push(e),
      list: async function* () {
        if (fail) throw new Error('minio down');
        yield* objects(['a/1']);
      },
    });
    await index.snapshot();
    fail = true;
    now = 100;
    expect(keys(await index.snapshot())).toEqual(['a/1']);
    await new Promise((r) => setTimeout(r, 10));
    expect(errors).toHaveLength(1);
  });

  it('fails the first request when the first listing fails', async () => {
    const index = new ImageIndex({
      maxAgeMs: 10,
      list: async function* () {
        throw new Error('minio down');
      },
    });
    await expect(index.snapshot()).rejects.toThrow('minio down');
  });
});
