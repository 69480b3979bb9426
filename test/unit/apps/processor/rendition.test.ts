// Unit tests of rendition math: dimensions for landscape, portrait, square, small and rotated images.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentTypeOf, orientedDimensions, renditionDimensions } from '../../../../apps/processor/rendition';

describe('renditionDimensions', () => {
  it('scales a landscape image so its width is the longest side', () => {
    expect(renditionDimensions({ width: 4000, height: 3000 }, 320)).toEqual({ width: 320, height: 240 });
  });
  it('scales a portrait image so its height is the longest side', () => {
    expect(renditionDimensions({ width: 1080, height: 1920 }, 1280)).toEqual({ width: 720, height: 1280 });
  });
  it('scales a square image to a square', () => {
    expect(renditionDimensions({ width: 999, height: 999 }, 100)).toEqual({ width: 100, height: 100 });
  });
  it('never enlarges a small image', () => {
    expect(renditionDimensions({ width: 200, height: 150 }, 320)).toEqual({ width: 200, height: 150 });
    expect(renditionDimensions({ width: 320, height: 10 }, 320)).toEqual({ width: 320, height: 10 });
  });
  it('keeps a very thin image at least one pixel wide', () => {
    expect(renditionDimensions({ width: 10_000, height: 3 }, 320)).toEqual({ width: 320, height: 1 });
  });
  it('keeps the longest side at the target and the aspect within rounding, for any size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 4096 }), (w, h, size) => {
        const out = renditionDimensions({ width: w, height: h }, size);
        expect(Math.max(out.width, out.height)).toBe(Math.min(size, Math.max(w, h)));
        expect(out.width).toBeLessThanOrEqual(w);
        expect(out.height).toBeLessThanOrEqual(h);
        expect(out.width).toBeGreaterThanOrEqual(1);
        expect(out.height).toBeGreaterThanOrEqual(1);
        // Rounding moves the short side by at most half a pixel (or up to 1 px when clamped).
        const scale = Math.max(out.width, out.height) / Math.max(w, h);
        expect(Math.abs(out.width - w * scale)).toBeLessThanOrEqual(1);
        expect(Math.abs(out.height - h * scale)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('orientedDimensions', () => {
  it('swaps width and height for EXIF orientations 5 to 8', () => {
    for (const o of [5, 6, 7, 8]) expect(orientedDimensions({ width: 600, height: 400 }, o)).toEqual({ width: 400, height: 600 });
  });
  it('keeps them for orientations 1 to 4 and when there is none', () => {
    for (const o of [1, 2, 3, 4, undefined]) expect(orientedDimensions({ width: 600, height: 400 }, o)).toEqual({ width: 600, height: 400 });
  });
});

describe('content types', () => {
  it('maps each format to its Content-Type', () => {
    expect(contentTypeOf('jpeg')).toBe('image/jpeg');
    expect(contentTypeOf('webp')).toBe('image/webp');
    expect(contentTypeOf('png')).toBe('image/png');
    expect(contentTypeOf('avif')).toBe('image/avif');
  });
});
