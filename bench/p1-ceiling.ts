// The ceiling of the image pipeline benchmark (P1): sharp alone on the generated images, without Kafka or MinIO.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { renditions, type Context } from './p1-context';
import type { CeilingReport } from './sharp-ceiling';
import { repoRoot, tsxArgs } from './subject-process';

const execFileAsync = promisify(execFile);

/** The ceiling: bench/sharp-ceiling.ts as its own process on the generated images, without Kafka or MinIO. */
export async function measureCeiling(ctx: Context, imagesDir: string, efforts: number[]): Promise<CeilingReport> {
  const { stdout } = await execFileAsync(process.execPath, tsxArgs('bench/sharp-ceiling.ts'), {
    cwd: repoRoot,
    env: {
      ...process.env,
      IMAGES_DIR: imagesDir,
      RENDITIONS: JSON.stringify(renditions),
      CONCURRENCY: String(ctx.options.concurrency),
      COUNT: String(ctx.options.throughputImages),
      EFFORTS: efforts.join(','),
    },
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as CeilingReport;
}
