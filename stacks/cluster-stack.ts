// One environment's k3s cluster on OpenStack: composes network, security, nodes, inventory and provisioning.
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { Aspects, Fn, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { LocalProvider } from '@cdktf/provider-local/lib/provider';
import { OpenstackProvider } from '../.gen/providers/openstack/provider';
import { ComputeKeypairV2 } from '../.gen/providers/openstack/compute-keypair-v2';
import type { Environment } from '../config/schema';
import { ClusterNetwork } from './network';
import { ClusterSecurity } from './security';
import { NodePool } from './nodes';
import { AnsibleInventory } from './inventory';
import { AnsibleProvision } from './provision';
import { ansibleVars } from './ansible-vars';
import { ClusterPolicyAspect } from './policy-aspect';
import { Preflight } from './preflight';
import { ClusterSecret } from './cluster-secret';
import { HostKeys, KnownHosts } from './host-keys';
import { wantedNodes } from './node-identity';
import { manifestsYaml } from '../charts/manifests';
import { environmentPaths } from '../config/repository-paths';

export interface ClusterStackOptions {
  /** The environment's Kubernetes manifests as deployed (dist/<env>); synthesized from the model when not given. */
  readonly manifests?: string;
}

export class ClusterStack extends TerraformStack {
  readonly servers: NodePool;
  readonly agents: NodePool;

  constructor(scope: Construct, env: Environment, options: ClusterStackOptions = {}) {
    super(scope, env.name);
    const manifests = options.manifests ?? manifestsYaml(env);
    const { openstack, cluster } = env;
    const prefix = `wolke-${env.name}`;
    const paths = environmentPaths(env.name);

    Aspects.of(this).add(new ClusterPolicyAspect({ allowWorldAccess: openstack.allowWorldAccess }));

    new LocalProvider(this, 'local', {});
    // The prebuilt bindings pin local 2.6.1 exactly; any 2.6+ has the same local_file and the preflight's local_command.
    this.addOverride('terraform.required_providers.local.version', '~> 2.6');
    if (env.state) {
      new S3Backend(this, {
        bucket: env.state.bucket,
        key: env.state.key,
        region: env.state.region,
        endpoints: { s3: env.state.endpoint },
        usePathStyle: env.state.pathStyle,
        skipCredentialsValidation: true,
        skipRegionValidation: true,
        skipRequestingAccountId: true,
        skipMetadataApiCheck: true,
        skipS3Checksum: true,
      });
      // Terraform's own S3 lock (a .tflock object written with a conditional PUT): without it two deploys
      // of one environment would both write the state.
      this.addOverride('terraform.backend.s3.use_lockfile', true);
    }

    const network = new ClusterNetwork(this, 'network', {
      namePrefix: prefix,
      externalNetwork: openstack.externalNetwork,
      network: openstack.network,
    });
    const security = new ClusterSecurity(this, 'security', {
      namePrefix: prefix,
      servers: cluster.servers.count,
      wireguard: cluster.wireguard,
      adminCidrs: openstack.adminCidrs,
      ingressCidrs: openstack.ingressCidrs,
    });
    const keyPair = openstack.keypair.publicKey
      ? [new ComputeKeypairV2(this, 'keypair', { name: openstack.keypair.name, publicKey: openstack.keypair.publicKey })]
      : [];

    // The roll: the preflight reads what runs now and decides what every node runs after this apply.
    const wanted = wantedNodes(env);
    const preflight = new Preflight(this, 'preflight', {
      prefix,
      externalNetwork: openstack.externalNetwork,
      image: openstack.image,
      availabilityZones: openstack.availabilityZones,
      keypair: { name: openstack.keypair.name, publicKey: openstack.keypair.publicKey },
      nodes: wanted.map(({ slot, role, target }) => ({ slot, role, target })),
      surge: cluster.rollSurge,
      serverGroupPolicy: openstack.serverGroupPolicy,
      clusterNetworks: { podCidr: cluster.podCidr, serviceCidr: cluster.serviceCidr },
      ...('existing' in openstack.network ? { existingNetwork: { name: openstack.network.existing, subnet: openstack.network.subnet } } : {}),
    });
    // Credentials come from the OS_* environment (openrc); nothing secret is synthesized. The region is the one the
    // preflight checked, which also makes Terraform run the preflight before it configures this provider.
    new OpenstackProvider(this, 'openstack', { region: preflight.region });

    const secret = new ClusterSecret(this, 'cluster-secret');
    const hostKeys = new HostKeys(this, 'host-keys', { names: wanted.map((n) => preflight.planned(n.slot).name), secret });
    const pool = (role: 'server' | 'agent') =>
      new NodePool(this, `${role}s`, {
        namePrefix: prefix,
        role,
        slots: wanted.filter((n) => n.role === role).map((n) => n.slot),
        planned: (slot) => preflight.planned(slot),
        bootFromVolume: openstack.bootVolumeSize !== undefined,
        hostKeys,
        securityGroupId: security.groupIds[`${role}s`],
        networkId: network.networkId,
        subnetId: network.subnetId,
        floatingIpPool: openstack.externalNetwork,
        serverGroupPolicy: openstack.serverGroupPolicy,
        externalRoute: network.externalRoute,
        serverDependsOn: keyPair,
        clusterNetworks: { podCidr: cluster.podCidr, serviceCidr: cluster.serviceCidr },
      });
    this.servers = pool('server');
    this.agents = pool('agent');
    const nodes = [...this.servers.nodes, ...this.agents.nodes];
    const knownHosts = new KnownHosts(this, 'known-hosts', {
      path: paths.knownHosts,
      entries: nodes.map((n) => ({ address: n.floatingIp, publicKey: hostKeys.publicKey(n.name) })),
    });

    const master = this.servers.nodes[0];
    const inventory = new AnsibleInventory(this, 'inventory', {
      path: paths.inventory,
      servers: this.servers.nodes,
      agents: this.agents.nodes,
      sshUser: openstack.sshUser,
      vars: ansibleVars(env, { apiEndpoint: master.floatingIp, knownHostsFile: paths.knownHosts }),
    });
    new AnsibleProvision(this, 'provision', {
      inventory: { name: paths.inventory.split('/').pop()!, content: inventory.content },
      knownHosts: { name: paths.knownHosts.split('/').pop()!, content: knownHosts.content },
      // Ansible connects through the floating IPs: only once every one is associated.
      dependsOn: nodes.map((n) => n.association),
      // The join tokens reach Ansible in its environment only: never in a file, the plan or the log. The join address
      // too: it is the roll step's (a server that stays up through it), and in the inventory it would change the plan
      // whenever the cluster's first server changes, so a re-apply would never be a no-op.
      environment: {
        WOLKE_K3S_JOIN_ADDRESS: preflight.joinAddress,
        WOLKE_K3S_TOKEN: Fn.nonsensitive(secret.derive('k3s-token')),
        WOLKE_K3S_AGENT_TOKEN: Fn.nonsensitive(secret.derive('k3s-agent-token')),
      },
      triggers: {
        servers: this.servers.nodes.map((n) => n.serverId),
        agents: this.agents.nodes.map((n) => n.serverId),
        k3s_version: cluster.k3sVersion,
        app_versions: Object.entries(env.apps.images).map(([app, i]) => `${app}=${i.version}`),
        // The manifests themselves: any change of what is deployed re-runs the (idempotent) deploy.
        manifests: createHash('sha256').update(manifests).digest('hex').slice(0, 16),
      },
    });

    const webHost = env.apps.ingress.host ?? this.agents.nodes[0]?.floatingIp ?? master.floatingIp;
    const scheme = env.apps.ingress.tlsSecret ? 'https' : 'http';
    new TerraformOutput(this, 'master_floating_ip', { value: master.floatingIp, description: 'Floating IP of the first k3s server' });
    new TerraformOutput(this, 'kubernetes_api_url', { value: `https://${master.floatingIp}:6443`, description: 'Kubernetes API (reachable from the admin CIDRs)' });
    new TerraformOutput(this, 'web_url', { value: `${scheme}://${webHost}/`, description: 'Web UI through the Traefik ingress' });
    new TerraformOutput(this, 'nodes_waiting_to_roll', {
      value: preflight.waiting,
      description: 'Nodes still on the old spec: run `cdktf deploy` again until this is empty',
    });
    new TerraformOutput(this, 'inventory_path', { value: paths.inventory, description: 'Ansible inventory written by this stack' });
    new TerraformOutput(this, 'kubeconfig_path', { value: paths.kubeconfig, description: 'kubeconfig fetched by Ansible (mode 0600)' });
  }
}
