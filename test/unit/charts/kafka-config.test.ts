// Pure Kafka settings: quorum voters, cluster id, server.properties, the start script and the MinIO drive list.
import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../../config/load';
import type { Environment } from '../../../config/schema';
import { brokerEnv, brokerStartScript, clusterId, internalReplication, quorumVoters, serverProperties, topicsJson } from '../../../charts/kafka-config';
import { minioServerVolumes, notifyEnv } from '../../../charts/minio';
import { kafkaBootstrap, minioEndpoint } from '../../../charts/endpoints';
import { versionedJobName } from '../../../charts/app-job';

const example = loadEnvironment('example', '');
const withApps = (apps: Partial<Environment['apps']>, name = example.name): Environment => ({ ...example, name, apps: { ...example.apps, ...apps } });

describe('kafka configuration', () => {
  it('lists one voter per broker by its headless DNS name', () => {
    expect(quorumVoters(withApps({ kafka: { replicas: 1, storage: '1Gi' } }))).toBe('0@kafka-0.kafka-hl.wolke.svc.cluster.local:9093');
    expect(quorumVoters(example).split(',')).toHaveLength(3);
  });

  it('derives a stable 16-byte cluster id per environment', () => {
    const id = clusterId(example);
    expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(clusterId(example)).toBe(id);
    expect(clusterId(withApps({}, 'staging'))).not.toBe(id);
  });

  it('replicates internal topics three times, or as often as there are brokers', () => {
    expect(internalReplication(example)).toBe(3);
    expect(internalReplication(withApps({ kafka: { replicas: 5, storage: '1Gi' } }))).toBe(3);
    const single = serverProperties(withApps({ kafka: { replicas: 1, storage: '1Gi' } }));
    expect(single['offsets.topic.replication.factor']).toBe('1');
    expect(single['min.insync.replicas']).toBe('1');
    expect(serverProperties(example)['min.insync.replicas']).toBe('2');
  });

  it('never sets node.id statically: the start script derives it and the advertised name from the hostname', () => {
    expect(serverProperties(example)).not.toHaveProperty('node.id');
    expect(serverProperties(example)).not.toHaveProperty('advertised.listeners');
    const script = brokerStartScript(example);
    expect(script).toContain('echo "node.id=${HOSTNAME##*-}"');
    expect(script).toContain('echo "advertised.listeners=PLAINTEXT://${HOSTNAME}.kafka-hl.wolke.svc.cluster.local:9092"');
    expect(script).toContain('kafka.tools.StorageTool format --cluster-id "$CLUSTER_ID"');
    expect(brokerEnv(example).CLUSTER_ID).toBe(clusterId(example));
  });

  it('keeps auto topic creation off: the setup job creates the model topics', () => {
    expect(serverProperties(example)['auto.create.topics.enable']).toBe('false');
    expect(JSON.parse(topicsJson(example))).toEqual({
      events: { partitions: 3, replication: 3 },
      results: { partitions: 3, replication: 3 },
      anomalies: { partitions: 3, replication: 3 },
      'minio-events': { partitions: 6, replication: 3 },
      'minio-events.dlq': { partitions: 1, replication: 3 },
      'lake.dlq': { partitions: 1, replication: 3 },
    });
  });
});

describe('minio configuration', () => {
  it('expands the drives over every pod when distributed, one local drive when single', () => {
    expect(minioServerVolumes(example)).toBe('http://minio-{0...3}.minio-hl.wolke.svc.cluster.local/data');
    expect(minioServerVolumes(withApps({ minio: { replicas: 6, storage: '1Gi' } }))).toBe('http://minio-{0...5}.minio-hl.wolke.svc.cluster.local/data');
    expect(minioServerVolumes(withApps({ minio: { replicas: 1, storage: '1Gi' } }))).toBe('/data');
  });

  it('sends bucket notifications to the Kafka client service, topic minio-events', () => {
    expect(notifyEnv(example)).toEqual({
      MINIO_NOTIFY_KAFKA_ENABLE_PRIMARY: 'on',
      MINIO_NOTIFY_KAFKA_BROKERS_PRIMARY: kafkaBootstrap(example),
      MINIO_NOTIFY_KAFKA_TOPIC_PRIMARY: 'minio-events',
      MINIO_NOTIFY_KAFKA_QUEUE_DIR_PRIMARY: '/var/lib/minio-events',
    });
    expect(kafkaBootstrap(withApps({ namespace: 'shop' }))).toBe('kafka.shop.svc.cluster.local:9092');
    expect(minioEndpoint(example)).toBe('http://minio.wolke.svc.cluster.local:9000');
  });
});

describe('versionedJobName', () => {
  it('changes with the image or a variable, so a changed job is a new Job rather than a failed apply', () => {
    const a = versionedJobName('setup', 'setup:1', [{ name: 'TOPICS', value: '{}' }]);
    expect(a).toMatch(/^setup-[0-9a-f]{8}$/);
    expect(versionedJobName('setup', 'setup:1', [{ name: 'TOPICS', value: '{}' }])).toBe(a);
    expect(versionedJobName('setup', 'setup:2', [{ name: 'TOPICS', value: '{}' }])).not.toBe(a);
    expect(versionedJobName('setup', 'setup:1', [{ name: 'TOPICS', value: '{"a":1}' }])).not.toBe(a);
  });
});
