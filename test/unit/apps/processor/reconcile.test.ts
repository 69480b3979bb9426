// Unit tests of the reconciler's plan: which uploads lost their notification, and the event it republishes.
import { describe, expect, it } from 'vitest';
import { decodeObjectKey, parseNotification } from '../../../../apps/processor/event';
import {
  type ListedUpload,
  deadLetterMarkerKey,
  encodeObjectKey,
  planReconcile,
  pruneRepublished,
  republishedEvent,
} from '../../../../apps/processor/reconcile';
import { sourceEtagOf } from '../../../../apps/processor/reconciler';
import { renditionKey } from '../../../../contracts/rendition-key';

const renditions = [
  { name: 'thumb', size: 64, format: 'webp' },
  { name: 'preview', size: 256, format: 'jpeg' },
] as const;
const now = new Date('2026-12-02T12:00:00Z');
const graceMs = 60_000;
const upload = (key: string, etag: string, ageMs: number): ListedUpload => ({ key, etag, size: 10, lastModified: new Date(now.getTime() - ageMs) });
const rendered = (u: ListedUpload, etag = u.etag): [string, string][] => renditions.map((r) => [renditionKey(u.key, r), etag]);

const plan = (uploads: ListedUpload[], processed: [string, string | undefined][], extra: Partial<Parameters<typeof planReconcile>[0]> = {}) =>
  planReconcile({ uploads, processed: new Map(processed), renditions, now, graceMs, republished: new Map(), maxPerPass: 100, ...extra });

describe('planReconcile', () => {
  const done = upload('a/done.jpg', 'e1', 120_000);
  const lost = upload('a/lost.jpg', 'e2', 120_000);
  const young = upload('a/young.jpg', 'e3', 10_000);
  const stale = upload('a/stale.jpg', 'new', 120_000);
  const half = upload('a/half.jpg', 'e5', 120_000);
  const dead = upload('a/dead.jpg', 'e6', 120_000);

  it('republishes only uploads past the grace with neither renditions of their ETag nor a dead letter', () => {
    const result = plan(
      [done, lost, young, stale, half, dead],
      [
        ...rendered(done),
        ...rendered(stale, 'old'),
        [renditionKey(half.key, renditions[0]), half.etag],
        [deadLetterMarkerKey(dead.key), dead.etag],
      ],
    );
    expect(result.republish.map((u) => u.key)).toEqual(['a/half.jpg', 'a/lost.jpg', 'a/stale.jpg']);
    expect(result).toMatchObject({ unsettled: 3, settled: 2, young: 1 });
  });

  it('treats a dead letter of an older ETag as no outcome: the object was replaced since', () => {
    expect(plan([dead], [[deadLetterMarkerKey(dead.key), 'older']]).republish).toEqual([dead]);
  });

  it('treats renditions without a source ETag as not made from this upload', () => {
    expect(plan([done], rendered(done).map(([k]) => [k, undefined])).republish).toEqual([done]);
  });

  it('republishes the oldest first and no more than the bound per pass', () => {
    const many = Array.from({ length: 10 }, (_, i) => upload(`k${i}`, `e${i}`, 100_000 + i * 1_000));
    const result = plan(many, [], { maxPerPass: 3 });
    expect(result.republish.map((u) => u.key)).toEqual(['k9', 'k8', 'k7']);
    expect(result.unsettled).toBe(10);
  });

  it('does not republish the same ETag again within a grace period, but does a replaced object', () => {
    const recently = new Map([
      [lost.key, { etag: lost.etag, at: now.getTime() - 1_000 }],
      [stale.key, { etag: 'previous', at: now.getTime() - 1_000 }],
    ]);
    expect(plan([lost, stale], [], { republished: recently }).republish).toEqual([stale]);
    const longAgo = new Map([[lost.key, { etag: lost.etag, at: now.getTime() - graceMs - 1 }]]);
    expect(plan([lost], [], { republished: longAgo }).republish).toEqual([lost]);
  });

  it('gives the same plan for the same listing (idempotent)', () => {
    const input = [lost, done, stale];
    expect(plan(input, rendered(done))).toEqual(plan([...input].reverse(), rendered(done)));
  });
});

describe('pruneRepublished', () => {
  it('forgets entries at or before the cutoff', () => {
    const map = new Map([
      ['old', { etag: 'a', at: 1 }],
      ['new', { etag: 'b', at: 10 }],
    ]);
    pruneRepublished(map, 5);
    expect([...map.keys()]).toEqual(['new']);
  });
});

describe('republishedEvent', () => {
  it('is a notification the processor parses back to the same bucket, key, ETag and size', () => {
    const u = { key: "photos/a b+c (1)'!*~ü.jpg", etag: 'abc', size: 123, lastModified: now };
    const event = republishedEvent('uploads', u, now);
    expect(event.key).toBe(`uploads/${u.key}`);
    const parsed = parseNotification(event.value);
    expect(parsed).toEqual({
      ok: true,
      ignored: 0,
      created: [{ bucket: 'uploads', key: u.key, eventName: 's3:ObjectCreated:Put', eTag: 'abc', size: 123 }],
    });
  });
  it('escapes keys like Go url.QueryEscape', () => {
    expect(encodeObjectKey('a b+c/d')).toBe('a+b%2Bc%2Fd');
    expect(decodeObjectKey(encodeObjectKey("x (y)!'*"))).toBe("x (y)!'*");
  });
});

describe('deadLetterMarkerKey', () => {
  it('is short whatever the key, and not a rendition key the API would list', () => {
    const marker = deadLetterMarkerKey('k'.repeat(1024));
    expect(marker).toMatch(/^dead-letters\/[0-9a-f]{64}$/);
    expect(deadLetterMarkerKey('a')).not.toBe(deadLetterMarkerKey('b'));
  });
});

describe('sourceEtagOf', () => {
  it('finds the source ETag whichever way the listing names it', () => {
    expect(sourceEtagOf({ 'X-Amz-Meta-Source-Etag': 'e1', 'content-type': 'image/webp' })).toBe('e1');
    expect(sourceEtagOf({ 'source-etag': 'e2' })).toBe('e2');
    expect(sourceEtagOf({ 'content-type': 'image/webp' })).toBeUndefined();
    expect(sourceEtagOf(null)).toBeUndefined();
  });
});
