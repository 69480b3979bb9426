// The steps of starting the test bed's OpenStack: commands under Debian's Python with their output logged, the
// database schemas, the seeding of the cloud's contents and the key of the cached databases.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tail } from '../process';
import { databaseUrl, type OpenStackConfigInput } from './configs';

const run = promisify(execFile);

/** Debian's OpenStack binaries run under Debian's own Python, not a shim earlier on the PATH. */
export const systemEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  PATH: `/usr/sbin:/usr/bin:/sbin:/bin`,
  ...extra,
});

/** Runs one setup command, appending its output to a log; a failure says what failed and shows the log's end. */
export async function step(what: string, logFile: string, command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args, { env: env ?? systemEnv(), maxBuffer: 64 << 20 });
    writeFileSync(logFile, `${stdout}${stderr}`, { flag: 'a' });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    writeFileSync(logFile, `${e.stdout ?? ''}${e.stderr ?? ''}`, { flag: 'a' });
    throw new Error(`${what} failed: ${e.message}\n${tail(logFile, 20)}`);
  }
}

/** True once the service at the URL answers without a server error. */
export async function httpUp(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return res.status < 500;
}

/** Creates or upgrades every service's database schema, in parallel where they do not depend on each other. */
export async function syncSchemas(conf: (f: string) => string, input: OpenStackConfigInput, log: (n: string) => string): Promise<void> {
  const nova = ['--config-file', conf('nova/nova.conf')];
  await Promise.all([
    step('keystone db_sync', log('keystone-manage'), '/usr/bin/keystone-manage', ['--config-file', conf('keystone/keystone.conf'), 'db_sync']),
    step('glance db_sync', log('glance-manage'), '/usr/bin/glance-manage', ['--config-file', conf('glance/glance-api.conf'), 'db_sync']),
    step('placement db sync', log('placement-manage'), '/usr/bin/placement-manage', ['--config-file', conf('placement/placement.conf'), 'db', 'sync']),
    step('neutron upgrade heads', log('neutron-db-manage'), '/usr/bin/neutron-db-manage', [
      '--config-file', conf('neutron/neutron.conf'), '--config-file', conf('neutron/ml2_conf.ini'), 'upgrade', 'heads',
    ]),
    (async () => {
      await step('nova api_db sync', log('nova-manage'), '/usr/bin/nova-manage', [...nova, 'api_db', 'sync']);
      await step('nova map_cell0', log('nova-manage'), '/usr/bin/nova-manage', [...nova, 'cell_v2', 'map_cell0', '--database_connection', databaseUrl(input, 'nova_cell0')]);
      await step('nova create_cell', log('nova-manage'), '/usr/bin/nova-manage', [...nova, 'cell_v2', 'create_cell', '--name', 'cell1']);
      await step('nova db sync', log('nova-manage'), '/usr/bin/nova-manage', [...nova, 'db', 'sync']);
    })(),
  ]);
}

/** Runs seed.py with a spec (users, projects, networks, flavors, images, quotas) and returns what it reports. */
export async function seed(log: (n: string) => string, spec: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile('/usr/bin/python3', [join(__dirname, 'seed.py')], { env: systemEnv(), maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      writeFileSync(log('seed'), stderr, { flag: 'a' });
      if (error) reject(new Error(`seeding (${String(spec.phase)}) failed: ${stderr.split('\n').slice(-15).join('\n')}`));
      else resolvePromise(JSON.parse(stdout));
    });
    child.stdin?.end(JSON.stringify(spec));
  });
}

/** Versions of the packages whose schemas the cached databases hold: an upgrade invalidates the cache. */
export async function packagesKey(): Promise<string> {
  const { stdout } = await run('dpkg-query', ['-W', '-f=${Version} ', 'keystone', 'glance-api', 'placement-api', 'python3-nova', 'neutron-server', 'mariadb-server']);
  return `schemas-${createHash('sha256').update(stdout).digest('hex').slice(0, 12)}`;
}
