// Starts throwaway SSH hosts for the Ansible tests: one network namespace per host, each with its own sshd.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runUntilSignal } from './run-until-signal';

/** One SSH host: a network namespace on a private bridge, reachable from this machine at `address`. */
export interface SshHost {
  name: string;
  address: string;
  netns: string;
}

export interface SshHosts {
  hosts: SshHost[];
  /** Private key that logs in as root on every host (generated for this run). */
  keyFile: string;
  /** known_hosts of this run, so the machine's own ~/.ssh/known_hosts is never touched. */
  knownHostsFile: string;
  /** Holds the keys, configs and one sshd log per host. */
  dir: string;
  /**
   * Starts the host at `address` afresh, as a new machine booting there would: every process ends, the private
   * directories are empty again, and sshd offers `hostKey` (an OpenSSH private key) from now on.
   */
  reboot(address: string, hostKey: string): Promise<void>;
  stop(): Promise<void>;
}

export interface SshHostsOptions {
  /** Host names, e.g. ['server-1', 'agent-1']. */
  names: string[];
}

/**
 * Directories k3s and the deploy role write to; each host sees its own empty tmpfs there (a private mount
 * namespace), so a "real" run never writes k3s files onto this machine and the hosts do not share state.
 */
export const privateDirs = ['/etc/rancher', '/var/lib/rancher', '/var/lib/wolke', '/usr/local/bin', '/etc/systemd/system'];

const sshdBinary = '/usr/sbin/sshd';

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function tryRun(cmd: string, args: string[]): void {
  try {
    run(cmd, args);
  } catch {
    // Cleanup continues past things that are already gone.
  }
}

