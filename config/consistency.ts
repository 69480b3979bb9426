// Rules between fields of one environment: Kafka replication, buckets, subnet size, the cluster's networks, state key,
// agents and their capacity.
import type { z } from 'zod';
import type { EnvironmentFields } from './schema';
import { MAX_AGENTS } from './schema/cluster';
import { MONITORING_NAMESPACE } from './schema/monitoring';
import { capacityIssue } from './capacity';
import { portAddresses } from './networks';
import { clusterNetworkIssues } from './cluster-networks';

/**
 * min.insync.replicas of the brokers, as charts/kafka-config.ts sets it: one less than the copies of Kafka's
 * internal topics (three where there are three brokers), at least one.
 */
export function minInSyncReplicas(kafkaReplicas: number): number {
  return Math.max(1, Math.min(3, kafkaReplicas) - 1);
}

/** True when a state key names the environment as a path segment or a file stem, e.g. `wolke/prod.tfstate`. */
function keyNamesEnvironment(key: string, name: string): boolean {
  return key.split('/').some((segment) => segment === name || segment.replace(/\.[^.]*$/, '') === name);
}

export function consistencyRules(env: EnvironmentFields, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const { agents, servers } = env.cluster;
  const { kafka, topics, processor, buckets } = env.apps;

  const minInSync = minInSyncReplicas(kafka.replicas);
  for (const [name, t] of Object.entries(topics)) {
    if (t.replication > kafka.replicas) {
      issue(['apps', 'topics', name, 'replication'], `must not exceed apps.kafka.replicas (${kafka.replicas}) (got ${t.replication})`);
    } else if (t.replication < minInSync) {
      issue(
        ['apps', 'topics', name, 'replication'],
        `must be at least ${minInSync}: with ${kafka.replicas} brokers, min.insync.replicas is ${minInSync} and the apps write with acks=all, so a topic with fewer copies refuses every write (got ${t.replication})`,
      );
    }
  }
  if (processor.replicas > topics['minio-events'].partitions) {
    issue(
      ['apps', 'processor', 'replicas'],
      `must not exceed the partitions of topic minio-events (${topics['minio-events'].partitions}); extra replicas would sit idle`,
    );
  }
  if (buckets.uploads === buckets.processed) {
    issue(
      ['apps', 'buckets', 'processed'],
      `must differ from apps.buckets.uploads ("${buckets.uploads}"): renditions written there would be announced as uploads and processed again without end`,
    );
  }
  for (const other of ['uploads', 'processed'] as const) {
    if (buckets.lake === buckets[other]) {
      issue(
        ['apps', 'buckets', 'lake'],
        `must differ from apps.buckets.${other} ("${buckets[other]}"): the lake sink's Parquet files would be mixed with ${other === 'uploads' ? 'uploads and processed as images' : 'renditions'}`,
      );
    }
  }
  if (env.monitoring.enabled && env.apps.namespace === MONITORING_NAMESPACE) {
    issue(
      ['apps', 'namespace'],
      `must not be ${MONITORING_NAMESPACE} with monitoring.enabled: the monitoring stack is installed there, and wolke's default-deny policies would cut Prometheus and Grafana off; use e.g. wolke`,
    );
  }
  if (agents.count === 0) {
    issue(['cluster', 'agents', 'count'], 'must be at least 1: servers are tainted NoSchedule, so the apps need agents');
  } else {
    const capacity = capacityIssue(env, MAX_AGENTS);
    if (capacity) issue(capacity.path, capacity.message);
  }

  const network = env.openstack.network;
  if ('cidr' in network) {
    // A replacement node's port exists before the old one is destroyed, so a full roll needs twice the nodes.
    const needed = 2 * (servers.count + agents.count);
    const available = portAddresses(network.cidr);
    if (available < needed) {
      issue(
        ['openstack', 'network', 'cidr'],
        `has ${available} addresses for ports, and ${servers.count + agents.count} nodes need ${needed} (a replacement node is created before the old one is destroyed); use a larger network such as a /24`,
      );
    }
  }

  for (const network of clusterNetworkIssues(env)) issue(network.path, network.message);

  if (env.state && !keyNamesEnvironment(env.state.key, env.name)) {
    issue(
      ['state', 'key'],
      `must name the environment, e.g. wolke/${env.name}.tfstate: another environment writing the same key would overwrite this one's state (got "${env.state.key}")`,
    );
  }
}
