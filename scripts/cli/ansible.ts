// Runs one command on the first k3s server through Ansible and turns a failure into its cause in one line.
import type { Captured } from './io';
import { CommandFailure } from './failure';

/** One host's result in the output of Ansible's `json` stdout callback. */
interface HostResult {
  unreachable?: boolean;
  failed?: boolean;
  msg?: string;
  stdout?: string;
  stderr?: string;
  rc?: number;
}

interface JsonOutput {
  plays?: { tasks?: { hosts?: Record<string, HostResult> }[] }[];
}

/** What an operator can do about the usual reasons SSH gives. */
function hint(reason: string): string {
  if (/timed out|No route to host|Network is unreachable|Connection refused/i.test(reason)) {
    return ' (is the VPN up, and is its range in openstack.adminCidrs?)';
  }
  if (/Permission denied \(publickey/i.test(reason)) return " (load the environment's private key into ssh-agent: ssh-add <key>)";
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(reason)) {
    return ' (the server has a new host key; if it was replaced, remove the old one with ssh-keygen -R <address>)';
  }
  if (/Could not resolve hostname/i.test(reason)) return ' (check the address in the inventory)';
  return '';
}

/**
 * The json callback's document in Ansible's stdout. Other callbacks the configuration enables (profile_tasks) print
 * lines before and after it, so it is read from the first line that starts with `{` to the last that ends with `}`.
 */
function jsonDocument(stdout: string): JsonOutput | undefined {
  const lines = stdout.split('\n').map((l) => l.trimEnd());
  const start = lines.findIndex((l) => l.startsWith('{'));
  let end = lines.length - 1;
  while (end >= 0 && !lines[end].endsWith('}')) end--;
  if (start < 0 || end < start) return undefined;
  try {
    return JSON.parse(lines.slice(start, end + 1).join('\n')) as JsonOutput;
  } catch {
    return undefined;
  }
}

const firstLine = (text: string | undefined) =>
  (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);

/** Ansible's own complaint, most telling first: an error, an inventory it cannot parse, a pattern without hosts. */
function ansibleStderrReason(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim());
  const telling = [/^ERROR!/, /Unable to parse .* as an inventory source/, /Could not match supplied host pattern/, /No hosts matched/];
  for (const pattern of telling) {
    const line = lines.find((l) => pattern.test(l));
    if (line) return line.replace(/^\[\w+\]:\s*/, '');
  }
  return firstLine(stderr);
}

/**
 * The outcome of an ad-hoc Ansible run with the json callback: the host's stdout, or a CommandFailure that says
 * why in one line: unreachable (with SSH's own reason), the command's error, or Ansible's own error.
 */
export function ansibleOutcome(run: Captured, what: string): string {
  if (run.missing) throw new CommandFailure(`${what}: ansible is not installed (not on the PATH); install ansible-core, e.g. pipx install ansible-core`);
  const parsed = jsonDocument(run.stdout);
  const hosts = parsed?.plays?.flatMap((p) => p.tasks ?? []).flatMap((t) => Object.entries(t.hosts ?? {})) ?? [];
  const [host, result] = hosts[0] ?? [];
  if (host !== undefined && result !== undefined) {
    if (result.unreachable) {
      const reason = firstLine(result.msg) ?? 'unreachable';
      throw new CommandFailure(`${what}: ${host} is unreachable: ${reason}${hint(reason)}`);
    }
    if (result.failed) {
      const reason = firstLine(result.stderr) ?? firstLine(result.msg) ?? `exit ${String(result.rc)}`;
      throw new CommandFailure(`${what}: failed on ${host}: ${reason}`);
    }
    if (run.status === 0) return result.stdout ?? '';
  }
  const ansibleError = ansibleStderrReason(run.stderr);
  if (host === undefined && run.status === 0) {
    throw new CommandFailure(`${what}: the inventory has no server to run on${ansibleError ? ` (${ansibleError})` : ''}`);
  }
  throw new CommandFailure(`${what}: ansible failed (exit ${String(run.status)})${ansibleError ? `: ${ansibleError}` : ''}`);
}

/** The meaning of ansible-playbook's exit codes, for the one line that says why a deploy failed. */
export function playbookExit(code: number | null): string {
  const meaning: Record<number, string> = {
    1: 'an error',
    2: 'a task failed on a host',
    3: 'a host was unreachable',
    // ansible-core's task queue reports unreachable hosts as 4, which its CLI also uses for parser errors.
    4: 'a host was unreachable, or the playbook or inventory could not be parsed',
    8: 'a task failed and ended the play',
    5: 'bad or incomplete options',
    99: 'interrupted',
    250: 'an unexpected error',
  };
  return code === null ? 'killed by a signal' : `exit ${code}${meaning[code] ? `: ${meaning[code]}` : ''}`;
}
