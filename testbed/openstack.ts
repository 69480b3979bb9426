// Starts an all-in-one OpenStack (Zed, Debian's packages) on loopback: MariaDB, RabbitMQ, keystone, glance, placement,
// nova with fake-driver computes and neutron-server with ML2 and no agents; run by hand it prints the openrc's path.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { cacheRoot } from './cache';
import { computeConfig, databaseUrl, keystoneUrl, openstackConfigs, serviceUsers, type OpenStackConfigInput, type ServiceUser } from './openstack/configs';
import { exampleCloud } from './openstack/example-cloud';
import { freePorts } from './ports';
import { supervise, waitUntil, type Supervised } from './process';
import { identity, openrc, type OpenRc } from './openstack/openrc';
import { httpUp, packagesKey, seed, step, syncSchemas, systemEnv } from './openstack/setup-steps';

export { readOpenrc, type OpenRc } from './openstack/openrc';

const run = promisify(execFile);

/** The external network floating IPs come from; its allocation pool is what the tests can reach. */
export interface ExternalSubnet {
  cidr: string;
  gateway: string;
  poolStart: string;
  poolEnd: string;
}

export interface StartOpenStackOptions {
  /** State folder (databases, configs, logs); a fresh temporary folder, removed on stop, when not given. */
  dir?: string;
  /** Fake-driver nova-compute processes; hard anti-affinity places one node of a role per compute. */
  computes?: number;
  /** The `public` network's subnet; TEST-NET-3 (never routed) when not given. */
  externalSubnet?: ExternalSubnet;
}

export interface OpenStackTestbed {
  /** The non-admin project of the example (raised quotas), as a user's openrc. */
  openrc: OpenRc;
  /** Its openrc file (mode 0600). */
  openrcFile: string;
  /** The cloud admin, for checks and quota changes. */
  adminOpenrc: OpenRc;
  /** The non-admin project's id. */
  projectId: string;
  logDir: string;
  stop(): Promise<void>;
}