function namespacePids(netns: string): number[] {
  try {
    return run('ip', ['netns', 'pids', netns]).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Ends every process inside the given namespaces: SIGTERM, then SIGKILL for what is left after 2 s. */
async function endNamespaceProcesses(namespaces: string[]): Promise<void> {
  const signal = (sig: NodeJS.Signals) =>
    namespaces.flatMap(namespacePids).forEach((pid) => {
      try {
        process.kill(pid, sig);
      } catch {
        // Already gone.
      }
    });
  signal('SIGTERM');
  for (let i = 0; i < 20 && namespaces.some((ns) => namespacePids(ns).length > 0); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  signal('SIGKILL');
}

async function waitForPort(address: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: address, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`sshd on ${address}:${port} did not start within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function sshdConfig(dir: string, host: SshHost): string {
  return [
    `ListenAddress ${host.address}`,
    'Port 22',
    `HostKey ${join(dir, host.name, 'ssh_host_ed25519_key')}`,
    'PidFile none',
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // The run directory lives under the machine's tmp, whose modes StrictModes would reject.
    'StrictModes no',
    'Subsystem sftp /usr/lib/openssh/sftp-server',
    '',
  ].join('\n');
}

/** A 10.77.x prefix no bridge on this machine uses yet: host sets of parallel test files and runs must not share one. */
function freeSubnet(): string {
  const used = new Set([...run('ip', ['-o', '-4', 'addr', 'show']).matchAll(/inet 10\.77\.(\d+)\./g)].map((m) => Number(m[1])));
  const free = Array.from({ length: 256 }, (_, i) => i).filter((i) => !used.has(i));
  if (free.length === 0) throw new Error('every 10.77.x.0/24 is in use by other SSH test hosts');
  return `10.77.${free[randomInt(0, free.length)]}`;
}

/** Creates the namespaces, the bridge and one sshd per host; cleans up everything it made if a step fails. */
export async function startSshHosts(options: SshHostsOptions): Promise<SshHosts> {
  if (!existsSync(sshdBinary)) throw new Error(`${sshdBinary} is missing: apt-get install -y openssh-server`);
  const id = randomBytes(3).toString('hex');
  const subnet = freeSubnet();
  const bridge = `wkbr${id}`;
  const dir = mkdtempSync(join(tmpdir(), 'wolke-ssh-'));
  const hosts: SshHost[] = options.names.map((name, i) => ({ name, address: `${subnet}.${11 + i}`, netns: `wolke-${id}-${i}` }));
  const children: ChildProcess[] = [];

  /** One host's sshd in its namespace, with fresh private directories (a new mount namespace each time). */
  const startSshd = (host: SshHost, config: string): ChildProcess => {
    const hostsFile = join(dir, host.name, 'hosts');
    // Every exec below replaces the process, so the child's pid is sshd's and stop() can end it.
    const mounts = [...privateDirs.map((d) => `mount -t tmpfs -o mode=0755 wolke-${host.name} ${d}`), `mount --bind ${hostsFile} /etc/hosts`].join(' && ');
    const child = spawn(
      'ip',
      ['netns', 'exec', host.netns, 'unshare', '--mount', '--propagation', 'private', 'sh', '-c', `${mounts} && exec ${sshdBinary} -D -e -f ${config}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.pipe(createWriteStream(join(dir, host.name, 'sshd.log'), { flags: 'a' }));
    return child;
  };

  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    // sshd leaves its session processes running when the listener stops; they live in these namespaces only.
    await endNamespaceProcesses(hosts.map((h) => h.netns));
    hosts.forEach((_, i) => tryRun('ip', ['link', 'del', `wkv${id}${i}`]));
    hosts.forEach((h) => tryRun('ip', ['netns', 'del', h.netns]));
    tryRun('ip', ['link', 'del', bridge]);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const keyFile = join(dir, 'id_ed25519');
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `wolke-test-${id}`, '-f', keyFile]);
    execFileSync('cp', [`${keyFile}.pub`, join(dir, 'authorized_keys')]);
    const knownHostsFile = join(dir, 'known_hosts');
    writeFileSync(knownHostsFile, '');

    // Left in place on stop: other host sets (another test file, another run) may be using them right now; sshd
    // refuses every connection once /run/sshd is gone.
    for (const d of ['/run/sshd', ...privateDirs]) mkdirSync(d, { recursive: true });

    run('ip', ['link', 'add', 'name', bridge, 'type', 'bridge']);
    run('ip', ['addr', 'add', `${subnet}.1/24`, 'dev', bridge]);
    run('ip', ['link', 'set', bridge, 'up']);

    for (const [i, host] of hosts.entries()) {
      const veth = `wkv${id}${i}`;
      run('ip', ['netns', 'add', host.netns]);
      run('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.netns]);
      run('ip', ['link', 'set', veth, 'master', bridge, 'up']);
      run('ip', ['-n', host.netns, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0']);
      run('ip', ['-n', host.netns, 'link', 'set', 'eth0', 'up']);
      run('ip', ['-n', host.netns, 'link', 'set', 'lo', 'up']);
      run('ip', ['-n', host.netns, 'route', 'add', 'default', 'via', `${subnet}.1`]);

      mkdirSync(join(dir, host.name));
      run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, host.name, 'ssh_host_ed25519_key')]);
      const config = join(dir, host.name, 'sshd_config');
      writeFileSync(config, sshdConfig(dir, host));
      // The namespace has no DNS server: without its own name in /etc/hosts, sudo waits for DNS on every call.
      const hostsFile = join(dir, host.name, 'hosts');
      writeFileSync(hostsFile, `127.0.0.1 localhost\n127.0.1.1 ${hostname()}\n${host.address} ${host.name}\n`);

      children[i] = startSshd(host, config);
    }
    await Promise.all(hosts.map((h) => waitForPort(h.address, 22, 10_000)));
    const reboot = async (address: string, hostKey: string) => {
      const i = hosts.findIndex((h) => h.address === address);
      if (i < 0) throw new Error(`no SSH test host at ${address}`);
      const host = hosts[i];
      await endNamespaceProcesses([host.netns]);
      writeFileSync(join(dir, host.name, 'ssh_host_ed25519_key'), hostKey, { mode: 0o600 });
      children[i] = startSshd(host, join(dir, host.name, 'sshd_config'));
      await waitForPort(host.address, 22, 10_000);
    };
    return { hosts, keyFile, knownHostsFile, dir, reboot, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// By hand: `npx tsx testbed/ssh-hosts.ts server-1 agent-1` starts the hosts and prints how to log in.
if (require.main === module) {
  const names = process.argv.slice(2);
  runUntilSignal(
    () => startSshHosts({ names: names.length > 0 ? names : ['server-1', 'agent-1'] }),
    (bed) => {
      for (const h of bed.hosts) {
        console.log(`${h.name}: ssh -i ${bed.keyFile} -o UserKnownHostsFile=${bed.knownHostsFile} root@${h.address}`);
      }
      console.log('Ctrl-C stops the hosts and removes the namespaces.');
    },
  );
}
