// Common mistakes in an environment file, one per row: each is refused with its path before anything is written.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { inventoryOf } from '../../../scripts/cli/cluster';
import { main } from '../../../scripts/wolke';
import type { Environment } from '../../../config/schema';
import { exampleInput } from '../../support/environments';
import { recordingIo } from '../../support/recording-io';

type Raw = Record<string, any>;

/** A mistake: the system that would refuse it later, the edit of the example, and the path the refusal names. */
interface Mistake {
  system: string;
  what: string;
  /** Edits the parsed example, or (a string) replaces the file's text. */
  edit: ((raw: Raw) => void) | ((text: string) => string);
  path: string;
  /** A part of the message that says what to write instead, where there is one. */
  says?: RegExp;
  /** The edit works on the text, not the parsed document. */
  text?: boolean;
}

const state = (key: string, bucket = 'tfstate') => ({ endpoint: 'https://s3.example.com', bucket, key });

const mistakes: Mistake[] = [
  // OpenStack: Nova, Neutron, Glance, Cinder
  { system: 'Nova', what: 'a keypair name with @', edit: (r: Raw) => (r.openstack.keypair.name = 'me@laptop'), path: 'openstack.keypair.name', says: /e\.g\. "me-laptop"/ },
  { system: 'Nova', what: 'a keypair name with a dot', edit: (r: Raw) => (r.openstack.keypair.name = 'id.rsa'), path: 'openstack.keypair.name' },
  { system: 'Nova', what: 'a keypair name ending in a space', edit: (r: Raw) => (r.openstack.keypair.name = 'wolke-mistake '), path: 'openstack.keypair.name' },
  { system: 'Nova', what: 'an availability zone with a host', edit: (r: Raw) => (r.openstack.availabilityZones = ['nova:compute-1']), path: 'openstack.availabilityZones.0' },
  { system: 'Nova', what: 'a repeated availability zone', edit: (r: Raw) => (r.openstack.availabilityZones = ['az1', 'az1']), path: 'openstack.availabilityZones.1' },
  { system: 'Nova', what: 'an empty flavor', edit: (r: Raw) => (r.cluster.servers.flavor = ''), path: 'cluster.servers.flavor' },
  { system: 'Nova', what: 'a flavor name over 255 characters', edit: (r: Raw) => (r.cluster.agents.flavor = 'm'.repeat(256)), path: 'cluster.agents.flavor' },
  { system: 'Glance', what: 'an image name with a leading space', edit: (r: Raw) => (r.openstack.image = ' debian-12'), path: 'openstack.image' },
  { system: 'Neutron', what: 'an empty external network', edit: (r: Raw) => (r.openstack.externalNetwork = ''), path: 'openstack.externalNetwork' },
  { system: 'Neutron', what: 'a subnet with host bits', edit: (r: Raw) => (r.openstack.network.cidr = '10.20.0.5/24'), path: 'openstack.network.cidr', says: /write 10\.20\.0\.0\/24/ },
  { system: 'Neutron', what: 'an IPv6 subnet (floating IPs are IPv4)', edit: (r: Raw) => (r.openstack.network.cidr = '2001:db8::/64'), path: 'openstack.network.cidr' },
  { system: 'Neutron', what: 'too small a subnet for a roll', edit: (r: Raw) => (r.openstack.network.cidr = '10.20.0.0/29'), path: 'openstack.network.cidr', says: /larger network/ },
  { system: 'Neutron', what: 'six DNS servers', edit: (r: Raw) => (r.openstack.network.dnsNameservers = ['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4', '9.9.9.9', '149.112.112.112']), path: 'openstack.network.dnsNameservers' },
  { system: 'Neutron', what: 'a repeated DNS server', edit: (r: Raw) => (r.openstack.network.dnsNameservers = ['9.9.9.9', '9.9.9.9']), path: 'openstack.network.dnsNameservers.1' },
  { system: 'Neutron', what: 'a DNS server by name', edit: (r: Raw) => (r.openstack.network.dnsNameservers = ['dns.quad9.net']), path: 'openstack.network.dnsNameservers.0' },
  { system: 'Neutron', what: 'an admin CIDR with host bits', edit: (r: Raw) => (r.openstack.adminCidrs = ['192.0.2.1/24']), path: 'openstack.adminCidrs.0', says: /write 192\.0\.2\.0\/24/ },
  { system: 'Neutron', what: 'a repeated admin CIDR', edit: (r: Raw) => (r.openstack.adminCidrs = ['192.0.2.0/24', '192.0.2.0/24']), path: 'openstack.adminCidrs.1' },
  { system: 'Neutron', what: 'more admin CIDRs than the rule quota holds', edit: (r: Raw) => (r.openstack.adminCidrs = Array.from({ length: 21 }, (_, i) => `10.${i}.0.0/16`)), path: 'openstack.adminCidrs' },
  { system: 'Neutron', what: 'an ingress CIDR with host bits', edit: (r: Raw) => (r.openstack.ingressCidrs = ['198.51.100.7/24']), path: 'openstack.ingressCidrs.0' },
  { system: 'Neutron', what: 'a network that is both new and existing', edit: (r: Raw) => (r.openstack.network = { existing: 'shared', cidr: '10.20.0.0/24' }), path: 'openstack.network' },
  { system: 'Neutron', what: 'SSH open to the world without the opt-in', edit: (r: Raw) => (r.openstack.adminCidrs = ['0.0.0.0/0']), path: 'openstack.adminCidrs.0', says: /allowWorldAccess: true/ },
  { system: 'Cinder', what: 'a boot volume of 0 GiB', edit: (r: Raw) => (r.openstack.bootVolumeSize = 0), path: 'openstack.bootVolumeSize' },
  { system: 'Cinder', what: 'a boot volume beyond int32', edit: (r: Raw) => (r.openstack.bootVolumeSize = 3_000_000_000), path: 'openstack.bootVolumeSize' },
  { system: 'Cinder', what: 'a boot volume with a unit', edit: (r: Raw) => (r.openstack.bootVolumeSize = '40GB'), path: 'openstack.bootVolumeSize' },
  { system: 'Nova', what: 'an anti-affinity policy Nova does not have', edit: (r: Raw) => (r.openstack.serverGroupPolicy = 'spread'), path: 'openstack.serverGroupPolicy' },
  { system: 'cloud-init', what: 'a login user in capitals', edit: (r: Raw) => (r.openstack.sshUser = 'Debian'), path: 'openstack.sshUser' },
  // k3s, etcd and the Kubernetes network
  { system: 'k3s', what: 'a version without +k3s', edit: (r: Raw) => (r.cluster.k3sVersion = 'v1.31.4'), path: 'cluster.k3sVersion' },
  { system: 'k3s', what: 'a channel instead of a version', edit: (r: Raw) => (r.cluster.k3sVersion = 'stable'), path: 'cluster.k3sVersion' },
  { system: 'k3s', what: 'a release older than Pod Security admission', edit: (r: Raw) => (r.cluster.k3sVersion = 'v1.24.17+k3s1'), path: 'cluster.k3sVersion' },
  {
    system: 'Traefik',
    what: 'its own CRDs for a k3s line whose Traefik wolke does not know',
    edit: (r: Raw) => {
      r.cluster.traefik = false;
      r.cluster.k3sVersion = 'v1.31.4+k3s1';
    },
    path: 'cluster.k3sVersion',
    says: /with cluster\.traefik: false the deploy applies the CRDs of the Traefik that k3s v1\.31 bundles, which wolke knows for v1\.36 only/,
  },
  { system: 'k3s', what: 'a node subnet inside the pod network', edit: (r: Raw) => (r.openstack.network.cidr = '10.42.0.0/24'), path: 'openstack.network.cidr', says: /cluster-cidr/ },
  { system: 'k3s', what: 'a node subnet inside the Service network', edit: (r: Raw) => (r.openstack.network.cidr = '10.43.8.0/24'), path: 'openstack.network.cidr' },
  { system: 'OpenStack metadata', what: 'a link-local node subnet', edit: (r: Raw) => (r.openstack.network.cidr = '169.254.10.0/24'), path: 'openstack.network.cidr' },
  { system: 'etcd', what: 'an even number of servers', edit: (r: Raw) => (r.cluster.servers.count = 4), path: 'cluster.servers.count' },
  { system: 'etcd', what: 'nine servers', edit: (r: Raw) => (r.cluster.servers.count = 9), path: 'cluster.servers.count' },
  { system: 'synth', what: 'a huge node count', edit: (r: Raw) => (r.cluster.agents.count = 100_000), path: 'cluster.agents.count' },
  { system: 'k3s', what: 'no agents for the tainted servers', edit: (r: Raw) => (r.cluster.agents.count = 0), path: 'cluster.agents.count' },
  { system: 'Kubernetes scheduler', what: 'agents that cannot hold the pods with one drained', edit: (r: Raw) => (r.cluster.agents.flavor = 'm1.large'), path: 'cluster.agents', says: /holds 3500m CPU and 7168 MiB for pods, but the pods request 3250m CPU and 13888 MiB .*set cluster\.agents\.count to 3 or more/ },
  { system: 'Kubernetes scheduler', what: 'a single agent, which a drain empties', edit: (r: Raw) => (r.cluster.agents.count = 1), path: 'cluster.agents', says: /set cluster\.agents\.count to 2 or more/ },
  { system: 'Kubernetes scheduler', what: 'an HPA ceiling the agents cannot hold during a drain', edit: (r: Raw) => (r.apps.api.maxReplicas = 40), path: 'cluster.agents', says: /api 40 × \(256 MiB, 100m\) at the HPA's maxReplicas/ },
  { system: 'Kubernetes scheduler', what: 'more MinIO pods than one agent holds', edit: (r: Raw) => (r.apps.minio = { replicas: 16 }), path: 'cluster.agents', says: /minio 16 × \(1024 MiB, 250m\)/ },
  { system: 'Kubernetes scheduler', what: 'agents smaller than one Kafka pod', edit: (r: Raw) => (r.cluster.agents = { count: 20, flavor: 'm1.small' }), path: 'cluster.agents', says: /one kafka pod alone needs more than an agent holds; set a larger cluster\.agents\.flavor/ },
  { system: 'Nova', what: 'a flavor whose size wolke does not know', edit: (r: Raw) => (r.cluster.agents.flavor = 'b1.c8r16'), path: 'cluster.agents.flavor', says: /give it as cluster\.agents\.vcpus and cluster\.agents\.ramMiB \(see `openstack flavor show b1\.c8r16`\)/ },
  { system: 'Nova', what: 'a flavor\'s vcpus without its RAM', edit: (r: Raw) => (r.cluster.agents = { count: 2, flavor: 'b1.c8r16', vcpus: 8 }), path: 'cluster.agents.ramMiB', says: /give both vcpus and ramMiB/ },
  { system: 'Nova', what: 'a flavor\'s RAM in GiB', edit: (r: Raw) => (r.cluster.agents = { count: 2, flavor: 'b1.c8r16', vcpus: 8, ramMiB: 16 }), path: 'cluster.agents.ramMiB', says: /at least 512/ },
  { system: 'k3s', what: 'an airgap image archive k3s does not import', edit: (r: Raw) => (r.cluster.airgap = { binary: { url: 'https://mirror.example.com/k3s', sha256: 'a'.repeat(64) }, images: { path: '/srv/k3s-images.zip', sha256: 'b'.repeat(64) } }), path: 'cluster.airgap.images.path' },
  { system: 'Ansible', what: 'a relative airgap path', edit: (r: Raw) => (r.cluster.airgap = { binary: { path: 'k3s', sha256: 'a'.repeat(64) }, images: { path: '/srv/images.tar.zst', sha256: 'b'.repeat(64) } }), path: 'cluster.airgap.binary.path' },
  { system: 'Ansible', what: 'an upper-case sha256', edit: (r: Raw) => (r.cluster.airgap = { binary: { url: 'https://mirror.example.com/k3s', sha256: 'A'.repeat(64) }, images: { path: '/srv/images.tar', sha256: 'b'.repeat(64) } }), path: 'cluster.airgap.binary.sha256' },
  // Kubernetes: names, labels, quantities, int32
  { system: 'Kubernetes', what: 'the kube-system namespace', edit: (r: Raw) => (r.apps.namespace = 'kube-system'), path: 'apps.namespace', says: /CoreDNS, Traefik/ },
  { system: 'Kubernetes', what: 'the default namespace', edit: (r: Raw) => (r.apps.namespace = 'default'), path: 'apps.namespace' },
  { system: 'Kubernetes', what: 'a namespace that is no DNS label', edit: (r: Raw) => (r.apps.namespace = 'My_App'), path: 'apps.namespace', says: /e\.g\. "my-app"/ },
  { system: 'Kubernetes', what: 'a namespace over 63 characters', edit: (r: Raw) => (r.apps.namespace = 'w'.repeat(64)), path: 'apps.namespace' },
  { system: 'Kubernetes', what: 'a storage size of 10GB', edit: (r: Raw) => (r.apps.kafka = { storage: '10GB' }), path: 'apps.kafka.storage', says: /not "10GB": write 10Gi \(or 10G for powers of ten\)$/ },
  { system: 'Kubernetes', what: 'a storage size with a space', edit: (r: Raw) => (r.apps.minio = { storage: '10 Gi' }), path: 'apps.minio.storage', says: /write 10Gi/ },
  { system: 'Kafka', what: 'a volume smaller than a log segment', edit: (r: Raw) => (r.apps.kafka = { storage: '512Mi' }), path: 'apps.kafka.storage' },
  { system: 'Kubernetes', what: 'a fraction of a byte (milli)', edit: (r: Raw) => (r.apps.minio = { storage: '100m' }), path: 'apps.minio.storage' },
  { system: 'Kubernetes', what: 'replicas beyond int32', edit: (r: Raw) => (r.apps.web.replicas = 3_000_000_000), path: 'apps.web.replicas' },
  { system: 'Kubernetes', what: 'an HPA ceiling beyond int32', edit: (r: Raw) => (r.apps.api.maxReplicas = 1e10), path: 'apps.api.maxReplicas' },
  { system: 'Kubernetes', what: 'an HPA floor of 0', edit: (r: Raw) => (r.apps.api.minReplicas = 0), path: 'apps.api.minReplicas' },
  { system: 'Kubernetes', what: 'a CPU target over 100 %', edit: (r: Raw) => (r.apps.api.cpuTarget = 150), path: 'apps.api.cpuTarget' },
  { system: 'Kubernetes', what: 'an IP address as Ingress host', edit: (r: Raw) => (r.apps.ingress = { host: '203.0.113.10' }), path: 'apps.ingress.host' },
  { system: 'Kubernetes', what: 'an Ingress host in capitals', edit: (r: Raw) => (r.apps.ingress = { host: 'Shop.Example.com' }), path: 'apps.ingress.host' },
  { system: 'Kubernetes', what: 'a URL as Ingress host', edit: (r: Raw) => (r.apps.ingress = { host: 'https://shop.example.com' }), path: 'apps.ingress.host' },
  { system: 'Kubernetes', what: 'a Secret name with _', edit: (r: Raw) => (r.apps.ingress = { tlsSecret: 'wolke_tls' }), path: 'apps.ingress.tlsSecret' },
  { system: 'Kubernetes', what: 'zero processors', edit: (r: Raw) => (r.apps.processor = { replicas: 0 }), path: 'apps.processor.replicas' },
  { system: 'Kubernetes', what: 'a load generator running a day', edit: (r: Raw) => (r.apps.loadgen = { enabled: true, durationSeconds: 86_400 }), path: 'apps.loadgen.durationSeconds' },
  { system: 'registry', what: 'a tag in the image name', edit: (r: Raw) => (r.apps.images.api.image = 'registry.example.com/wolke/api:1.0'), path: 'apps.images.api.image' },
  { system: 'registry', what: 'an image path in capitals', edit: (r: Raw) => (r.apps.images.api.image = 'registry.example.com/Wolke/api'), path: 'apps.images.api.image' },
  { system: 'registry', what: 'the latest tag', edit: (r: Raw) => (r.apps.images.web.version = 'latest'), path: 'apps.images.web.version' },
  { system: 'YAML', what: 'a version YAML reads as a number', edit: (t: string) => t.replace('version: 0.1.0', 'version: 1.10'), text: true, path: 'apps.images.api.version', says: /got the number 1\.1, from 1\.10; put it in quotes so YAML keeps it as written: "1\.10"\)$/ },
  { system: 'sharp', what: 'a WebP rendition larger than WebP allows', edit: (r: Raw) => (r.apps.processor = { renditions: [{ name: 'poster', size: 20_000, format: 'webp' }] }), path: 'apps.processor.renditions.0.size' },
  { system: 'sharp', what: 'a quality for a lossless PNG rendition', edit: (r: Raw) => (r.apps.processor = { renditions: [{ name: 'icon', size: 64, format: 'png', quality: 80 }] }), path: 'apps.processor.renditions.0.quality' },
  { system: 'sharp', what: 'an effort for a JPEG rendition', edit: (r: Raw) => (r.apps.processor = { renditions: [{ name: 'photo', size: 640, format: 'jpeg', effort: 4 }] }), path: 'apps.processor.renditions.0.effort' },
  { system: 'sharp', what: 'a WebP effort above libwebp\'s 6', edit: (r: Raw) => (r.apps.processor = { renditions: [{ name: 'thumb', size: 320, format: 'webp', effort: 7 }] }), path: 'apps.processor.renditions.0.effort' },
  { system: 'api', what: 'two renditions of one name', edit: (r: Raw) => (r.apps.processor = { renditions: [{ name: 'thumb', size: 320, format: 'webp' }, { name: 'thumb', size: 320, format: 'avif' }] }), path: 'apps.processor.renditions.1.name' },
  { system: 'MinIO', what: 'a rendition name that is no label', edit: (r: Raw) => (r.apps.processor = { renditions: [{ name: 'Thumb Small', size: 320, format: 'webp' }] }), path: 'apps.processor.renditions.0.name' },
  { system: 'processor', what: 'objects larger than the processor holds', edit: (r: Raw) => (r.apps.processor = { maxBytes: 10 * 2 ** 30 }), path: 'apps.processor.maxBytes' },
  // MinIO and S3
  { system: 'MinIO', what: 'a bucket name of two characters', edit: (r: Raw) => (r.apps.buckets.uploads = 'up'), path: 'apps.buckets.uploads' },
  { system: 'MinIO', what: 'a bucket name in capitals', edit: (r: Raw) => (r.apps.buckets.uploads = 'Uploads'), path: 'apps.buckets.uploads' },
  { system: 'MinIO', what: 'a bucket name with _', edit: (r: Raw) => (r.apps.buckets.processed = 'processed_images'), path: 'apps.buckets.processed' },
  { system: 'MinIO', what: 'the reserved bucket minio', edit: (r: Raw) => (r.apps.buckets.uploads = 'minio'), path: 'apps.buckets.uploads' },
  { system: 'MinIO', what: 'a bucket named like an IP', edit: (r: Raw) => (r.apps.buckets.processed = '192.168.1.1'), path: 'apps.buckets.processed' },
  { system: 'MinIO', what: 'a bucket name with ..', edit: (r: Raw) => (r.apps.buckets.processed = 'pro..cessed'), path: 'apps.buckets.processed' },
  { system: 'MinIO', what: 'one bucket for uploads and renditions', edit: (r: Raw) => (r.apps.buckets.processed = 'uploads'), path: 'apps.buckets.processed' },
  { system: 'MinIO', what: 'the lake in the uploads bucket', edit: (r: Raw) => (r.apps.buckets.lake = 'uploads'), path: 'apps.buckets.lake', says: /must differ from apps\.buckets\.uploads/ },
  { system: 'detector', what: 'an EWMA weight above 1', edit: (r: Raw) => (r.apps.detector = { alpha: 1.5 }), path: 'apps.detector.alpha', says: /must be at most 1/ },
  { system: 'detector', what: 'a warm-up of one reading', edit: (r: Raw) => (r.apps.detector = { warmup: 1 }), path: 'apps.detector.warmup', says: /a variance needs two readings/ },
  { system: 'producer', what: 'an anomaly rate given in percent', edit: (r: Raw) => (r.apps.producer = { anomalyRate: 5 }), path: 'apps.producer.anomalyRate', says: /between 0 and 1/ },
  { system: 'MinIO', what: 'three MinIO pods', edit: (r: Raw) => (r.apps.minio = { replicas: 3 }), path: 'apps.minio.replicas' },
  { system: 'MinIO', what: 'a drive below MinIO\'s minimum', edit: (r: Raw) => (r.apps.minio = { storage: '500Mi' }), path: 'apps.minio.storage' },
  { system: 'api', what: 'a MinIO endpoint with a path', edit: (r: Raw) => (r.apps.minio = { publicEndpoint: 'https://s3.example.com/minio' }), path: 'apps.minio.publicEndpoint' },
  { system: 'Kubernetes', what: 'credentials in the MinIO endpoint', edit: (r: Raw) => (r.apps.minio = { publicEndpoint: 'https://admin:secret@s3.example.com' }), path: 'apps.minio.publicEndpoint' },
  { system: 'S3', what: 'a state bucket with _', edit: (r: Raw) => (r.state = state('wolke/mistake.tfstate', 'tf_state')), path: 'state.bucket' },
  { system: 'Terraform', what: 'a state key starting with /', edit: (r: Raw) => (r.state = state('/wolke/mistake.tfstate')), path: 'state.key' },
  { system: 'Terraform', what: 'a state key of another environment', edit: (r: Raw) => (r.state = state('wolke/example.tfstate')), path: 'state.key', says: /wolke\/mistake\.tfstate/ },
  // Argo CD
  { system: 'Argo CD', what: 'GitOps on without a repository', edit: (r: Raw) => (r.gitops = { enabled: true }), path: 'gitops.repoUrl', says: /required when gitops\.enabled/ },
  { system: 'Argo CD', what: 'a token in the repository URL', edit: (r: Raw) => (r.gitops = { enabled: true, repoUrl: 'https://ci:ghp_x@git.example.com/ops/env.git' }), path: 'gitops.repoUrl', says: /repository Secret/ },
  { system: 'Argo CD', what: 'a repository given by name only', edit: (r: Raw) => (r.gitops = { enabled: true, repoUrl: 'ops-env' }), path: 'gitops.repoUrl' },
  { system: 'Argo CD', what: 'a manifests path leaving the repository', edit: (r: Raw) => (r.gitops = { enabled: true, repoUrl: 'git@git.example.com:ops/env.git', path: '../../dist/prod' }), path: 'gitops.path', says: /without "\.\."/ },
  { system: 'Argo CD', what: 'an absolute manifests path', edit: (r: Raw) => (r.gitops = { enabled: true, repoUrl: 'git@git.example.com:ops/env.git', path: '/dist/prod' }), path: 'gitops.path' },
  { system: 'Argo CD', what: 'an Argo CD namespace in capitals', edit: (r: Raw) => (r.gitops = { enabled: true, repoUrl: 'git@git.example.com:ops/env.git', argocdNamespace: 'ArgoCD' }), path: 'gitops.argocdNamespace' },
  // Kafka
  { system: 'Kafka', what: 'a topic without partitions', edit: (r: Raw) => (r.apps.topics.events.partitions = 0), path: 'apps.topics.events.partitions' },
  { system: 'Kafka', what: 'a hundred thousand partitions', edit: (r: Raw) => (r.apps.topics.results.partitions = 100_000), path: 'apps.topics.results.partitions' },
  { system: 'Kafka', what: 'fewer copies than min.insync.replicas', edit: (r: Raw) => (r.apps.topics.events.replication = 1), path: 'apps.topics.events.replication', says: /acks=all/ },
  { system: 'Kafka', what: 'more copies than brokers', edit: (r: Raw) => (r.apps.topics['minio-events.dlq'].replication = 5), path: 'apps.topics.minio-events.dlq.replication' },
  { system: 'Kafka', what: 'a topic name with _ for -', edit: (r: Raw) => { r.apps.topics.minio_events = r.apps.topics['minio-events']; delete r.apps.topics['minio-events']; }, path: 'apps.topics', says: /did you mean "minio-events"/ },
  { system: 'Kafka', what: 'fifteen KRaft voters', edit: (r: Raw) => (r.apps.kafka = { replicas: 15 }), path: 'apps.kafka.replicas' },
  { system: 'Kafka', what: 'more processors than partitions', edit: (r: Raw) => (r.apps.processor = { replicas: 8 }), path: 'apps.processor.replicas' },
  { system: 'producer', what: 'a sensor id with a comma', edit: (r: Raw) => (r.apps.producer = { sensors: ['north,south'] }), path: 'apps.producer.sensors.0' },
  { system: 'producer', what: 'a repeated sensor', edit: (r: Raw) => (r.apps.producer = { sensors: ['A', 'A'] }), path: 'apps.producer.sensors.1' },
  { system: 'producer', what: 'a rate of zero', edit: (r: Raw) => (r.apps.producer = { ratePerSecond: 0 }), path: 'apps.producer.ratePerSecond' },
  { system: 'aggregator', what: 'a window of zero', edit: (r: Raw) => (r.apps.aggregator = { window: 0 }), path: 'apps.aggregator.window' },
  // The file itself
  { system: 'YAML', what: 'a snake_case key', edit: (r: Raw) => { r.cluster.k3s_version = r.cluster.k3sVersion; delete r.cluster.k3sVersion; }, path: 'cluster', says: /did you mean "k3sVersion"/ },
  { system: 'YAML', what: 'a singular key', edit: (r: Raw) => { r.openstack.availabilityZone = r.openstack.availabilityZones; delete r.openstack.availabilityZones; }, path: 'openstack', says: /did you mean "availabilityZones"/ },
  { system: 'YAML', what: 'a count in quotes', edit: (r: Raw) => (r.cluster.agents.count = '3'), path: 'cluster.agents.count', says: /without quotes/ },
  { system: 'YAML', what: 'a switch written as yes', edit: (r: Raw) => (r.cluster.wireguard = 'yes'), path: 'cluster.wireguard', says: /true or false/ },
  { system: 'YAML', what: 'an empty file', edit: () => '', text: true, path: '(top level)', says: /the file is empty/ },
  { system: 'YAML', what: 'a list at the top', edit: () => '- name: mistake\n', text: true, path: '(top level)', says: /got a list/ },
  { system: 'YAML', what: 'a key given twice', edit: (t: string) => `${t}name: mistake\n`, text: true, path: 'FILE', says: /^ {2}\S+: Map keys must be unique at line \d+, column 1$/ },
  { system: 'YAML', what: 'a tab for indentation', edit: (t: string) => t.replace('  externalNetwork: public', '\texternalNetwork: public'), text: true, path: 'FILE', says: /Tabs are not allowed as indentation at line 3, column 1 \(and \d+ more after it\)$/ },
  { system: 'wolke', what: 'a name that differs from the file', edit: (r: Raw) => (r.name = 'example'), path: 'name', says: /set name: mistake/ },
  { system: 'wolke', what: 'a name in capitals', edit: (r: Raw) => (r.name = 'Mistake'), path: 'name' },
];

