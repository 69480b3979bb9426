// The aggregator loop: reads sensor events in batches, emits one result per full window, commits restart-safe offsets.
//
// Delivery: at-least-once. Results are produced before the offsets are committed, so a crash between the two
// repeats those windows (same sensor, avg, count and windowEnd) when the partition is re-read; no window is
// lost, because the commit never passes the first event of a window that is still open.
import type { EachBatchPayload, Kafka, Message } from 'kafkajs';
import { joinGroup } from '../lib/group-member';
import { PartitionStates } from '../lib/partition-states';
import { parseSensorEvent } from '../../contracts/sensor-event';
import { PartitionWindows } from './partition-windows';
import type { WindowResult } from '../../contracts/window-result';

/**
 * Kafka's default `offset.metadata.max.bytes`: a commit with longer metadata is refused. Reached only with
 * hundreds of sensors per partition; the aggregator then keeps its previous commit (still correct, but a
 * restart re-reads more) and reports it.
 */
const maxCommitMetadataBytes = 4096;

export interface AggregatorOptions {
  /** Topic the sensor events are read from. */
  eventsTopic: string;
  /** Topic the window results are written to. */
  resultsTopic: string;
  /** Events per window and sensor. */
  windowSize: number;
  /** Consumer group; its committed offsets and metadata are the aggregator's only durable state. */
  groupId: string;
  /** How long the group waits for a silent member before moving its partitions. */
  sessionTimeoutMs?: number;
}

/** What the loop reports, so main.ts can turn it into logs and metrics without the loop knowing either. */
export interface AggregatorObserver {
  consumed(count: number): void;
  /** Window results written to the results topic (after Kafka acknowledged them). */
  produced(results: readonly WindowResult[]): void;
  invalid(partition: number, offset: string): void;
  /** Open windows were dropped (revoked partitions or a failed batch); they are rebuilt by re-reading. */
  dropped(partitions: number[], reason: string): void;
  committed(partition: number, offset: string): void;
  /** A commit was skipped because its metadata is longer than Kafka accepts. */
  commitSkipped(partition: number, metadataBytes: number): void;
  /** The consumer stopped for good (kafkajs will not restart it); the process should exit and be restarted. */
  crashed(error: Error): void;
}

export interface RunningAggregator {
  /** True once the consumer has joined its group, until it crashes. */
  ready(): boolean;
  /** Leaves the group and disconnects; open windows are rebuilt by whoever reads the partitions next. */
  stop(): Promise<void>;
}

export async function startAggregator(
  kafka: Kafka,
  options: AggregatorOptions,
  observer: AggregatorObserver,
): Promise<RunningAggregator> {
  /** Open windows per partition of the events topic; a missing entry is rebuilt from the committed offset. */
  const windows = new PartitionStates<PartitionWindows>(options.eventsTopic, (partitions, reason) => observer.dropped(partitions, reason));
  const member = await joinGroup(kafka, options, { joined: () => windows.rejoined(), crashed: (error) => observer.crashed(error) });
  windows.attach(member);
  const { consumer, producer } = member;

  async function handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { partition } = batch;
    const first = batch.messages[0];
    // A pending seek makes every batch fetched before it stale: skip them, the seek's batches follow.
    if (first === undefined || isStale()) return;

    // Windows can only be rebuilt from the committed offset: a fetch past it goes back there first.
    const state = await windows.of(partition, first.offset, (committed) =>
      new PartitionWindows(options.windowSize, committed.metadata, committed.offset !== '-1' ? BigInt(committed.offset) : undefined),
    );
    if (state === undefined) return;

    const results: WindowResult[] = [];
    let last: string | undefined;
    let processed = 0;
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      const offset = BigInt(message.offset);
      const event = parseSensorEvent(message.value);
      if (event === undefined) {
        state.skip(offset);
        observer.invalid(partition, message.offset);
      } else {
        const result = state.add(event, offset);
        if (result) results.push(result);
      }
      last = message.offset;
      processed += 1;
    }
    // Stale means a seek is pending (only the rebuild above seeks, back to the last commit): the windows
    // are rebuilt from there, so this batch's half-applied events must not stay in them.
    if (isStale()) {
      windows.discard(partition);
      return;
    }
    if (last === undefined) return;

    observer.consumed(processed);
    if (results.length > 0) {
      const messages: Message[] = results.map((result) => ({ key: result.sensor, value: JSON.stringify(result) }));
      await producer.send({ topic: options.resultsTopic, messages, acks: -1 });
      observer.produced(results);
    }
    resolveOffset(last);
    const point = state.commitPoint();
    const metadataBytes = point === undefined ? 0 : Buffer.byteLength(point.metadata);
    if (point !== undefined && metadataBytes > maxCommitMetadataBytes) {
      observer.commitSkipped(partition, metadataBytes);
    } else if (point !== undefined) {
      const offset = point.offset.toString();
      await consumer.commitOffsets([{ topic: batch.topic, partition, offset, metadata: point.metadata }]);
      observer.committed(partition, offset);
    }
    await heartbeat();
  }

  // A failed batch's windows may hold events whose results were never sent: they are rebuilt from the last commit.
  await windows.consume(handleBatch);

  return { ready: member.ready, stop: member.stop };
}
