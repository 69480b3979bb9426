// The OpenStack test bed's configuration files, rendered from ports, paths and generated passwords (pure).
import { join } from 'node:path';

/** Loopback ports of the test bed's services. */
export interface OpenStackPorts {
  mysql: number;
  rabbit: number;
  rabbitDist: number;
  keystone: number;
  glance: number;
  placement: number;
  nova: number;
  neutron: number;
}

/** The OpenStack services that have a keystone user of their own. */
export const serviceUsers = ['glance', 'placement', 'nova', 'neutron'] as const;
export type ServiceUser = (typeof serviceUsers)[number];

export interface OpenStackConfigInput {
  /** The test bed's state folder. */
  dir: string;
  ports: OpenStackPorts;
  /** MariaDB's socket; root logs in through it by unix_socket authentication, so no database password exists. */
  mysqlSocket: string;
  /** RabbitMQ's user and its generated password. */
  rabbit: { user: string; password: string };
  /** Generated keystone passwords of the service users. */
  servicePasswords: Record<ServiceUser, string>;
}

type Ini = Record<string, Record<string, string | number | boolean>>;

/** Renders an INI file as oslo.config reads it. */
export function renderIni(ini: Ini): string {
  return Object.entries(ini)
    .map(([section, values]) => `[${section}]\n${Object.entries(values).map(([k, v]) => `${k} = ${String(v)}`).join('\n')}\n`)
    .join('\n');
}

export const keystoneUrl = (ports: OpenStackPorts) => `http://127.0.0.1:${ports.keystone}`;

export function databaseUrl(input: OpenStackConfigInput, database: string): string {
  return `mysql+pymysql://root@localhost/${database}?unix_socket=${input.mysqlSocket}&charset=utf8`;
}

const transportUrl = (input: OpenStackConfigInput) =>
  `rabbit://${input.rabbit.user}:${input.rabbit.password}@127.0.0.1:${input.ports.rabbit}/`;

/** The [keystone_authtoken]-style section through which a service validates tokens or calls other services. */
function serviceAuth(input: OpenStackConfigInput, user: ServiceUser): Record<string, string> {
  return {
    www_authenticate_uri: `${keystoneUrl(input.ports)}/v3`,
    auth_url: keystoneUrl(input.ports),
    auth_type: 'password',
    project_domain_name: 'Default',
    user_domain_name: 'Default',
    project_name: 'service',
    username: user,
    password: input.servicePasswords[user],
    region_name: 'RegionOne',
  };
}

/** Every configuration file, by path relative to the state folder. */
export function openstackConfigs(input: OpenStackConfigInput): Record<string, string> {
  const { dir, ports } = input;
  const lockPath = (service: string) => ({ lock_path: join(dir, service, 'lock') });
  return {
    'keystone/keystone.conf': renderIni({
      DEFAULT: { use_stderr: true },
      database: { connection: databaseUrl(input, 'keystone') },
      token: { provider: 'fernet' },
      fernet_tokens: { key_repository: join(dir, 'keystone', 'fernet-keys') },
      fernet_receipts: { key_repository: join(dir, 'keystone', 'fernet-keys') },
      credential: { key_repository: join(dir, 'keystone', 'credential-keys') },
      // Tokens on 2 cores: the default bcrypt cost makes every token request take ~1 s.
      identity: { password_hash_rounds: 4 },
    }),
    'glance/glance-api.conf': renderIni({
      DEFAULT: { bind_host: '127.0.0.1', bind_port: ports.glance, workers: 1, enabled_backends: 'file:file', use_stderr: true },
      database: { connection: databaseUrl(input, 'glance') },
      glance_store: { default_backend: 'file' },
      file: { filesystem_store_datadir: join(dir, 'glance', 'images') },
      os_glance_staging_store: { filesystem_store_datadir: join(dir, 'glance', 'staging') },
      os_glance_tasks_store: { filesystem_store_datadir: join(dir, 'glance', 'tasks') },
      keystone_authtoken: serviceAuth(input, 'glance'),
      paste_deploy: { flavor: 'keystone', config_file: '/etc/glance/glance-api-paste.ini' },
      oslo_concurrency: lockPath('glance'),
    }),
    'placement/placement.conf': renderIni({
      DEFAULT: { use_stderr: true },
      placement_database: { connection: databaseUrl(input, 'placement') },
      api: { auth_strategy: 'keystone' },
      keystone_authtoken: serviceAuth(input, 'placement'),
    }),
    'nova/nova.conf': renderIni({
      DEFAULT: {
        transport_url: transportUrl(input),
        compute_driver: 'fake.FakeDriver',
        my_ip: '127.0.0.1',
        enabled_apis: 'osapi_compute',
        osapi_compute_listen: '127.0.0.1',
        osapi_compute_listen_port: ports.nova,
        osapi_compute_workers: 1,
        state_path: join(dir, 'nova'),
        instances_path: join(dir, 'nova', 'instances'),
        // No agent plugs VIFs, so nova must not wait for Neutron's vif-plugged events.
        vif_plugging_is_fatal: false,
        vif_plugging_timeout: 0,
        use_stderr: true,
      },
      wsgi: { api_paste_config: '/etc/nova/api-paste.ini' },
      api: { auth_strategy: 'keystone' },
      api_database: { connection: databaseUrl(input, 'nova_api') },
      database: { connection: databaseUrl(input, 'nova') },
      conductor: { workers: 1 },
      scheduler: { workers: 1, discover_hosts_in_cells_interval: 5 },
      keystone_authtoken: serviceAuth(input, 'nova'),
      placement: serviceAuth(input, 'placement'),
      neutron: serviceAuth(input, 'neutron'),
      glance: { region_name: 'RegionOne' },
      oslo_concurrency: lockPath('nova'),
      oslo_messaging_notifications: { driver: 'noop' },
    }),
    'neutron/neutron.conf': renderIni({
      DEFAULT: {
        bind_host: '127.0.0.1',
        bind_port: ports.neutron,
        core_plugin: 'ml2',
        service_plugins: 'router',
        auth_strategy: 'keystone',
        transport_url: transportUrl(input),
        api_paste_config: '/etc/neutron/api-paste.ini',
        api_workers: 1,
        rpc_workers: 0,
        rpc_state_report_workers: 0,
        state_path: join(dir, 'neutron'),
        notify_nova_on_port_status_changes: false,
        notify_nova_on_port_data_changes: false,
        use_stderr: true,
      },
      database: { connection: databaseUrl(input, 'neutron') },
      keystone_authtoken: serviceAuth(input, 'neutron'),
      oslo_concurrency: lockPath('neutron'),
    }),
    'neutron/ml2_conf.ini': renderIni({
      ml2: {
        type_drivers: 'flat,vxlan',
        tenant_network_types: 'vxlan',
        // testbed/openstack/ml2: binds ports on any host, as no agent runs here.
        mechanism_drivers: 'wolke_any_host',
        extension_drivers: 'port_security',
      },
      ml2_type_flat: { flat_networks: 'public' },
      ml2_type_vxlan: { vni_ranges: '1:1000' },
    }),
  };
}

/** The per-process file of one fake-driver nova-compute: its host name is its hypervisor. */
export function computeConfig(dir: string, host: string): string {
  return renderIni({ DEFAULT: { host, state_path: join(dir, 'nova', host) } });
}
