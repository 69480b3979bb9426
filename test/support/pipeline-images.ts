// Generates the pipeline tests' inputs: small distinct images from a seed, and poison files that must end in the DLQ.
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** A deterministic byte stream (32-bit LCG) so the same seed always gives the same images. */
function seededBytes(seed: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

/** Raw RGB pixels: a colour gradient with some noise, so each seed gives a different image of a few KB. */
function pixels(seed: number, width: number, height: number): Buffer {
  const noise = seededBytes(seed, width * height * 3);
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = ((x * 255) / width + (noise[i]! >> 3) + seed) & 255;
      raw[i + 1] = ((y * 255) / height + (noise[i + 1]! >> 3)) & 255;
      raw[i + 2] = (seed * 37 + (noise[i + 2]! >> 2)) & 255;
    }
  }
  return raw;
}

/** A small JPEG (or PNG) that differs per seed. */
export async function smallImage(seed: number, format: 'jpeg' | 'png' = 'jpeg', width = 48, height = 32): Promise<Buffer> {
  const image = sharp(pixels(seed, width, height), { raw: { width, height, channels: 3 } });
  return format === 'jpeg' ? image.jpeg({ quality: 80 }).toBuffer() : image.png().toBuffer();
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * A decompression bomb: a PNG of a few hundred bytes whose header declares `width`×`height` 8-bit grey pixels.
 * Its image data holds only the first rows; a decoder that trusted the header would allocate it all.
 */
export function pngBomb(width = 20_000, height = 20_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * 4); // filter byte + pixels, all zero
  return Buffer.concat([
    pngSignature,
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The first half of a valid PNG: the header reads fine, the pixel data ends early. */
export async function truncatedPng(seed: number): Promise<Buffer> {
  const png = await smallImage(seed, 'png', 64, 48);
  return png.subarray(0, Math.floor(png.length / 2));
}

/** A JPEG whose headers are intact but whose entropy-coded data (after the SOS marker) is overwritten. */
export async function corruptJpeg(seed: number): Promise<Buffer> {
  const jpeg = Buffer.from(await smallImage(seed, 'jpeg', 64, 48));
  const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
  if (sos < 0) throw new Error('generated JPEG has no SOS marker');
  // Keep the scan header and the end-of-image marker; fill the coded data with 0xFF bytes.
  jpeg.fill(0xff, sos + 20, jpeg.length - 2);
  return jpeg;
}
