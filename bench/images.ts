// Generates the benchmark's photo-like JPEG uploads with sharp (smooth noise, like a photo's texture), never downloaded.
import sharp from 'sharp';

export interface GeneratedImage {
  /** Suggested file name, e.g. `photo-03.jpg`. */
  name: string;
  body: Buffer;
  width: number;
  height: number;
}

/** `count` distinct JPEGs of `width`×`height`: coloured noise upscaled so it compresses like a photograph. */
export async function generateImages(count: number, width: number, height: number): Promise<GeneratedImage[]> {
  const images: GeneratedImage[] = [];
  for (let i = 0; i < count; i++) {
    const noise = await sharp({
      create: {
        width: Math.ceil(width / 8),
        height: Math.ceil(height / 8),
        channels: 3,
        background: { r: 128, g: 128, b: 128 },
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .png()
      .toBuffer();
    const body = await sharp(noise)
      .resize(width, height, { kernel: 'cubic' })
      .modulate({ hue: (i * 47) % 360 })
      .jpeg({ quality: 85 })
      .toBuffer();
    images.push({ name: `photo-${String(i).padStart(2, '0')}.jpg`, body, width, height });
  }
  return images;
}

if (require.main === module) {
  // By hand: writes a few samples to look at.
  const dir = process.argv[2] ?? '.';
  void generateImages(3, 1600, 1200).then(async (images) => {
    const { writeFileSync } = await import('node:fs');
    for (const image of images) writeFileSync(`${dir}/${image.name}`, image.body);
    console.log(images.map((i) => `${dir}/${i.name} ${i.body.length} bytes`).join('\n'));
  });
}
