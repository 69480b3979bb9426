// The test-bed scripts that build or fetch a component print what they made as KEY=value lines on stdout.
import { execFileSync } from 'node:child_process';
import { basename } from 'node:path';

/** Runs a bash script (its progress goes to stderr) and returns a reader of the KEY=value lines it printed. */
export function runScriptOutputs(script: string, args: readonly string[] = [], cwd?: string): (key: string) => string {
  const out = execFileSync('bash', [script, ...args], { encoding: 'utf8', cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  return (key) => {
    const line = out.split('\n').find((l) => l.startsWith(`${key}=`));
    if (line === undefined) throw new Error(`${basename(script)} printed no ${key}`);
    return line.slice(key.length + 1);
  };
}
