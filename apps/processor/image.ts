// Reads an image's header and renders renditions with sharp; input sharp cannot handle becomes a permanent error.
import sharp from 'sharp';
import { PermanentError } from './errors';
import { type Dimensions, type Rendition, orientedDimensions, renditionDimensions } from './rendition';

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

/** Decodes, applies the EXIF orientation, resizes to the rendition's size and encodes in its format. */
export async function renderRendition(
  data: Buffer,
  source: SourceImage,
  rendition: Rendition,
  maxPixels: number,
): Promise<RenderedRendition> {
  const target = renditionDimensions(source, rendition.size);
  try {
    // The dimensions are computed once in renditionDimensions; fit "fill" makes sharp use exactly those.
    const { data: body, info } = await sharp(data, { limitInputPixels: maxPixels })
      .rotate()
      .resize(target.width, target.height, { fit: 'fill' })
      .toFormat(rendition.format)
      .toBuffer({ resolveWithObject: true });
    return { body, width: info.width, height: info.height };
  } catch (err) {
    const message = (err as Error).message;
    throw new PermanentError(pixelLimitMessage.test(message) ? 'too-many-pixels' : 'corrupt-image', message);
  }
}
