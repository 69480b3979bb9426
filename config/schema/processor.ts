// The image pipeline's slice of the model: the processor and the renditions it writes of every upload.
import { z } from 'zod';
import { replicas, wholeNumber } from '../limits';
import { dnsLabel } from '../names';
import { list, whenValid } from './fields';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, defaultRenditions, renditionFormats, type RenditionFormat } from '../../contracts/renditions';

/** Largest side each encoder writes: WebP stops at 16383 pixels, AVIF (HEIF) at 16384, JPEG and PNG at 65535. */
const largestSide = { webp: 16_383, avif: 16_384, jpeg: 65_535, png: 65_535 } as const;

/**
 * Effort each encoder takes (sharp's `effort`): libwebp's method 0–6, libheif's speed 0–9. JPEG has none, and sharp's
 * PNG effort turns on palette quantisation, which would make the lossless format lossy.
 */
const effortRange: Record<RenditionFormat, readonly [number, number] | undefined> = { webp: [0, 6], avif: [0, 9], png: undefined, jpeg: undefined };

export const renditionSchema = z
  .strictObject({
    name: dnsLabel(63),
    /** Longest side in pixels; aspect ratio is kept. */
    size: wholeNumber(1, 65_535),
    format: z.enum(renditionFormats),
    /** Encoder quality 1–100 (jpeg, webp, avif); unset: the encoder's default. PNG is lossless and takes none. */
    quality: wholeNumber(1, 100).optional(),
    /** CPU the encoder spends for smaller files (webp 0–6, avif 0–9); unset: the encoder's default. */
    effort: wholeNumber(0, 9).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.size > largestSide[r.format]) {
      ctx.addIssue({
        code: 'custom',
        path: ['size'],
        message: `must be at most ${largestSide[r.format]} for ${r.format}, the largest side that encoder writes (got ${r.size})`,
      });
    }
    if (r.quality !== undefined && r.format === 'png') {
      ctx.addIssue({ code: 'custom', path: ['quality'], message: 'must not be set for png: PNG is lossless; quality applies to jpeg, webp and avif' });
    }
    if (r.effort !== undefined) {
      const range = effortRange[r.format];
      if (range === undefined) {
        ctx.addIssue({ code: 'custom', path: ['effort'], message: `must not be set for ${r.format}: its encoder has no effort setting; effort applies to webp and avif` });
      } else if (r.effort < range[0] || r.effort > range[1]) {
        ctx.addIssue({ code: 'custom', path: ['effort'], message: `must be between ${range[0]} and ${range[1]} for ${r.format} (got ${r.effort})` });
      }
    }
  }, whenValid);

const renditions = list(renditionSchema, {
  min: { value: 1, error: 'must name at least one rendition' },
  max: { value: 8, error: 'must name at most 8 renditions: each is encoded for every upload' },
}).superRefine((items, ctx) => {
  items.forEach((r, i) => {
    const first = items.findIndex((o) => o.name === r.name);
    if (first !== i) {
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `repeats "${r.name}" (rendition ${first}): the api shows renditions by name, so one would hide the other` });
    }
  });
}, whenValid);

/** The image processor: its replicas, the renditions it writes and the largest upload it takes. */
export const processorSchema = z.strictObject({
  replicas: replicas().default(2),
  renditions: renditions.default(defaultRenditions),
  /** Largest image accepted, in pixels (guards against decompression bombs); decoded at 4 bytes a pixel. */
  maxPixels: wholeNumber(1, { value: 100_000_000, why: 'the processor decodes two images at once at 4 bytes a pixel within its 1 GiB memory limit' }).default(
    DEFAULT_MAX_PIXELS,
  ),
  /** Largest object accepted, in bytes; the processor holds two at once in memory. */
  maxBytes: wholeNumber(1, { value: 256 * 1024 * 1024, why: 'the processor holds two objects at once within its 1 GiB memory limit' }).default(
    DEFAULT_MAX_BYTES,
  ),
});
