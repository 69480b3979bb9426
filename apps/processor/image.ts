// Reads an image's header and renders renditions with sharp; input sharp cannot handle becomes a permanent error.
import sharp from 'sharp';
import { PermanentError } from './errors';
import type { Rendition } from '../../contracts/renditions';
import { type Dimensions, orientedDimensions, renditionDimensions } from './rendition';

/** What the header says about a source image; width and height as displayed (EXIF orientation applied). */
export interface SourceImage extends Dimensions {
  format: string;
  orientation?: number;
}

export interface RenderedRendition extends Dimensions {
  body: Buffer;
}

const pixelLimitMessage = /pixel limit/i;

/** Reads the header only, so an oversized image is refused before anything is decoded. */
export async function inspectImage(data: Buffer, maxPixels: number): Promise<SourceImage> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(data, { limitInputPixels: maxPixels }).metadata();
  } catch (err) {
    const message = (err as Error).message;
    throw new PermanentError(pixelLimitMessage.test(message) ? 'too-many-pixels' : 'not-an-image', message);
  }
  if (meta.width === undefined || meta.height === undefined || meta.width === 0 || meta.height === 0) {
    throw new PermanentError('not-an-image', `no image dimensions in ${meta.format ?? 'unknown'} input`);
  }
  const pixels = meta.width * meta.height;
  if (pixels > maxPixels) {
    throw new PermanentError(
      'too-many-pixels',
      `${meta.width}×${meta.height} = ${pixels} pixels exceeds the limit of ${maxPixels}`,
    );
  }
  const oriented = orientedDimensions({ width: meta.width, height: meta.height }, meta.orientation);
  return { ...oriented, format: meta.format, orientation: meta.orientation };
}

/** The encoder options of a rendition as sharp takes them; unset fields keep the encoder's defaults. */
export function encoderOptions(rendition: Rendition): { quality?: number; effort?: number } {
  return {
    ...(rendition.quality === undefined ? {} : { quality: rendition.quality }),
    ...(rendition.effort === undefined ? {} : { effort: rendition.effort }),
  };
}

/**
 * Renders every rendition from one decode: the source is decoded once, at the largest rendition's size (JPEG and WebP
 * shrink while decoding) with the EXIF orientation applied, and each rendition is resized from those pixels and encoded.
 */
export async function renderRenditions(
  data: Buffer,
  source: SourceImage,
  renditions: readonly Rendition[],
  maxPixels: number,
): Promise<RenderedRendition[]> {
  const largest = renditionDimensions(source, Math.max(...renditions.map((r) => r.size)));
  let pixels: { data: Buffer; info: sharp.OutputInfo };
  try {
    // The dimensions are computed once in renditionDimensions; fit "fill" makes sharp use exactly those.
    pixels = await sharp(data, { limitInputPixels: maxPixels })
      .rotate()
      .resize(largest.width, largest.height, { fit: 'fill' })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    const message = (err as Error).message;
    throw new PermanentError(pixelLimitMessage.test(message) ? 'too-many-pixels' : 'corrupt-image', message);
  }
  const raw = { width: pixels.info.width, height: pixels.info.height, channels: pixels.info.channels };
  return Promise.all(
    renditions.map(async (rendition) => {
      const target = renditionDimensions(source, rendition.size);
      let pipeline = sharp(pixels.data, { raw });
      if (target.width !== raw.width || target.height !== raw.height) pipeline = pipeline.resize(target.width, target.height, { fit: 'fill' });
      try {
        const { data: body, info } = await pipeline.toFormat(rendition.format, encoderOptions(rendition)).toBuffer({ resolveWithObject: true });
        return { body, width: info.width, height: info.height };
      } catch (err) {
        throw new PermanentError('corrupt-image', (err as Error).message);
      }
    }),
  );
}
