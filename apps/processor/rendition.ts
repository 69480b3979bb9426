// Rendition math: the size of each rendition and its Content-Type, computed without touching an image.
import type { RenditionFormat } from '../../contracts/renditions';

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

const contentTypes: Record<RenditionFormat, string> = {
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  png: 'image/png',
  avif: 'image/avif',
};

/** Content-Type of a rendition format. */
export const contentTypeOf = (format: RenditionFormat): string => contentTypes[format];
