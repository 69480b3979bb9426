// Starts the lifecycle test bed once: SSH hosts whose addresses are the external network's floating-IP pool, the
// all-in-one OpenStack, and a MinIO for remote state; hands their coordinates to the tests.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startOpenStack, type OpenRc } from '../../testbed/openstack';
import { startSshHosts } from '../../testbed/ssh-hosts';
import { startMinio } from '../../testbed/minio';
import { createRunDir } from '../../testbed/run-dir';

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
    for (const stop of stops.reverse()) await stop().catch((e: unknown) => console.error(e));
  };
  try {
    const addresses = hosts.hosts.map((h) => h.address);
    const prefix = addresses[0].split('.').slice(0, 3).join('.');
    const openstack = await startOpenStack({
      dir: resolve(root, 'openstack'),
      externalSubnet: { cidr: `${prefix}.0/24`, gateway: `${prefix}.1`, poolStart: addresses[0], poolEnd: addresses[addresses.length - 1] },
    });
    stops.push(() => openstack.stop());
    const minio = await startMinio({ kafkaBrokers: [], topic: 'unused', dir: resolve(root, 'minio') });
    stops.push(() => minio.stop());
    console.log(`lifecycle test bed ready in ${((Date.now() - started) / 1000).toFixed(0)} s; logs under ${root}`);
    project.provide('openrc', openstack.openrc);
    project.provide('adminOpenrc', openstack.adminOpenrc);
    project.provide('sshHosts', { addresses, keyFile: hosts.keyFile, knownHostsFile: hosts.knownHostsFile });
    project.provide('stateStore', { endpoint: minio.endpoint, accessKey: minio.accessKey, secretKey: minio.secretKey });
    project.provide('tfCliConfig', tfCliConfig);
    project.provide('lifecycleLogDir', root);
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}
