// The detector loop: reads sensor events in batches, writes the anomalies it finds, commits the offset with the
// sensors' detector states as metadata.
//
// Delivery: at-least-once. Anomalies are produced before the offset is committed, so a crash between the two
// repeats them (same event id) when the partition is re-read from the last commit, whose metadata holds the states
// as they were there: the re-read judges every reading exactly as the first time.
import type { EachBatchPayload, Kafka, Message } from 'kafkajs';
import { joinGroup } from '../lib/group-member';
import { PartitionStates } from '../lib/partition-states';
import { parseSensorEvent } from '../../contracts/sensor-event';
import type { Anomaly } from '../../contracts/anomaly';
import type { DetectorParams } from './ewma-detector';
import { SensorStates } from './sensor-states';

/** Kafka's default `offset.metadata.max.bytes`: longer metadata is refused, so such a commit goes without states. */
const maxCommitMetadataBytes = 4096;

export interface DetectorOptions {
  /** Topic the sensor events are read from. */
  eventsTopic: string;
  /** Topic the anomalies are written to. */
  anomaliesTopic: string;
  /** Consumer group; its committed offsets and metadata are the detector's only durable state. */
  groupId: string;
  /** Parameters of every sensor's detector. */
  params: DetectorParams;
  /** How long the group waits for a silent member before moving its partitions. */
  sessionTimeoutMs?: number;
}

/** What the loop reports, so main.ts can turn it into logs and metrics without the loop knowing either. */
export interface DetectorObserver {
  consumed(count: number): void;
  anomalies(found: Anomaly[]): void;
  invalid(partition: number, offset: string): void;
  /** States were dropped (rebalance, failed batch); they are restored from the last commit. */
  dropped(partitions: number[], reason: string): void;
  /** A commit went without states: too many sensors on the partition; a restart there warms up again. */
  statesTooLong(partition: number, metadataBytes: number): void;
  /** The consumer stopped for good (kafkajs will not restart it); the process should exit and be restarted. */
  crashed(error: Error): void;
}

export interface RunningDetector {
  /** True once the consumer has joined its group, until it crashes. */
  ready(): boolean;
  /** Leaves the group and disconnects. */
  stop(): Promise<void>;
}

export async function startDetector(kafka: Kafka, options: DetectorOptions, observer: DetectorObserver): Promise<RunningDetector> {
  /** States per partition of the events topic; a missing entry is restored from the committed metadata. */
  const partitions = new PartitionStates<SensorStates>(options.eventsTopic, (dropped, reason) => observer.dropped(dropped, reason));
  const member = await joinGroup(kafka, options, { joined: () => partitions.rejoined(), crashed: (error) => observer.crashed(error) });
  partitions.attach(member);
  const { consumer, producer } = member;

  async function handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { partition } = batch;
    const first = batch.messages[0];
    if (first === undefined || isStale()) return;

    // The states belong to the committed offset: a fetch past it goes back there first.
    const states = await partitions.of(partition, first.offset, (point) => new SensorStates(options.params, point.offset === '-1' ? null : point.metadata));
    if (states === undefined) return;

    const found: Anomaly[] = [];
    let last: string | undefined;
    let processed = 0;
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      const event = parseSensorEvent(message.value);
      if (event === undefined) {
        observer.invalid(partition, message.offset);
      } else {
        const verdict = states.observe(event.sensor, event.value);
        if (verdict.anomaly) {
          found.push({ sensor: event.sensor, value: event.value, ts: event.ts, score: verdict.score, expected: verdict.expected, id: event.id });
        }
      }
      last = message.offset;
      processed += 1;
    }
    // A pending seek: this batch's readings are in the states but will be read again; start over from the commit.
    if (isStale()) {
      partitions.discard(partition);
      return;
    }
    if (last === undefined) return;

    observer.consumed(processed);
    if (found.length > 0) {
      const messages: Message[] = found.map((a) => ({ key: a.sensor, value: JSON.stringify(a) }));
      await producer.send({ topic: options.anomaliesTopic, messages, acks: -1 });
      observer.anomalies(found);
    }
    resolveOffset(last);
    let metadata = states.metadata();
    const metadataBytes = Buffer.byteLength(metadata);
    if (metadataBytes > maxCommitMetadataBytes) {
      observer.statesTooLong(partition, metadataBytes);
      metadata = '';
    }
    const offset = (BigInt(last) + 1n).toString();
    await consumer.commitOffsets([{ topic: batch.topic, partition, offset, metadata }]);
    await heartbeat();
  }

  // A failed batch's states may hold readings whose anomalies were never sent: they are restored from the last commit.
  await partitions.consume(handleBatch);

  return { ready: member.ready, stop: member.stop };
}
