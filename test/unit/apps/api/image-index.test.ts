// The in-memory index /images pages are cut from: prefix and cursor slicing, announcements, and its repair listing.
import { describe, expect, it } from 'vitest';
import { ImageIndex, searchKey, slice } from '../../../../apps/api/image-index';
import type { ListedObject } from '../../../../apps/api/image-page';

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
  /** A bucket the index lists; `gate` holds a listing between reading the bucket and yielding it. */
  function bucketIndex(initial: string[]) {
    const state = { keys: [...initial], listings: 0, gate: Promise.resolve(), fail: false };
    const index = new ImageIndex({
      list: async function* () {
        state.listings += 1;
        if (state.fail) throw new Error('minio down');
        const snapshot = [...state.keys];
        await state.gate;
        yield* objects(snapshot);
      },
    });
    return { state, index };
  }

  it('lists once, then answers from memory without listing again', async () => {
    const { state, index } = bucketIndex(['b/1', 'a/1']);
    expect(keys((await index.snapshot()).objects)).toEqual(['a/1', 'b/1']);
    state.keys.push('c/1');
    expect(keys((await index.snapshot()).objects)).toEqual(['a/1', 'b/1']);
    expect(state.listings).toBe(1);
  });

  it('adds an announced rendition in key order at once, replaces one announced again, and changes its version', async () => {
    const { state, index } = bucketIndex(['a/1', 'c/1']);
    const before = await index.snapshot();
    index.apply([{ key: 'b/1', size: 7, lastModified: at }]);
    const after = await index.snapshot();
    expect(keys(after.objects)).toEqual(['a/1', 'b/1', 'c/1']);
    expect(after.version).not.toBe(before.version);
    index.apply([{ key: 'b/1', size: 9, lastModified: at }]);
    expect((await index.snapshot()).objects.map((o) => o.size)).toEqual([1, 9, 1]);
    expect(state.listings).toBe(1);
  });

  it('keeps what was announced during a repair, which the repair\'s listing may predate', async () => {
    const { state, index } = bucketIndex(['a/1']);
    await index.snapshot();
    let release: () => void = () => undefined;
    state.gate = new Promise((resolve) => (release = resolve));
    const repairing = index.repair();
    // Written after the listing read the bucket, announced before the listing is done.
    state.keys.push('b/1');
    index.apply([{ key: 'b/1', size: 1, lastModified: at }]);
    release();
    await repairing;
    expect(keys((await index.snapshot()).objects)).toEqual(['a/1', 'b/1']);
  });

  it('repairs: a deleted rendition goes, one whose announcement was lost appears', async () => {
    const { state, index } = bucketIndex(['a/1', 'b/1']);
    await index.snapshot();
    state.keys = ['b/1', 'c/1'];
    expect(keys((await index.snapshot()).objects)).toEqual(['a/1', 'b/1']);
    await index.repair();
    expect(keys((await index.snapshot()).objects)).toEqual(['b/1', 'c/1']);
  });

  it('shares one listing between concurrent repairs and keeps the previous objects when one fails', async () => {
    const { state, index } = bucketIndex(['a/1']);
    await Promise.all([index.snapshot(), index.snapshot(), index.repair()]);
    expect(state.listings).toBe(1);
    state.fail = true;
    await expect(index.repair()).rejects.toThrow('minio down');
    expect(keys((await index.snapshot()).objects)).toEqual(['a/1']);
  });

  it('fails a request while the first listing fails, and lists again for the next', async () => {
    const { state, index } = bucketIndex(['a/1']);
    state.fail = true;
    await expect(index.snapshot()).rejects.toThrow('minio down');
    state.fail = false;
    expect(keys((await index.snapshot()).objects)).toEqual(['a/1']);
  });
});
