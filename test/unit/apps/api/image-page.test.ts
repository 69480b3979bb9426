import { describe, expect, it } from 'vitest';
import { collectImagePage, decodeCursor, imagePageQuerySchema, type ListedObject } from '../../../../apps/api/image-page';
import { formatSseComment, formatSseEvent } from '../../../../apps/api/sse';

function* listing(keys: string[]): Generator<ListedObject> {
  for (const [i, key] of keys.entries()) yield { key, size: 100 + i, lastModified: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) };
}

describe('image pages', () => {
  const keys = ['a/preview.webp', 'a/thumb.webp', 'b/preview.webp', 'b/thumb.webp', 'bb-stray', 'c/thumb.webp', 'd/thumb.webp'];

  it('group renditions by source and end before the group that does not fit', () => {
    const first = collectImagePage(listing(keys), 2);
    expect(first.images.map((g) => [g.source, Object.keys(g.renditions).sort()])).toEqual([
      ['a', ['preview', 'thumb']],
      ['b', ['preview', 'thumb']],
    ]);
    expect(first.images[0]?.lastModified).toBe('2026-01-01T00:00:01.000Z');
    expect(first.nextCursor).toBeDefined();
    // The key after which the next page starts: the listing resumes there (S3 StartAfter).
    const startAfter = decodeCursor(first.nextCursor ?? '');
    expect(startAfter).toBe('bb-stray');
    const second = collectImagePage(listing(keys.filter((k) => k > startAfter)), 2);
    expect(second.images.map((g) => g.source)).toEqual(['c', 'd']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('stop reading the listing once the page is full', () => {
    let read = 0;
    function* counting(): Generator<ListedObject> {
      for (const object of listing(Array.from({ length: 1000 }, (_, i) => `s${String(i).padStart(4, '0')}/thumb.webp`))) {
        read += 1;
        yield object;
      }
    }
    const page = collectImagePage(counting(), 5);
    expect(page.images).toHaveLength(5);
    expect(read).toBe(6);
  });

  it('queries are validated with clear messages', () => {
    expect(imagePageQuerySchema.parse({})).toEqual({ limit: 24 });
    expect(imagePageQuerySchema.parse({ limit: '10', prefix: '2026-01-01/abc-cat/' })).toEqual({ limit: 10, prefix: '2026-01-01/abc-cat/' });
    expect(imagePageQuerySchema.safeParse({ limit: '1000' }).error?.issues[0]?.message).toBe('limit must be at most 100');
    expect(imagePageQuerySchema.safeParse({ prefix: 'a/../b' }).success).toBe(false);
    expect(imagePageQuerySchema.safeParse({ cursor: 'not a cursor!' }).success).toBe(false);
  });
});

describe('server-sent events', () => {
  it('frame an event as one data line of JSON', () => {
    expect(formatSseEvent({ event: 'average', data: { sensor: 'A', note: 'two\nlines' } })).toBe(
      'event: average\ndata: {"sensor":"A","note":"two\\nlines"}\n\n',
    );
    expect(formatSseEvent({ id: '7\n', data: 1 })).toBe('id: 7 \ndata: 1\n\n');
    expect(formatSseComment('ping\r\n')).toBe(': ping  \n\n');
  });
});
