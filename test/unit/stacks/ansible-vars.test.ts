import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { K3S_LINES } from '../../../config/k3s-components';
import { ansibleVars } from '../../../stacks/ansible-vars';
import { environment } from '../../support/environments';

const rolesDir = join(__dirname, '../../../ansible/roles');
const declared = new Set(
  readdirSync(rolesDir)
    .map((role) => join(rolesDir, role, 'defaults/main.yml'))
    .filter((file) => existsSync(file))
    .flatMap((file) => Object.keys(parse(readFileSync(file, 'utf8')) ?? {})),
);

const ctx = { apiEndpoint: '203.0.113.10', knownHostsFile: 'ansible/inventory/example.known_hosts' };

describe('ansibleVars', () => {
  it('hands Ansible only variables that a role declares in its defaults', () => {
    const airgapped = environment((raw) => {
      raw.cluster.airgap = {
        binary: { url: 'https://mirror.example.com/k3s', sha256: 'a'.repeat(64) },
        images: { path: '/srv/k3s-airgap-images-amd64.tar.zst', sha256: 'b'.repeat(64) },
      };
    });
    const gitops = environment((raw) => (raw.gitops = { enabled: true, repoUrl: 'git@git.example.com:ops/env.git' }));
    for (const env of [environment(), airgapped, gitops]) {
      const names = Object.keys(ansibleVars(env, ctx));
      // ansible_* are Ansible's own connection variables.
      expect(names.filter((n) => !declared.has(n) && !n.startsWith('ansible_'))).toEqual([]);
    }
  });

  it('renders the versions, the flannel backend, the pod and Service networks and the airgap sources from the model', () => {
    const env = environment((raw) => {
      raw.cluster.servers.count = 3;
      raw.cluster.wireguard = true;
      raw.cluster.podCidr = '10.52.0.0/16';
      raw.cluster.serviceCidr = '10.53.0.0/20';
      raw.cluster.airgap = {
        binary: { url: 'https://mirror.example.com/k3s', sha256: 'a'.repeat(64) },
        images: { path: '/srv/images.tar.zst', sha256: 'b'.repeat(64) },
      };
    });
    expect(ansibleVars(env, ctx)).toEqual({
      wolke_environment: 'example',
      wolke_namespace: 'wolke',
      wolke_environment_label: 'wolke.dev/environment',
      wolke_ha: true,
      wolke_manifests_dir: '{{ playbook_dir }}/../dist/example',
      k3s_agent_labels: ['nodepool=worker'],
      k3s_version: 'v1.36.4+k3s1',
      k3s_api_endpoint: '203.0.113.10',
      k3s_flannel_backend: 'wireguard-native',
      k3s_cluster_cidr: '10.52.0.0/16',
      k3s_service_cidr: '10.53.0.0/20',
      ansible_ssh_common_args: '-o StrictHostKeyChecking=yes -o UserKnownHostsFile={{ inventory_dir }}/example.known_hosts',
      wolke_traefik_bundled: true,
      wolke_gitops: false,
      wolke_monitoring: false,
      k3s_airgap: true,
      k3s_airgap_binary_src: 'https://mirror.example.com/k3s',
      k3s_airgap_binary_sha256: 'a'.repeat(64),
      k3s_airgap_images_src: '/srv/images.tar.zst',
      k3s_airgap_images_sha256: 'b'.repeat(64),
    });
  });

  it("hands the deploy role and k3s the model's Traefik switch", () => {
    expect(ansibleVars(environment(), ctx).wolke_traefik_bundled).toBe(true);
    const without = environment((raw) => {
      raw.cluster.traefik = false;
    });
    expect(ansibleVars(without, ctx).wolke_traefik_bundled).toBe(false);
  });

  it("names the CRDs of the Traefik the model's k3s line bundles only when the deploy applies them itself", () => {
    expect(ansibleVars(environment(), ctx)).not.toHaveProperty('deploy_traefik_version');
    const without = environment((raw) => {
      raw.cluster.traefik = false;
      raw.cluster.k3sVersion = 'v1.36.5+k3s1';
    });
    const { traefik, traefikCrdsSha256 } = K3S_LINES['v1.36']!;
    expect(traefik).toMatch(/^v3\./);
    expect(ansibleVars(without, ctx)).toMatchObject({ deploy_traefik_version: traefik, deploy_traefik_crds_sha256: traefikCrdsSha256 });
  });
});
