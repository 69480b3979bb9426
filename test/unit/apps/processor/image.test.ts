// Unit tests of the sharp step on images generated in memory: orientation, exact sizes, formats and refusals.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../../../apps/processor/errors';
import { encoderOptions, inspectImage, renderRenditions } from '../../../../apps/processor/image';
import type { Rendition } from '../../../../contracts/renditions';

/** One rendition through the decode-once path. */
const renderRendition = async (data: Buffer, source: Awaited<ReturnType<typeof inspectImage>>, rendition: Rendition, limit: number) =>
  (await renderRenditions(data, source, [rendition], limit))[0]!;

const maxPixels = 40_000_000;

const generate = (width: number, height: number, format: 'jpeg' | 'png' | 'webp', orientation?: number) => {
  const image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } }).toFormat(format);
  return (orientation === undefined ? image : image.withMetadata({ orientation })).toBuffer();
};

const reasonOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (err) {
    if (err instanceof PermanentError) return err.reason;
    throw err;
  }
  throw new Error('expected a PermanentError');
};

describe('inspectImage', () => {
  it('reads format and size from the header', async () => {
    expect(await inspectImage(await generate(640, 480, 'png'), maxPixels)).toMatchObject({ width: 640, height: 480, format: 'png' });
  });
  it('reports the displayed size of an image with EXIF orientation 6', async () => {
    expect(await inspectImage(await generate(600, 400, 'jpeg', 6), maxPixels)).toEqual({
      width: 400,
      height: 600,
      format: 'jpeg',
      orientation: 6,
    });
  });
  it('refuses an image over the pixel limit from its header', async () => {
    expect(await reasonOf(inspectImage(await generate(1000, 1000, 'png'), 999_999))).toBe('too-many-pixels');
  });
  it('refuses text and empty input as not an image', async () => {
    expect(await reasonOf(inspectImage(Buffer.from('hello, not an image'), maxPixels))).toBe('not-an-image');
    expect(await reasonOf(inspectImage(Buffer.alloc(0), maxPixels))).toBe('not-an-image');
  });
});

describe('renderRenditions', () => {
  it.each([
    ['jpeg', 3000, 2000, { width: 320, height: 213 }],
    ['png', 900, 1600, { width: 180, height: 320 }],
    ['webp', 200, 100, { width: 200, height: 100 }],
  ] as const)('renders a %s source of %i×%i to the computed size', async (format, width, height, expected) => {
    const data = await generate(width, height, format);
    const source = await inspectImage(data, maxPixels);
    const out = await renderRendition(data, source, { name: 'thumb', size: 320, format: 'webp' }, maxPixels);
    expect({ width: out.width, height: out.height }).toEqual(expected);
    expect(await sharp(out.body).metadata()).toMatchObject({ format: 'webp', ...expected });
  });

  it('applies EXIF orientation 6 before resizing, and strips it', async () => {
    const data = await generate(800, 400, 'jpeg', 6);
    const out = await renderRendition(data, await inspectImage(data, maxPixels), { name: 'p', size: 200, format: 'png' }, maxPixels);
    const meta = await sharp(out.body).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 100, height: 200 });
    expect(meta.orientation).toBeUndefined();
  });

  it('encodes avif and jpeg', async () => {
    const data = await generate(64, 48, 'png');
    const source = await inspectImage(data, maxPixels);
    for (const format of ['avif', 'jpeg'] as const) {
      const out = await renderRendition(data, source, { name: 'x', size: 32, format }, maxPixels);
      expect((await sharp(out.body).metadata()).format).toBe(format === 'avif' ? 'heif' : 'jpeg');
    }
  });

  it('reports a truncated PNG, whose header still reads fine, as corrupt', async () => {
    const whole = await generate(400, 300, 'png');
    const truncated = whole.subarray(0, Math.floor(whole.length / 2));
    const source = await inspectImage(truncated, maxPixels);
    expect(await reasonOf(renderRendition(truncated, source, { name: 't', size: 100, format: 'webp' }, maxPixels))).toBe('corrupt-image');
  });

  it('renders every rendition from one decode, each at its own size and format', async () => {
    const data = await generate(3000, 2000, 'jpeg');
    const renditions: Rendition[] = [
      { name: 'thumb', size: 320, format: 'webp' },
      { name: 'preview', size: 1280, format: 'jpeg', quality: 70 },
      { name: 'tiny', size: 64, format: 'png' },
    ];
    const out = await renderRenditions(data, await inspectImage(data, maxPixels), renditions, maxPixels);
    const metas = await Promise.all(out.map((o) => sharp(o.body).metadata()));
    expect(metas.map((m) => [m.format, m.width, m.height])).toEqual([
      ['webp', 320, 213],
      ['jpeg', 1280, 853],
      ['png', 64, 43],
    ]);
  });

  it('encodes with the rendition\'s quality and effort', async () => {
    // Noise, so that quality and effort change the size of what the encoder writes.
    const data = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#888', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
      .png()
      .toBuffer();
    const source = await inspectImage(data, maxPixels);
    const size = async (r: Partial<Rendition>) => (await renderRendition(data, source, { name: 'x', size: 400, format: 'webp', ...r }, maxPixels)).body.length;
    expect(await size({ quality: 30 })).toBeLessThan(await size({ quality: 90 }));
    expect(await size({ quality: 80, effort: 6 })).not.toBe(await size({ quality: 80, effort: 0 }));
    expect(encoderOptions({ name: 'x', size: 1, format: 'webp', quality: 75, effort: 2 })).toEqual({ quality: 75, effort: 2 });
    expect(encoderOptions({ name: 'x', size: 1, format: 'png' })).toEqual({});
  });
});
