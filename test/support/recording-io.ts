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
  /** Exit code of `ansible-playbook` (default 0); a list gives one per run, in order (the last repeats). */
  playbook?: number | null | readonly (number | null)[];
}

/**
 * Stdout of an ad-hoc Ansible run with the json callback and ansible.cfg's profile_tasks, as ansible-core 2.14
 * prints it: timing lines, the indented document with one host's result, and the timing summary.
 */
export function ansibleJson(host: string, result: Record<string, unknown>): string {
  const document = {
    custom_stats: {},
    global_custom_stats: {},
    plays: [
      {
        play: { duration: { start: '2026-12-01T22:08:03.731914Z' }, id: '02fc0000-0001-a214-ed2d-000000000003', name: 'Ansible Ad-Hoc', path: '' },
        tasks: [{ hosts: { [host]: { action: 'ansible.builtin.command', changed: false, ...result } }, task: { name: 'ansible.builtin.command', path: '' } }],
      },
    ],
    stats: { [host]: { changed: 0, failures: result.failed ? 1 : 0, ok: 0, unreachable: result.unreachable ? 1 : 0 } },
  };
  return [
    'Tuesday 01 December 2026  22:08:03 +0000 (0:00:00.168)       0:00:00.168 ****** ',
    JSON.stringify(document, null, 4),
    'Tuesday 01 December 2026  22:08:04 +0000 (0:00:00.623)       0:00:00.792 ****** ',
    '=============================================================================== ',
    'ansible.builtin.command ------------------------------------------------- 0.62s',
    '',
  ].join('\n');
}

export function recordingIo(options: RecordingOptions = {}): Io & Recording {
  const record: Recording = { writes: [], runs: [], stdout: [], stderr: [] };
  const tools = options.tools ?? ['ansible', 'ansible-playbook'];
  const written = new Map<string, string>();
  let playbookRuns = 0;
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
      if (options.playbook === undefined) return 0;
      if (!Array.isArray(options.playbook)) return options.playbook as number | null;
      const codes = options.playbook as readonly (number | null)[];
      return codes[Math.min(playbookRuns++, codes.length - 1)];
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
