import { describe, expect, it } from 'vitest';
import { interleave, median, percentile, ratePerSecond, speedup } from '../../../bench/stats';

describe('percentile', () => {
  it('interpolates between the closest ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 25)).toBe(20);
    expect(percentile([0, 100], 99)).toBeCloseTo(99);
  });

  it('does not depend on the order of the samples', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([9, 1], 0)).toBe(1);
    expect(percentile([9, 1], 100)).toBe(9);
  });

  it('leaves the caller’s array alone', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses no samples and a percentile outside 0..100', () => {
    expect(() => percentile([], 50)).toThrow(/no values/);
    expect(() => percentile([1], 101)).toThrow(/0..100/);
    expect(() => percentile([1], Number.NaN)).toThrow(/0..100/);
  });

  it('p99 of 1..100 lies between the two largest samples', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(samples, 99)).toBeCloseTo(99.01);
  });
});

describe('median', () => {
  it('is the middle sample, or the mean of the middle two', () => {
    expect(median([7])).toBe(7);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('speedup', () => {
  it('divides subject by baseline when higher is better', () => {
    expect(speedup(50, 10, 'higher')).toBe(5);
    expect(speedup(5, 10, 'higher')).toBe(0.5);
  });

  it('divides baseline by subject when lower is better', () => {
    expect(speedup(100, 400, 'lower')).toBe(4);
    expect(speedup(800, 400, 'lower')).toBe(0.5);
  });

  it('refuses a zero baseline', () => {
    expect(() => speedup(1, 0, 'higher')).toThrow(/compare/);
    expect(() => speedup(0, 1, 'lower')).toThrow(/compare/);
  });
});

describe('ratePerSecond', () => {
  it('turns a count over milliseconds into a rate', () => {
    expect(ratePerSecond(200_000, 4_000)).toBe(50_000);
    expect(() => ratePerSecond(1, 0)).toThrow(/positive duration/);
  });
});

describe('interleave', () => {
  it('alternates the subjects round by round', () => {
    expect(interleave(['wolke', 'python'], 2)).toEqual([
      ['wolke', 0],
      ['python', 0],
      ['wolke', 1],
      ['python', 1],
    ]);
    expect(interleave(['a'], 0)).toEqual([]);
  });
});
