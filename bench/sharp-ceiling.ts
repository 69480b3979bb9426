// P1's ceiling, run as its own process on the same cores: the processor's own sharp step (decode once, resize, encode)
// on images from a folder, without Kafka or MinIO. Prints one JSON line: images/s at CONCURRENCY, one image's service
// time alone, and time and bytes per image at each encoder effort of the renditions' formats.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { z } from 'zod';
import { jsonOf, positiveInt, readConfig } from '../apps/lib/config';
import { inspectImage, renderRenditions } from '../apps/processor/image';
import { renditionsSchema, type Rendition } from '../contracts/renditions';
import { median } from './stats';

const env = readConfig(
  z.object({
    IMAGES_DIR: z.string().min(1),
    RENDITIONS: jsonOf(renditionsSchema),
    /** Images rendered at once, as the processor's CONCURRENCY. */
    CONCURRENCY: positiveInt,
    /** Images rendered for the rate. */
    COUNT: positiveInt,
    /** Efforts to compare, e.g. "0,2,4,6"; empty: none. */
    EFFORTS: z.string().default(''),
  }),
);
const maxPixels = 100_000_000;

export interface CeilingReport {
  imagesPerSecond: number;
  serviceMs: number;
  efforts: { effort: number; msPerImage: number; bytesPerImage: number }[];
}

async function render(data: Buffer, renditions: readonly Rendition[]): Promise<number> {
  const rendered = await renderRenditions(data, await inspectImage(data, maxPixels), renditions, maxPixels);
  return rendered.reduce((sum, r) => sum + r.body.length, 0);
}

async function main(): Promise<void> {
  const images = readdirSync(env.IMAGES_DIR)
    .sort()
    .map((name) => readFileSync(join(env.IMAGES_DIR, name)));
  // Warm-up: sharp loads its codecs on first use.
  for (const image of images) await render(image, env.RENDITIONS);

  // One image alone, one after another: the service time an upload costs when nothing else runs.
  const alone: number[] = [];
  for (const image of images) {
    const started = performance.now();
    await render(image, env.RENDITIONS);
    alone.push(performance.now() - started);
  }

  const limit = pLimit(env.CONCURRENCY);
  const started = performance.now();
  await Promise.all(Array.from({ length: env.COUNT }, (_, i) => limit(() => render(images[i % images.length]!, env.RENDITIONS))));
  const imagesPerSecond = (env.COUNT * 1000) / (performance.now() - started);

  const efforts: CeilingReport['efforts'] = [];
  for (const effort of env.EFFORTS.split(',').filter((e) => e !== '').map(Number)) {
    const renditions = env.RENDITIONS.map((r) => (r.format === 'webp' || r.format === 'avif' ? { ...r, effort } : r));
    const times: number[] = [];
    let bytes = 0;
    for (const image of images) {
      const at = performance.now();
      bytes += await render(image, renditions);
      times.push(performance.now() - at);
    }
    efforts.push({ effort, msPerImage: median(times), bytesPerImage: bytes / images.length });
  }
  const report: CeilingReport = { imagesPerSecond, serviceMs: median(alone), efforts };
  console.log(JSON.stringify(report));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
