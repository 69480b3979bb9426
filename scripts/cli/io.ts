// Everything the CLI does to the world (files, processes, output), behind one interface so tests can record it.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Environment } from '../../config/schema';

/** What a captured process printed and how it ended; `missing` when the program is not installed. */
export interface Captured {
  status: number | null;
  stdout: string;
  stderr: string;
  missing?: boolean;
}

export interface Io {
  /** Environment variables the CLI reads (WOLKE_ENV, WOLKE_SET, npm_config_*). */
  readonly env: NodeJS.ProcessEnv;
  readFile(path: string): string;
  exists(path: string): boolean;
  writeFile(path: string, text: string): void;
  /** Whether a program is on the PATH. */
  onPath(program: string): boolean;
  /** Runs a program to completion and captures its output. */
  capture(program: string, args: readonly string[], env?: NodeJS.ProcessEnv): Captured;
  /** Runs a program with the terminal attached; resolves to its exit code (null when killed). */
  stream(program: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<number | null>;
  /** Synthesizes the environment's manifests into `dir`; resolves to the file. */
  synthesize(env: Environment, dir: string): Promise<string>;
  out(line: string): void;
  err(line: string): void;
}

/** The real world, from the repository root. */
export function processIo(cwd: string): Io {
  return {
    env: process.env,
    readFile: (path) => readFileSync(path, 'utf8'),
    exists: existsSync,
    writeFile: (path, text) => writeFileSync(path, text),
    onPath: (program) =>
      (process.env.PATH ?? '').split(delimiter).some((dir) => {
        try {
          accessSync(join(dir, program), constants.X_OK);
          return true;
        } catch {
          return false;
        }
      }),
    capture: (program, args, env) => {
      const result = spawnSync(program, args, { cwd, env: env ?? process.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      const missing = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
      return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', ...(missing ? { missing } : {}) };
    },
    stream: (program, args, env) =>
      new Promise((resolve, reject) => {
        const child = spawn(program, args, { cwd, env: env ?? process.env, stdio: 'inherit' });
        // Ctrl-C reaches the child through the terminal, a SIGTERM is passed on; either way this process waits
        // for the child to end, so the caller can still put the model file back.
        const ignore = () => undefined;
        const forward = () => child.kill('SIGTERM');
        process.on('SIGINT', ignore);
        process.on('SIGTERM', forward);
        const done = () => {
          process.off('SIGINT', ignore);
          process.off('SIGTERM', forward);
        };
        child.once('error', (error) => {
          done();
          reject(error);
        });
        child.once('exit', (code) => {
          done();
          resolve(code);
        });
      }),
    // Loaded on use: cdk8s takes a second to load, which --help and status need not wait for.
    synthesize: async (env, dir) => (await import('../../charts/manifests')).synthesizeManifests(env, dir),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}
