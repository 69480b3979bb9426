// Starts the lifecycle test bed once: SSH hosts whose addresses are the external network's floating-IP pool, the
// all-in-one OpenStack, a Kubernetes control plane with the boot stand-in (cloud-init's host key, k3s's node
// registration) and a MinIO for remote state; hands their coordinates to the tests.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { readOpenrc, type OpenRc } from '../../testbed/openstack';
import { runningPids } from '../../testbed/openstack/running-pids';
import { supervise, tail, waitUntil } from '../../testbed/process';
import { startSshHosts } from '../../testbed/ssh-hosts';
import { startMinio } from '../../testbed/minio';
import { createRunDir } from '../../testbed/run-dir';
import { startKubernetes } from '../../testbed/kubernetes';
import { startBootStandIn } from '../../testbed/boot-stand-in';
import { k3sStandInScript } from '../../testbed/kubernetes-k3s';
import { OpenStackClient } from '../../scripts/openstack/client';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A non-admin project's openrc (OS_* variables). */
    openrc: OpenRc;
    /** The cloud admin's openrc, for checks and quota changes. */
    adminOpenrc: OpenRc;
    /** SSH hosts at the floating-IP pool's addresses, by address. */
    sshHosts: { addresses: string[]; keyFile: string; knownHostsFile: string };
    /** MinIO for the remote-state tests. */
    stateStore: { endpoint: string; accessKey: string; secretKey: string };
    /** TF_CLI_CONFIG_FILE that installs providers from the local mirror only. */
    tfCliConfig: string;
    lifecycleLogDir: string;
    /** The Kubernetes control plane the nodes "join" (kwok nodes registered by the boot stand-in). */
    lifecycleKubernetes: { kubeconfig: string; kubectl: string; k3sStandIn: string };
  }
}

/** Floating IPs come from this many addresses; each is an SSH host (replacements need spares). */
const poolSize = 10;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = createRunDir(resolve(__dirname, '..', '..', 'test-output', 'lifecycle'));
  const started = Date.now();
  const tfCliConfig = execFileSync('bash', ['testbed/providers.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const hosts = await startSshHosts({ names: Array.from({ length: poolSize }, (_, i) => `fip-${i + 1}`) });
  const stops: (() => Promise<void>)[] = [() => hosts.stop()];
  const stopAll = async () => {
    const errors: unknown[] = [];
    for (const stop of stops.reverse()) await stop().catch((e: unknown) => errors.push(e));
    if (errors.length > 0) throw errors[0];
  };
  try {
    const addresses = hosts.hosts.map((h) => h.address);
    const prefix = addresses[0].split('.').slice(0, 3).join('.');
    // Started as the README says to start it by hand, and stopped as Ctrl-C stops it: nothing may be left running.
    const dir = resolve(root, 'openstack');
    const openstack = supervise(
      'npx',
      ['tsx', 'testbed/openstack.ts', dir, '--external-subnet', `${prefix}.0/24`, '--pool', `${addresses[0]}-${addresses[addresses.length - 1]}`],
      { logFile: resolve(root, 'openstack.log'), cwd: resolve(__dirname, '..', '..') },
    );
    stops.push(async () => {
      await openstack.stop('SIGINT', 60_000);
      const left = runningPids(dir);
      if (left.length > 0) throw new Error(`the OpenStack test bed left processes running after Ctrl-C: ${left.join(', ')}`);
    });
    const kubernetes = await startKubernetes({ dir: resolve(root, 'kubernetes'), nodes: [] });
    stops.push(() => kubernetes.stop());
    // The k3s binary the install role places on the SSH hosts: `k3s kubectl` reaches the test bed's API server, which
    // listens on this machine's loopback (the hosts are network namespaces of this machine).
    const k3sStandIn = resolve(root, 'k3s');
    writeFileSync(k3sStandIn, k3sStandInScript({ kubectl: kubernetes.kubectl, kubeconfig: kubernetes.kubeconfig, networkOfPid: process.pid }), { mode: 0o755 });
    await waitUntil('OpenStack test bed', async () => readFileSync(openstack.logFile, 'utf8').includes('OpenStack ready'), {
      attempts: 900,
      intervalMs: 1_000,
      alive: () => openstack.child.exitCode === null,
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n${tail(openstack.logFile)}`);
    });
    const bootStandIn = startBootStandIn({ admin: await OpenStackClient.connect(readOpenrc(resolve(dir, 'admin-openrc'))), hosts, kubernetes });
    stops.push(() => bootStandIn.stop());
    const minio = await startMinio({ kafkaBrokers: [], topic: 'unused', dir: resolve(root, 'minio') });
    stops.push(() => minio.stop());
    console.log(`lifecycle test bed ready in ${((Date.now() - started) / 1000).toFixed(0)} s; logs under ${root}`);
    project.provide('openrc', readOpenrc(resolve(dir, 'openrc')));
    project.provide('adminOpenrc', readOpenrc(resolve(dir, 'admin-openrc')));
    project.provide('sshHosts', { addresses, keyFile: hosts.keyFile, knownHostsFile: hosts.knownHostsFile });
    project.provide('stateStore', { endpoint: minio.endpoint, accessKey: minio.accessKey, secretKey: minio.secretKey });
    project.provide('tfCliConfig', tfCliConfig);
    project.provide('lifecycleLogDir', root);
    project.provide('lifecycleKubernetes', { kubeconfig: kubernetes.kubeconfig, kubectl: kubernetes.kubectl, k3sStandIn });
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
  return stopAll;
}
