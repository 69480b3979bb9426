// Rendition math: the size of each rendition and the key it is stored under, computed without touching an image.
import { posix } from 'node:path';
import type { z } from 'zod';
import { appsSchema } from '../../config/schema';

/** The configured renditions (each a name, the longest side in pixels, a format), defaults as in the model. */
export const renditionsSchema = appsSchema.shape.processor.unwrap().shape.renditions;
export type Rendition = z.infer<typeof renditionsSchema>[number];
export type RenditionFormat = Rendition['format'];

export interface Dimensions {
  width: number;
  height: number;
}

/** Size of the image as displayed: EXIF orientations 5–8 rotate by 90°, so width and height swap. */
export function orientedDimensions(stored: Dimensions, orientation: number | undefined): Dimensions {
  return orientation !== undefined && orientation >= 5 && orientation <= 8
    ? { width: stored.height, height: stored.width }
    : { width: stored.width, height: stored.height };
}

/** Size of a rendition: the longest side becomes `longestSide`, aspect kept, never enlarged, at least 1 px. */
export function renditionDimensions(source: Dimensions, longestSide: number): Dimensions {
  const longest = Math.max(source.width, source.height);
  if (longest <= longestSide) return { width: source.width, height: source.height };
  const scale = longestSide / longest;
  return {
    width: source.width >= source.height ? longestSide : Math.max(1, Math.round(source.width * scale)),
    height: source.height > source.width ? longestSide : Math.max(1, Math.round(source.height * scale)),
  };
}

/** The source key without its extension: `photos/cat.jpg` → `photos/cat`; dots in folders are kept. */
export function stripExtension(key: string): string {
  const ext = posix.extname(key);
  return ext === '' ? key : key.slice(0, -ext.length);
}

const contentTypes: Record<RenditionFormat, string> = {
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  png: 'image/png',
  avif: 'image/avif',
};

/** Where a rendition is stored in the processed bucket; deterministic, so a replay overwrites. */
export const renditionKey = (sourceKey: string, rendition: Rendition): string =>
  `${stripExtension(sourceKey)}/${rendition.name}.${rendition.format}`;

/** Content-Type of a rendition format. */
export const contentTypeOf = (format: RenditionFormat): string => contentTypes[format];
