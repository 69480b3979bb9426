// Runs apps/processor/main.ts as a real child process for the pipeline tests, and reads its health, metrics and log.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from '../../testbed/ports';
import { supervise, tail, waitUntil, type Supervised } from '../../testbed/process';

const repoRoot = resolve(__dirname, '..', '..');

/** The processor's environment without the ops port, which each start picks anew. */
export interface ProcessorEnv {
  KAFKA_BROKERS: string;
  MINIO_ENDPOINT: string;
  MINIO_ACCESS_KEY: string;
  MINIO_SECRET_KEY: string;
  SOURCE_TOPIC: string;
  DLQ_TOPIC: string;
  PROCESSED_BUCKET: string;
  GROUP_ID: string;
  [name: string]: string;
}

export interface ProcessorProcess {
  app: Supervised;
  /** http://127.0.0.1:port of /healthz, /readyz and /metrics. */
  opsUrl: string;
  alive(): boolean;
}

/**
 * Starts the processor with its output appended to `logFile`; resolves once /readyz says it joined its group (or,
 * with `until: 'healthy'`, once /healthz answers: a processor MinIO refuses never becomes ready).
 */
export async function startProcessor(env: ProcessorEnv, logFile: string, until: 'ready' | 'healthy' = 'ready'): Promise<ProcessorProcess> {
  const opsPort = await freePort();
  const app = supervise(process.execPath, ['--import', 'tsx', 'apps/processor/main.ts'], {
    cwd: repoRoot,
    logFile,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      KAFKA_CLIENT_ID: 'processor-test',
      LOG_LEVEL: 'info',
      // The broker's minimum: a SIGKILLed member's partitions move after 6 s instead of 30 s.
      SESSION_TIMEOUT_MS: '6000',
      ...env,
      OPS_PORT: String(opsPort),
      OPS_HOST: '127.0.0.1',
    },
  });
  const alive = () => app.child.exitCode === null && app.child.signalCode === null;
  const opsUrl = `http://127.0.0.1:${opsPort}`;
  await waitUntil(`processor ${until} (log ${logFile})`, async () => (await fetch(`${opsUrl}/${until === 'ready' ? 'readyz' : 'healthz'}`)).ok, {
    attempts: 240,
    intervalMs: 250,
    alive,
  }).catch(async (error: unknown) => {
    await app.stop('SIGKILL');
    throw new Error(`${String(error)}\n${tail(logFile)}`);
  });
  return { app, opsUrl, alive };
}

/** Values of one Prometheus counter by the value of `label`, e.g. processor_dead_letters_total by reason. */
export function counterByLabel(metricsText: string, metric: string, label: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const line = new RegExp(`^${metric}\\{([^}]*)\\} ([0-9.eE+-]+)$`);
  const labelValue = new RegExp(`(?:^|,)${label}="([^"]*)"`);
  for (const text of metricsText.split('\n')) {
    const match = line.exec(text);
    const value = match ? labelValue.exec(match[1]!) : null;
    if (match && value) counts[value[1]!] = (counts[value[1]!] ?? 0) + Number(match[2]);
  }
  return counts;
}

/** One JSON line the processor logged. */
export interface ProcessorLogLine {
  level: string;
  msg: string;
  key?: string;
  bucket?: string;
  reason?: string;
  [field: string]: unknown;
}

/** The JSON lines of a processor log; lines cut off by a SIGKILL and the runtime's non-JSON output are skipped. */
export function readProcessorLog(logFile: string): ProcessorLogLine[] {
  const lines: ProcessorLogLine[] = [];
  for (const text of readFileSync(logFile, 'utf8').split('\n')) {
    if (!text.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(text) as ProcessorLogLine);
    } catch {
      // A line the kill cut in half.
    }
  }
  return lines;
}
