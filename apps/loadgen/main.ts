// Bounded HTTP load generator: a fixed rate for a fixed time against one URL, then a summary; shows the API's HPA at work.
import autocannon, { type Result } from 'autocannon';
import { readLoadOptions } from './options';
import { formatSummary, summarize } from './summary';

async function main(): Promise<number> {
  const options = readLoadOptions(process.argv.slice(2), process.env);
  const result = await new Promise<Result>((resolve, reject) => {
    const run = autocannon(
      { url: options.url, overallRate: options.rps, duration: options.duration, connections: options.connections, timeout: options.timeout },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    // SIGTERM (the Job's deadline, Ctrl-C) ends the run early; the summary still prints.
    process.once('SIGTERM', () => run.stop());
    process.once('SIGINT', () => run.stop());
  });
  const summary = summarize(result);
  process.stdout.write(`${JSON.stringify({ msg: 'load summary', ...summary })}\n${formatSummary(summary)}\n`);
  return summary.errorRate > options.maxErrorRate ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
