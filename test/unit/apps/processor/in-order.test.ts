// Unit tests of in-order completion: offsets are released only as an unbroken prefix of finished messages.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InOrderCompletion } from '../../../../apps/processor/in-order';

describe('InOrderCompletion', () => {
  it('releases nothing while the first message still runs, then the whole finished prefix', () => {
    const c = new InOrderCompletion(4);
    expect(c.complete(2)).toEqual([]);
    expect(c.complete(1)).toEqual([]);
    expect(c.complete(0)).toEqual([0, 1, 2]);
    expect(c.prefix).toBe(3);
    expect(c.complete(3)).toEqual([3]);
  });

  it('keeps a gap: a message that never finishes (shutdown) holds back everything after it', () => {
    const c = new InOrderCompletion(5);
    for (const i of [0, 1, 3, 4]) c.complete(i);
    expect(c.prefix).toBe(2);
  });

  it('refuses an index outside the batch', () => {
    expect(() => new InOrderCompletion(2).complete(2)).toThrow(RangeError);
  });

  it('releases every index exactly once, in order, whatever the finishing order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }).chain((n) => fc.shuffledSubarray([...Array(n).keys()], { minLength: n })), (order) => {
        const c = new InOrderCompletion(order.length);
        const released = order.flatMap((i) => c.complete(i));
        expect(released).toEqual([...order.keys()]);
      }),
    );
  });
});
