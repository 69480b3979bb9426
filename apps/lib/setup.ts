// Idempotent creation of what the pipeline needs: Kafka topics, MinIO buckets and the bucket notification to Kafka.
import type { Admin } from 'kafkajs';
import { NotificationConfig, QueueConfig, type Client } from 'minio';
import { MINIO_REGION } from '../../contracts/minio-region';

/** Partitions and replication factor of one topic. */
export interface TopicSpec {
  partitions: number;
  replication: number;
}

/** A bucket's notification configuration as minio-js reads it. */
export type NotificationConfigResult = Awaited<ReturnType<Client['getBucketNotification']>>;

/** The notification target MinIO's Kafka target PRIMARY registers (no region configured). */
export const minioKafkaArn = 'arn:minio:sqs::PRIMARY:kafka';

/** What ensureTopics did to each topic. */
export interface TopicsOutcome {
  created: string[];
  /** Topics whose partitions were raised to the wanted count. */
  grown: string[];
  unchanged: string[];
}

/** Topics to create and partition increases, given what exists (name → current partitions). */
export function planTopics(
  wanted: Record<string, TopicSpec>,
  existing: ReadonlyMap<string, number>,
): { create: string[]; grow: { topic: string; count: number }[]; unchanged: string[] } {
  const create: string[] = [];
  const grow: { topic: string; count: number }[] = [];
  const unchanged: string[] = [];
  for (const [topic, spec] of Object.entries(wanted)) {
    const current = existing.get(topic);
    if (current === undefined) create.push(topic);
    // Kafka cannot shrink a topic; fewer wanted partitions than exist is left alone.
    else if (current < spec.partitions) grow.push({ topic, count: spec.partitions });
    else unchanged.push(topic);
  }
  return { create, grow, unchanged };
}

/** Creates missing topics and raises partitions that are too few; never fails because a topic exists. */
export async function ensureTopics(admin: Admin, topics: Record<string, TopicSpec>): Promise<TopicsOutcome> {
  const names = new Set(await admin.listTopics());
  const present = Object.keys(topics).filter((t) => names.has(t));
  const existing = new Map<string, number>();
  if (present.length > 0) {
    const metadata = await admin.fetchTopicMetadata({ topics: present });
    for (const t of metadata.topics) existing.set(t.name, t.partitions.length);
  }
  const plan = planTopics(topics, existing);
  if (plan.create.length > 0) {
    // Another setup run may create the same topic meanwhile; kafkajs then reports false instead of failing.
    await admin.createTopics({
      // kafkajs's own wait gives up when the broker it asks has not heard of the topic yet (several brokers).
      waitForLeaders: false,
      topics: plan.create.map((topic) => ({
        topic,
        numPartitions: topics[topic]!.partitions,
        replicationFactor: topics[topic]!.replication,
      })),
    });
  }
  if (plan.grow.length > 0) await admin.createPartitions({ topicPartitions: plan.grow });
  if (plan.create.length > 0 || plan.grow.length > 0) await waitForLeaders(admin, [...plan.create, ...plan.grow.map((g) => g.topic)]);
  return { created: plan.create, grown: plan.grow.map((g) => g.topic), unchanged: plan.unchanged };
}

/** Waits until every partition of `topics` has a leader, as seen by the brokers kafkajs asks (bounded: ~30 s). */
async function waitForLeaders(admin: Admin, topics: string[], attempts = 150, intervalMs = 200): Promise<void> {
  let last: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics });
      if (metadata.topics.length === topics.length && metadata.topics.every((t) => t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      // Unknown topic or no leader yet: the metadata has not reached this broker; ask again.
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`topics ${topics.join(', ')} have no leader after ${(attempts * intervalMs) / 1000} s${last instanceof Error ? `: ${last.message}` : ''}`);
}

/** Creates the buckets that do not exist; returns the names it created. */
export async function ensureBuckets(client: Client, buckets: readonly string[], region = MINIO_REGION): Promise<string[]> {
  const created: string[] = [];
  for (const bucket of buckets) {
    if (await client.bucketExists(bucket)) continue;
    try {
      await client.makeBucket(bucket, region);
      created.push(bucket);
    } catch (error) {
      // A concurrent setup run made it first: that is the state we want.
      if ((error as { code?: string }).code !== 'BucketAlreadyOwnedByYou') throw error;
    }
  }
  return created;
}

/** Whether the bucket already sends exactly `events` to `arn` (and nothing else to it). */
export function hasQueueNotification(current: NotificationConfigResult, arn: string, events: readonly string[]): boolean {
  const queues = current.QueueConfiguration.filter((q) => q.Queue === arn);
  if (queues.length !== 1) return false;
  const actual = [...queues[0]!.Event].sort();
  const wanted = [...events].sort();
  return actual.length === wanted.length && actual.every((e, i) => e === wanted[i]) && queues[0]!.Filter.length === 0;
}

/** Makes `bucket` send `events` to the notification target `arn`; returns false if it already did. */
export async function ensureBucketNotification(
  client: Client,
  bucket: string,
  arn: string = minioKafkaArn,
  events: readonly string[] = ['s3:ObjectCreated:*'],
): Promise<boolean> {
  const current = await client.getBucketNotification(bucket);
  if (hasQueueNotification(current, arn, events)) return false;
  const queue = new QueueConfig(arn);
  for (const event of events) queue.addEvent(event);
  const config = new NotificationConfig();
  config.add(queue);
  await client.setBucketNotification(bucket, config);
  return true;
}
