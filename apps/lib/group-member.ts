// A consumer group member that commits its own offsets, with the producer it writes through and the admin client it
// reads its committed offsets with: connected together, ready once joined until it crashes, stopped together.
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { producerDefaults } from './kafka';

export interface GroupMemberOptions {
  /** Consumer group; its committed offsets (and their metadata) are the member's only durable state. */
  groupId: string;
  /** How long the group waits for a silent member before moving its partitions. */
  sessionTimeoutMs?: number;
}

export interface GroupMemberEvents {
  /** The member joined a generation: kafkajs resumes every partition from its committed offset, so in-memory state built past it must go. */
  joined(): void;
  /** The consumer stopped for good (kafkajs will not restart it); the process should exit and be restarted. */
  crashed(error: Error): void;
}

/** A committed offset (`-1` when there is none) with its metadata. */
export interface CommitPoint {
  offset: string;
  metadata: string | null;
}

export interface GroupMember {
  consumer: Consumer;
  producer: Producer;
  /** The committed offset and metadata of one partition. */
  committed(topic: string, partition: number): Promise<CommitPoint>;
  /** True once the consumer has joined its group, until it crashes. */
  ready(): boolean;
  /** Leaves the group, then disconnects the producer and the admin client. */
  stop(): Promise<void>;
}

/** Connects the consumer, an idempotent producer and an admin client; topics are never created by accident. */
export async function joinGroup(kafka: Kafka, options: GroupMemberOptions, events: GroupMemberEvents): Promise<GroupMember> {
  const consumer: Consumer = kafka.consumer({
    groupId: options.groupId,
    allowAutoTopicCreation: false,
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeout: options.sessionTimeoutMs }),
  });
  const producer: Producer = kafka.producer({ ...producerDefaults, allowAutoTopicCreation: false });
  const admin: Admin = kafka.admin();
  await Promise.all([consumer.connect(), producer.connect(), admin.connect()]);

  let joined = false;
  let crashed = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
    events.joined();
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart) return;
    crashed = true;
    events.crashed(payload.error);
  });

  return {
    consumer,
    producer,
    async committed(topic, partition) {
      const [entry] = await admin.fetchOffsets({ groupId: options.groupId, topics: [topic] });
      const point = entry?.partitions.find((p) => p.partition === partition);
      return { offset: point?.offset ?? '-1', metadata: point?.metadata ?? null };
    },
    ready: () => joined && !crashed,
    async stop() {
      await consumer.disconnect();
      await Promise.all([producer.disconnect(), admin.disconnect()]);
    },
  };
}
