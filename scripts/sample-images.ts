// Generates the pipeline's sample uploads with sharp (gradients and rings, nothing downloaded).
import sharp from 'sharp';

/** One sample to upload. */
export interface SampleImage {
  key: string;
  body: Buffer;
  contentType: string;
}

/** RGB pixels of a diagonal gradient from `from` to `to` with concentric rings, so resizing shows detail. */
export function samplePixels(width: number, height: number, from: [number, number, number], to: [number, number, number]): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  const cx = width / 2;
  const cy = height / 2;
  const ringWidth = Math.max(8, Math.round(Math.min(width, height) / 24));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x / width + y / height) / 2;
      const ring = Math.floor(Math.hypot(x - cx, y - cy) / ringWidth) % 2 === 0 ? 1 : 0.8;
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) pixels[i + c] = Math.round((from[c]! + (to[c]! - from[c]!) * t) * ring);
    }
  }
  return pixels;
}

/** Three samples of different sizes and formats under `prefix`. */
export async function sampleImages(prefix = 'samples'): Promise<SampleImage[]> {
  const raw = (width: number, height: number, from: [number, number, number], to: [number, number, number]) =>
    sharp(samplePixels(width, height, from, to), { raw: { width, height, channels: 3 } });
  return [
    {
      key: `${prefix}/sunset.jpg`,
      body: await raw(1600, 1200, [255, 120, 40], [60, 20, 120]).jpeg({ quality: 85 }).toBuffer(),
      contentType: 'image/jpeg',
    },
    {
      key: `${prefix}/sea.png`,
      body: await raw(900, 900, [10, 60, 160], [120, 220, 230]).png().toBuffer(),
      contentType: 'image/png',
    },
    {
      key: `${prefix}/forest-panorama.jpg`,
      body: await raw(2400, 800, [20, 90, 30], [200, 220, 120]).jpeg({ quality: 80 }).toBuffer(),
      contentType: 'image/jpeg',
    },
  ];
}