/** Writes the example, as environment `mistake` with an inline key, with the mistake applied; returns the file. */
function writeMistake(mistake: Mistake): string {
  const raw = exampleInput();
  raw.name = 'mistake';
  raw.openstack.keypair = { name: 'wolke-mistake', publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA2qBX0 me@laptop' };
  let text = stringify(raw);
  if (mistake.text) text = (mistake.edit as (t: string) => string)(text);
  else {
    (mistake.edit as (r: Raw) => void)(raw);
    text = stringify(raw);
  }
  const file = join(mkdtempSync(join(tmpdir(), 'wolke-mistake-')), 'mistake.yaml');
  writeFileSync(file, text);
  return file;
}

describe('common mistakes in an environment file', () => {
  it('has at least 60 distinct mistakes from every receiving system', () => {
    expect(new Set(mistakes.map((m) => m.what)).size).toBe(mistakes.length);
    expect(mistakes.length).toBeGreaterThanOrEqual(60);
    for (const system of ['Nova', 'Neutron', 'Cinder', 'k3s', 'etcd', 'Kubernetes', 'MinIO', 'Kafka', 'Terraform', 'YAML']) {
      expect(mistakes.some((m) => m.system === system)).toBe(true);
    }
  });

  it('accepts the example written the same way (the harness itself refuses nothing)', async () => {
    const file = writeMistake({ system: '-', what: 'none', edit: () => {}, path: '' });
    const io = recordingIo({ existing: [inventoryOf({ name: 'mistake' } as Environment)] });
    expect(await main(['release', '0.2.0', '--env', file, '--dry-run'], io)).toBe(0);
  });

  it.each(mistakes.map((m) => [`${m.system}: ${m.what}`, m] as const))('refuses %s, naming its path, before anything is written', async (_, mistake) => {
    const file = writeMistake(mistake);
    // The cluster exists and answers: only the model can stop the release.
    const io = recordingIo({ existing: [inventoryOf({ name: 'mistake' } as Environment)] });
    const code = await main(['release', '0.2.0', '--env', file], io);
    expect(code).toBe(2);
    expect(io.writes).toEqual([]);
    expect(io.runs).toEqual([]);
    const path = mistake.path === 'FILE' ? file : mistake.path;
    const lines = io.stderr.filter((l) => l.startsWith(`  ${path}: `));
    expect(lines, io.stderr.join('\n')).not.toEqual([]);
    if (mistake.says) expect(lines.join('\n')).toMatch(mistake.says);
    // zod's own texts ("Invalid input: expected ...") never reach the reader.
    expect(io.stderr.join('\n')).not.toMatch(/Invalid input|Too small|Too big|expected .* received/);
  });
});
