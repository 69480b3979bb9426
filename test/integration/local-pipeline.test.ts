// `npm run pipeline`, bounded: it brings up its own test bed and the processor, renditions of the samples appear,
// and SIGINT (Ctrl-C) stops everything with exit code 0; with the producer, detector and lake sink, the lake fills and
// the report command it prints writes the day's report where it says.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parquetReadObjects } from 'hyparquet';
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

  it(
    'fills the lake from the producer through the lake sink, and the printed report command reports it',
    async () => {
      const dir = createRunDir(resolve(repoRoot, 'test-output', 'local-pipeline'));
      const pipeline = spawn(resolve(repoRoot, 'node_modules/.bin/tsx'), ['scripts/pipeline.ts'], {
        cwd: repoRoot,
        env: { ...process.env, WOLKE_PIPELINE_DIR: dir, WOLKE_PIPELINE_APPS: 'producer,detector,lake-sink', WOLKE_PIPELINE_EXIT_AFTER: '300' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let output = '';
      pipeline.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      pipeline.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((done) => pipeline.once('exit', (code) => done(code)));
      try {
        for (let i = 0; i < 600 && !output.includes('pipeline ready') && pipeline.exitCode === null; i++) await sleep(500);
        expect(output, output).toContain('pipeline ready');
        const command = /npm run lake:report -- --env-file=(\S+)/.exec(output);
        expect(command, output).not.toBeNull();
        expect(output).toContain('lake/reports/sensor-daily/date=<YYYY-MM-DD>/sensor-daily.parquet');
        const env = readEnvFile(resolve(dir, 'pipeline.env'));
        const client = createMinio({ MINIO_ENDPOINT: env.MINIO_ENDPOINT!, MINIO_ACCESS_KEY: env.MINIO_ACCESS_KEY!, MINIO_SECRET_KEY: env.MINIO_SECRET_KEY!, MINIO_REGION: 'us-east-1' });
        const eventFiles = async () => {
          const keys: string[] = [];
          for await (const item of client.listObjectsV2('lake', 'topic=events/', true)) if ('name' in item && item.name) keys.push(item.name);
          return keys;
        };
        for (let i = 0; i < 120 && (await eventFiles()).length === 0; i++) await sleep(1_000);
        expect(await eventFiles(), output).not.toHaveLength(0);

        // The command exactly as printed, run from the repository root as a user would.
        const envFile = resolve(repoRoot, command![1]!);
        const printed = execFileSync('npm', ['run', '--silent', 'lake:report', '--', `--env-file=${envFile}`], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
        const today = new Date().toISOString().slice(0, 10);
        const key = `reports/sensor-daily/date=${today}/sensor-daily.parquet`;
        expect(printed).toContain(`report: s3://lake/${key}`);
        const stream = await client.getObject('lake', key);
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        const buffer = Buffer.concat(chunks);
        const rows = await parquetReadObjects({ file: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) });
        // The producer's sensors, each with readings and its percentiles in order.
        expect(rows.map((r) => r.sensor).sort()).toEqual(['A', 'B', 'C']);
        for (const row of rows) {
          expect(Number(row.readings)).toBeGreaterThan(0);
          expect(Number(row.min)).toBeLessThanOrEqual(Number(row.p50));
          expect(Number(row.p50)).toBeLessThanOrEqual(Number(row.p95));
          expect(Number(row.p95)).toBeLessThanOrEqual(Number(row.max));
        }
        signalGroup(pipeline, 'SIGINT');
        expect(await exited).toBe(0);
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