export async function startOpenStack(options: StartOpenStackOptions = {}): Promise<OpenStackTestbed> {
  for (const binary of ['/usr/sbin/mariadbd', '/usr/lib/rabbitmq/bin/rabbitmq-server', '/usr/bin/keystone-manage', '/usr/bin/neutron-server', '/usr/bin/nova-api']) {
    if (!existsSync(binary)) throw new Error(`${binary} is missing: run bash testbed/openstack/install.sh (or testbed/setup.sh)`);
  }
  const computes = options.computes ?? 4;
  const ownsDir = options.dir === undefined;
  const dir = resolve(options.dir ?? mkdtempSync(join(tmpdir(), 'wolke-openstack-')));
  const logDir = join(dir, 'logs');
  // Unix sockets have a 108-byte path limit; the state folder may be deep.
  const socketDir = mkdtempSync(join(tmpdir(), 'wolke-os-'));
  for (const d of [logDir, 'keystone', 'glance/images', 'glance/staging', 'glance/tasks', 'placement', 'nova/instances', 'neutron', 'rabbitmq', 'mysql']) {
    mkdirSync(resolve(dir, d), { recursive: true });
  }
  const log = (name: string) => join(logDir, `${name}.log`);

  const [mysql, rabbit, rabbitDist, keystone, glance, placement, nova, neutron, epmd] = await freePorts(9);
  const ports = { mysql, rabbit, rabbitDist, keystone, glance, placement, nova, neutron };
  const secret = () => randomBytes(18).toString('base64url');
  const input: OpenStackConfigInput = {
    dir,
    ports,
    mysqlSocket: join(socketDir, 'mysql.sock'),
    rabbit: { user: 'wolke', password: secret() },
    servicePasswords: Object.fromEntries(serviceUsers.map((u) => [u, secret()])) as Record<ServiceUser, string>,
  };
  const configs = openstackConfigs(input);
  for (const [file, content] of Object.entries(configs)) writeFileSync(join(dir, file), content, { mode: 0o600 });
  const conf = (file: string) => join(dir, file);

  const processes: { name: string; proc: Supervised }[] = [];
  const start = (name: string, command: string, args: string[], env?: Record<string, string>) => {
    const proc = supervise(command, args, { logFile: log(name), env: systemEnv(env) });
    processes.push({ name, proc });
    return proc;
  };
  const epmdEnv = { ERL_EPMD_PORT: String(epmd), ERL_EPMD_ADDRESS: '127.0.0.1' };
  writeFileSync(join(dir, 'pids'), '');
  const recordPids = () => writeFileSync(join(dir, 'pids'), processes.map((p) => `${p.proc.child.pid} ${p.name}\n`).join(''));
  const killAll = () => processes.forEach((p) => p.proc.kill('SIGKILL'));
  process.once('exit', killAll);

  const stop = async () => {
    // Services first, then the message bus and the database they use.
    const infra = new Set(['mariadb', 'rabbitmq']);
    await Promise.all(processes.filter((p) => !infra.has(p.name)).map((p) => p.proc.stop('SIGTERM', 10_000)));
    await Promise.all(processes.filter((p) => infra.has(p.name)).map((p) => p.proc.stop('SIGTERM', 20_000)));
    // RabbitMQ's Erlang started a port mapper of its own (own port); it outlives the node unless told to go.
    await run('epmd', ['-kill'], { env: systemEnv(epmdEnv) }).catch(() => undefined);
    process.removeListener('exit', killAll);
    rmSync(socketDir, { recursive: true, force: true });
    if (ownsDir) rmSync(dir, { recursive: true, force: true });
  };

  try {
    // MariaDB: root logs in through the socket only (unix_socket authentication); no database password exists.
    const dataDir = join(dir, 'mysql', 'data');
    const schemaCache = join(cacheRoot(), 'openstack', await packagesKey(), 'mysql-data');
    const cached = existsSync(join(schemaCache, '.complete'));
    if (cached) cpSync(schemaCache, dataDir, { recursive: true });
    else {
      await step('mariadb-install-db', log('mariadb-install'), '/usr/bin/mariadb-install-db', [
        '--no-defaults', `--datadir=${dataDir}`, '--user=root', '--auth-root-authentication-method=socket', '--skip-test-db',
      ]);
    }
    const startMariadb = async () => {
      rmSync(input.mysqlSocket, { force: true });
      const proc = start('mariadb', '/usr/sbin/mariadbd', [
        '--no-defaults', `--datadir=${dataDir}`, `--socket=${input.mysqlSocket}`, `--port=${ports.mysql}`, '--bind-address=127.0.0.1',
        '--user=root', '--skip-log-bin', '--innodb-buffer-pool-size=128M', '--innodb-flush-log-at-trx-commit=0',
        '--innodb-doublewrite=0', '--max-connections=1000', `--pid-file=${join(dir, 'mysql', 'mariadb.pid')}`,
      ]);
      recordPids();
      await waitUntil('MariaDB', async () => existsSync(input.mysqlSocket), {
        attempts: 240, intervalMs: 250, alive: () => proc.child.exitCode === null,
      });
      return proc;
    };
    const mariadb = startMariadb();
    writeFileSync(join(dir, 'rabbitmq', 'rabbitmq.conf'), [
      `listeners.tcp.default = 127.0.0.1:${ports.rabbit}`,
      `default_user = ${input.rabbit.user}`,
      `default_pass = ${input.rabbit.password}`,
      'loopback_users = none',
      '',
    ].join('\n'), { mode: 0o600 });
    writeFileSync(join(dir, 'rabbitmq', 'enabled_plugins'), '[].\n');
    start('rabbitmq', '/usr/lib/rabbitmq/bin/rabbitmq-server', [], {
      ...epmdEnv,
      HOME: join(dir, 'rabbitmq'),
      RABBITMQ_NODENAME: `wolke${randomBytes(3).toString('hex')}@localhost`,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(ports.rabbit),
      RABBITMQ_DIST_PORT: String(ports.rabbitDist),
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq', 'rabbitmq'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'rabbitmq', 'enabled_plugins'),
      RABBITMQ_MNESIA_BASE: join(dir, 'rabbitmq', 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'rabbitmq', 'log'),
      RABBITMQ_PID_FILE: join(dir, 'rabbitmq', 'rabbitmq.pid'),
    });
    recordPids();
    const database = await mariadb;

    const sql = (statement: string) => step('mariadb', log('mariadb-client'), '/usr/bin/mariadb', [`--socket=${input.mysqlSocket}`, '-e', statement]);
    if (!cached) {
      const databases = ['keystone', 'glance', 'placement', 'nova_api', 'nova', 'nova_cell0', 'neutron'];
      await sql(databases.map((d) => `CREATE DATABASE IF NOT EXISTS ${d};`).join(' '));
      await syncSchemas(conf, input, log);
      // The schemas take most of a first start; later starts copy them (keyed by the packages' versions).
      // A clean copy needs a stopped server; written beside the cache and renamed, so a parallel start never sees half.
      await database.stop('SIGTERM', 30_000);
      processes.splice(processes.findIndex((p) => p.name === 'mariadb'), 1);
      const partial = `${schemaCache}.${process.pid}`;
      mkdirSync(dirname(schemaCache), { recursive: true });
      cpSync(dataDir, partial, { recursive: true });
      writeFileSync(join(partial, '.complete'), '');
      try {
        renameSync(partial, schemaCache);
      } catch {
        rmSync(partial, { recursive: true, force: true });
      }
      await startMariadb();
    } else {
      // The cached cell mapping names the message bus of the run that created it.
      await sql(`UPDATE nova_api.cell_mappings SET transport_url='${`rabbit://${input.rabbit.user}:${input.rabbit.password}@127.0.0.1:${ports.rabbit}/`}', database_connection='${databaseUrl(input, 'nova')}' WHERE name='cell1';`
        + ` UPDATE nova_api.cell_mappings SET database_connection='${databaseUrl(input, 'nova_cell0')}' WHERE name='cell0';`);
    }

    // keystone: keys, admin, the identity endpoint; then the catalog and service users through its API.
    const adminPassword = secret();
    const keystoneConf = ['--config-file', conf('keystone/keystone.conf')];
    await step('keystone fernet_setup', log('keystone-manage'), '/usr/bin/keystone-manage', [...keystoneConf, 'fernet_setup', '--keystone-user', 'root', '--keystone-group', 'root']);
    await step('keystone credential_setup', log('keystone-manage'), '/usr/bin/keystone-manage', [...keystoneConf, 'credential_setup', '--keystone-user', 'root', '--keystone-group', 'root']);
    await step('keystone bootstrap', log('keystone-manage'), '/usr/bin/keystone-manage', [
      ...keystoneConf, 'bootstrap', '--bootstrap-password', adminPassword, '--bootstrap-region-id', 'RegionOne',
      '--bootstrap-admin-url', `${keystoneUrl(ports)}/v3`, '--bootstrap-public-url', `${keystoneUrl(ports)}/v3`,
      '--bootstrap-internal-url', `${keystoneUrl(ports)}/v3`,
    ]);
    const uwsgi = (name: string, port: number, wsgiFile: string, env: Record<string, string>) =>
      start(name, '/usr/bin/uwsgi', [
        '--plugin', 'python3', '--http-socket', `127.0.0.1:${port}`, '--wsgi-file', wsgiFile, '--master', '--processes', '2',
        '--die-on-term', '--need-app', '--enable-threads', '--buffer-size', '65535',
        // Without it clients see "Connection reset by peer" on reused connections.
        '--add-header', 'Connection: close',
      ], env);
    uwsgi('keystone', ports.keystone, '/usr/bin/keystone-wsgi-public', { OS_KEYSTONE_CONFIG_DIR: join(dir, 'keystone') });
    recordPids();
    await waitUntil('keystone', () => httpUp(`${keystoneUrl(ports)}/v3`), { attempts: 240, intervalMs: 250 });

    const admin = identity(ports, 'admin', adminPassword, 'admin');
    const auth = { auth_url: admin.OS_AUTH_URL, username: 'admin', password: adminPassword, project_name: 'admin', user_domain_name: 'Default', project_domain_name: 'Default' };
    const url = (port: number, path = '') => `http://127.0.0.1:${port}${path}`;
    await seed(log, {
      auth,
      phase: 'services',
      servicePasswords: input.servicePasswords,
      catalog: [
        { name: 'glance', type: 'image', url: url(ports.glance) },
        { name: 'placement', type: 'placement', url: url(ports.placement) },
        { name: 'nova', type: 'compute', url: url(ports.nova, '/v2.1') },
        { name: 'neutron', type: 'network', url: url(ports.neutron) },
      ],
    });

    // Conductor, scheduler and computes authenticate at start; they come after their users exist.
    uwsgi('placement', ports.placement, '/usr/bin/placement-api', { OS_PLACEMENT_CONFIG_DIR: join(dir, 'placement') });
    start('glance-api', '/usr/bin/glance-api', ['--config-file', conf('glance/glance-api.conf')]);
    start('neutron-server', '/usr/bin/neutron-server', ['--config-file', conf('neutron/neutron.conf'), '--config-file', conf('neutron/ml2_conf.ini')], {
      PYTHONPATH: join(__dirname, 'openstack', 'ml2'),
    });
    const novaConf = ['--config-file', conf('nova/nova.conf')];
    start('nova-api', '/usr/bin/nova-api', novaConf);
    start('nova-conductor', '/usr/bin/nova-conductor', novaConf);
    start('nova-scheduler', '/usr/bin/nova-scheduler', novaConf);
    for (let i = 1; i <= computes; i++) {
      const host = `compute-${i}`;
      writeFileSync(conf(`nova/${host}.conf`), computeConfig(dir, host));
      mkdirSync(join(dir, 'nova', host), { recursive: true });
      start(`nova-compute-${i}`, '/usr/bin/python3', [
        '-c', 'import sys; from nova.cmd.compute import main; sys.exit(main())', ...novaConf, '--config-file', conf(`nova/${host}.conf`),
      ]);
    }
    recordPids();
    const apis: [string, string][] = [
      ['placement', url(ports.placement)],
      ['glance', url(ports.glance, '/versions')],
      ['neutron', url(ports.neutron)],
      ['nova', url(ports.nova)],
    ];
    await Promise.all(apis.map(([name, u]) => waitUntil(`${name} API (log ${log(name)})`, () => httpUp(u), { attempts: 480, intervalMs: 250 })));

    const ext = options.externalSubnet ?? { cidr: '203.0.113.0/24', gateway: '203.0.113.1', poolStart: '203.0.113.10', poolEnd: '203.0.113.250' };
    const userPassword = secret();
    const created = (await seed(log, {
      auth,
      phase: 'cloud',
      computes,
      flavors: exampleCloud.flavors,
      image: exampleCloud.image,
      externalNetwork: { name: exampleCloud.externalNetwork, ...ext },
      project: { name: exampleCloud.project, user: exampleCloud.project, password: userPassword },
      quotas: exampleCloud.quotas,
    })) as { project: string };

    const adminRc = openrc(join(dir, 'admin-openrc'), admin);
    const openrcFile = join(dir, 'openrc');
    const userRc = openrc(openrcFile, identity(ports, exampleCloud.project, userPassword, exampleCloud.project));
    return { openrc: userRc, openrcFile, adminOpenrc: adminRc, projectId: created.project, logDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

const usage = 'usage: npx tsx testbed/openstack.ts [DIR] [--external-subnet CIDR --pool FIRST-LAST]';

if (require.main === module) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'external-subnet': { type: 'string' }, pool: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals.length > 1 || Boolean(values['external-subnet']) !== Boolean(values.pool)) {
    console.error(usage);
    process.exit(values.help ? 0 : 2);
  }
  const cidr = values['external-subnet'];
  const [poolStart, poolEnd] = values.pool?.split('-') ?? [];
  const externalSubnet = cidr
    ? { cidr, gateway: cidr.replace(/\.\d+\/\d+$/, '.1'), poolStart, poolEnd }
    : undefined;
  startOpenStack({ dir: positionals[0], externalSubnet })
    .then((os) => {
      console.log(`OpenStack ready: source ${os.openrcFile}   (logs: ${os.logDir}; Ctrl-C stops everything)`);
      // Ctrl-C reaches this process twice (from the terminal and relayed by tsx): a repeat must not kill it mid-stop.
      let stopping = false;
      const stop = () => {
        if (stopping) return;
        stopping = true;
        void os.stop().then(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
