// An Io for CLI tests: real files to read, and a record of every write, process and line printed.
import { existsSync, readFileSync } from 'node:fs';
import type { Captured, Io } from '../../scripts/cli/io';

export interface Recording {
  writes: { path: string; text: string }[];
  /** Every program run, in order, as `program arg...`; synthesizing counts as `synthesize <env>`. */
  runs: string[];
  /** Lines printed to stdout and stderr. */
  stdout: string[];
  stderr: string[];
}

export interface RecordingOptions {
  env?: NodeJS.ProcessEnv;
  /** Programs on the PATH (default ansible and ansible-playbook). */
  tools?: readonly string[];
  /** Paths that exist besides the real files (e.g. an inventory). */
  existing?: readonly string[];
  /** What `ansible` prints (default: a reachable server and an empty answer). */
  ansible?: (args: readonly string[]) => Captured;
  /** Exit code of `ansible-playbook` (default 0). */
  playbook?: number | null;
}

/** Output of Ansible's json callback for one host's result. */
export function ansibleJson(host: string, result: Record<string, unknown>): string {
  return JSON.stringify({
    plays: [{ play: { name: 'Ansible Ad-Hoc' }, tasks: [{ hosts: { [host]: { _ansible_no_log: false, changed: false, ...result } }, task: { name: 'command' } }] }],
    stats: { [host]: { unreachable: result.unreachable ? 1 : 0, failures: result.failed ? 1 : 0 } },
  });
}

export function recordingIo(options: RecordingOptions = {}): Io & Recording {
  const record: Recording = { writes: [], runs: [], stdout: [], stderr: [] };
  const tools = options.tools ?? ['ansible', 'ansible-playbook'];
  const written = new Map<string, string>();
  return {
    ...record,
    env: options.env ?? {},
    readFile: (path) => written.get(path) ?? readFileSync(path, 'utf8'),
    exists: (path) => written.has(path) || (options.existing ?? []).includes(path) || existsSync(path),
    writeFile: (path, text) => {
      written.set(path, text);
      record.writes.push({ path, text });
    },
    onPath: (program) => tools.includes(program),
    capture: (program, args) => {
      record.runs.push([program, ...args].join(' '));
      if (!tools.includes(program)) return { status: null, stdout: '', stderr: '', missing: true };
      return options.ansible?.(args) ?? { status: 0, stdout: ansibleJson('wolke-server-0', { stdout: '' }), stderr: '' };
    },
    stream: async (program, args) => {
      record.runs.push([program, ...args].join(' '));
      return options.playbook === undefined ? 0 : options.playbook;
    },
    synthesize: async (env, dir) => {
      record.runs.push(`synthesize ${env.name}`);
      return `${dir}/wolke.k8s.yaml`;
    },
    out: (line) => {
      record.stdout.push(line);
    },
    err: (line) => {
      record.stderr.push(line);
    },
  };
}
