// Runs the cdktf CLI as a user does (`npx cdktf …` in a checkout) and returns its exit code and plain-text output.
import { execFile } from 'node:child_process';

export interface CliResult {
  code: number;
  /** stdout and stderr, without terminal colours. */
  output: string;
}

// eslint-disable-next-line no-control-regex
const ansi = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function cdktf(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['cdktf', ...args],
      { cwd: options.cwd, env: options.env, maxBuffer: 256 << 20, timeout: options.timeoutMs ?? 900_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1) : 0;
        resolve({ code, output: `${stdout}${stderr}`.replace(ansi, '') });
      },
    );
  });
}
