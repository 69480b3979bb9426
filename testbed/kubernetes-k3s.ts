// A stand-in for k3s on an SSH test host: `k3s kubectl …` runs the test bed's kubectl against its control plane, so
// the deploy role's and the CLI's `k3s kubectl` steps reach a real API server (k3s itself cannot run here).
import { execFileSync } from 'node:child_process';
import type { SshHost, SshHosts } from './ssh-hosts';

export interface K3sStandInOptions {
  /** The kubectl built with the test-bed control plane. */
  kubectl: string;
  /** Its admin kubeconfig (the paths it names are on this machine, which the hosts share). */
  kubeconfig: string;
  /**
   * A process in the network namespace the control plane listens in (its loopback): the SSH hosts have network
   * namespaces of their own, so the stand-in runs kubectl in this one, as k3s's kubectl talks to its own loopback.
   */
  networkOfPid: number;
}

/** The script: anything but `k3s kubectl` is refused, so a role step that needs more of k3s fails loudly. */
export function k3sStandInScript(options: K3sStandInOptions): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
    '#!/bin/sh',
    '# wolke test bed: a stand-in for k3s. Only `k3s kubectl ...` is served, by the test bed\'s kubectl and control plane.',
    'if [ "${1:-}" != kubectl ]; then',
    '  echo "k3s test-bed stand-in: only \'k3s kubectl\' is available here (got: $*)" >&2',
    '  exit 64',
    'fi',
    'shift',
    `exec nsenter --net=/proc/${options.networkOfPid}/ns/net -- ${quote(options.kubectl)} --kubeconfig=${quote(options.kubeconfig)} "$@"`,
    '',
  ].join('\n');
}

/** Installs the stand-in as /usr/local/bin/k3s on `host` (a private tmpfs of that host only). */
export function installK3sStandIn(bed: SshHosts, host: SshHost, options: K3sStandInOptions): void {
  execFileSync(
    'ssh',
    [
      '-i', bed.keyFile,
      '-o', `UserKnownHostsFile=${bed.knownHostsFile}`,
      '-o', 'StrictHostKeyChecking=accept-new',
      '-o', 'BatchMode=yes',
      `root@${host.address}`,
      'cat > /usr/local/bin/k3s && chmod 0755 /usr/local/bin/k3s',
    ],
    { input: k3sStandInScript(options), stdio: ['pipe', 'ignore', 'pipe'] },
  );
}
