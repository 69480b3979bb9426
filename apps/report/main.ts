// Entry point of the report job (`npm run lake:report`, the CronJob): config → MinIO → one run → exit.
// `--env-file <file>` loads variables first, e.g. the local pipeline's pipeline.env.
import { parseArgs } from 'node:util';
import { readConfig } from '../lib/config';
import { createLogger } from '../lib/log';
import { createMinio } from '../lib/minio';
import { reportEnv } from './config';
import { runReportJob } from './job';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'env-file': { type: 'string' } }, allowPositionals: false });
  if (values['env-file'] !== undefined) process.loadEnvFile(values['env-file']);
  const config = readConfig(reportEnv);
  const log = createLogger('report', config.LOG_LEVEL);
  const result = await runReportJob(config, createMinio(config), log);
  for (const key of result.keys) console.log(`report: s3://${config.LAKE_BUCKET}/${key}`);
  if (result.keys.length === 0) console.log(`report: no readings in the lake from ${result.range.from} to ${result.range.to}`);
}

main().catch((error: unknown) => {
  createLogger('report').error('report failed', { error });
  process.exit(1);
});
