// `npm run pipeline`, bounded: it brings up its own test bed and the processor, renditions of the samples appear,
// and SIGINT (Ctrl-C) stops everything with exit code 0.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createMinio } from '../../apps/lib/minio';
import { signalGroup } from '../../testbed/process';
import { createRunDir } from '../../testbed/run-dir';

const repoRoot = resolve(__dirname, '..', '..');
const processorExists = existsSync(resolve(repoRoot, 'apps', 'processor', 'main.ts'));

/** KEY=value lines of the pipeline's env file. */
function readEnvFile(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('npm run pipeline', () => {
  it.skipIf(!processorExists)(
    'renders the sample uploads and stops cleanly on SIGINT',
    async () => {
      const dir = createRunDir(resolve(repoRoot, 'test-output', 'local-pipeline'));
      const pipeline = spawn(resolve(repoRoot, 'node_modules/.bin/tsx'), ['scripts/pipeline.ts'], {
        cwd: repoRoot,
        env: {
          ...process.env,
          WOLKE_PIPELINE_DIR: dir,
          // Only the processor: the rendition is what this test checks; the bound is a safety net.
          WOLKE_PIPELINE_APPS: 'processor',
          WOLKE_PIPELINE_EXIT_AFTER: '400',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so the SIGINT below reaches it the way Ctrl-C in a terminal does.
        detached: true,
      });
      let output = '';
      pipeline.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      pipeline.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((done) => pipeline.once('exit', (code) => done(code)));

      try {
        for (let i = 0; i < 600 && !output.includes('pipeline ready') && pipeline.exitCode === null; i++) await sleep(500);
        expect(output, output).toContain('pipeline ready');
        expect(output).toContain('not started: aggregator, detector, lake-sink, api, producer, web');

        const env = readEnvFile(resolve(dir, 'pipeline.env'));
        const client = createMinio({
          MINIO_ENDPOINT: env.MINIO_ENDPOINT!,
          MINIO_ACCESS_KEY: env.MINIO_ACCESS_KEY!,
          MINIO_SECRET_KEY: env.MINIO_SECRET_KEY!,
          MINIO_REGION: 'us-east-1',
        });
        const source = await client.statObject('uploads', 'samples/sunset.jpg');
        let thumb: Buffer | undefined;
        for (let i = 0; i < 120 && thumb === undefined; i++) {
          try {
            const stream = await client.getObject('processed', 'samples/sunset/thumb.webp');
            const chunks: Buffer[] = [];
            for await (const chunk of stream) chunks.push(chunk as Buffer);
            thumb = Buffer.concat(chunks);
          } catch {
            await sleep(1_000);
          }
        }
        expect(thumb, `no rendition; pipeline output:\n${output}`).toBeDefined();
        const metadata = await sharp(thumb!).metadata();
        expect(metadata.format).toBe('webp');
        // The sample is 1600×1200; the thumb rendition's longest side is 320.
        expect([metadata.width, metadata.height]).toEqual([320, 240]);
        const stat = await client.statObject('processed', 'samples/sunset/thumb.webp');
        expect(stat.metaData['source-etag']).toBe(source.etag);

        signalGroup(pipeline, 'SIGINT');
        expect(await exited).toBe(0);
        expect(output).toContain('processor stopped (exit 0)');
        expect(output).toContain('stopped; logs in');
      } finally {
        if (pipeline.exitCode === null) {
          signalGroup(pipeline, 'SIGTERM');
          await exited;
        }
      }
    },
    600_000,
  );
});
