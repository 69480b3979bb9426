// The lake sink loop: reads the archived topics in batches, fills one Parquet file per topic partition, uploads it
// when it rolls (size or time) and only then commits the offset after its last record.
//
// Delivery: at-least-once without duplicates in the lake. A file's key comes from its topic, partition and offset
// range. A crash after an upload and before its commit re-reads the file's records; the first file after taking a
// partition looks for an object that starts at the committed offset and, finding one, ends at that object's last
// offset too, so it overwrites the object with the same records instead of overlapping it.
import type { Client } from 'minio';
import type { EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { joinGroup } from '../lib/group-member';
import { SeekBack } from '../lib/seek-back';
import { fileKey, fileKeyStart, lastOffsetOf } from './object-key';
import { OpenFile, type RollLimits } from './open-file';
import { columnsOf, parseRecord, type RecordKind } from './records';

export interface LakeSinkOptions {
  /** Topic name of each kind of record. */
  topics: Record<RecordKind, string>;
  bucket: string;
  dlqTopic: string;
  groupId: string;
  roll: RollLimits;
  sessionTimeoutMs?: number;
  /** How often open files are checked for the time roll. */
  tickMs?: number;
}

/** A file as uploaded. */
export interface WrittenFile {
  topic: string;
  key: string;
  rows: number;
  bytes: number;
  /** True when it overwrote an object uploaded before a crash. */
  replaced: boolean;
}

export interface LakeSinkObserver {
  written(file: WrittenFile): void;
  deadLettered(topic: string, partition: number, offset: string, error: string): void;
  committed(topic: string, partition: number, offset: string): void;
  /** Bytes of records held in open files right now. */
  buffered(bytes: number): void;
  /** An upload or commit failed; the file stays open and is tried again (or re-read after a restart). */
  failed(topic: string, partition: number, error: Error): void;
  /** Open files were dropped (rebalance); their records are re-read from the committed offsets. */
  dropped(count: number, reason: string): void;
  crashed(error: Error): void;
}

export interface RunningLakeSink {
  ready(): boolean;
  /** Stops reading and leaves the group; open files are not uploaded (their records are re-read by the next owner). */
  stop(): Promise<void>;
}

interface PartitionState {
  kind: RecordKind;
  topic: string;
  partition: number;
  file?: OpenFile;
  /** Whether a file uploaded before a crash was looked for since this generation took the partition. */
  checkedResume: boolean;
  /** Serialises the batch handler and the time roll on this partition. */
  lock: Promise<void>;
}

export async function startLakeSink(kafka: Kafka, minio: Client, options: LakeSinkOptions, observer: LakeSinkObserver): Promise<RunningLakeSink> {
  const kindOf = new Map<string, RecordKind>(Object.entries(options.topics).map(([kind, topic]) => [topic, kind as RecordKind]));
  const states = new Map<string, PartitionState>();
  let stopping = false;

  const reportBuffered = () => observer.buffered([...states.values()].reduce((sum, s) => sum + (s.file?.bytes ?? 0), 0));

  const member = await joinGroup(kafka, options, {
    // kafkajs resumes every partition from its committed offset after a rebalance: open files are re-read from there.
    joined: () => {
      const open = [...states.values()].filter((s) => s.file !== undefined).length;
      if (open > 0) observer.dropped(open, 'rebalance');
      states.clear();
      seekBack.clear();
      reportBuffered();
    },
    crashed: (error) => observer.crashed(error),
  });
  const { consumer, producer } = member;
  const seekBack = new SeekBack(consumer);

  function stateOf(topic: string, partition: number): PartitionState {
    const id = `${topic}/${partition}`;
    let state = states.get(id);
    if (state === undefined) {
      state = { kind: kindOf.get(topic)!, topic, partition, checkedResume: false, lock: Promise.resolve() };
      states.set(id, state);
    }
    return state;
  }

  /** Runs `work` after whatever runs on the partition now. */
  function locked<T>(state: PartitionState, work: () => Promise<T>): Promise<T> {
    const run = state.lock.then(work);
    state.lock = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** The last offset of an object that starts at `offset`, if one was uploaded and never committed. */
  async function uploadedEnd(state: PartitionState, offset: bigint, timestamp: number): Promise<bigint | undefined> {
    const prefix = fileKeyStart(state.topic, state.partition, offset, timestamp);
    let end: bigint | undefined;
    for await (const item of minio.listObjectsV2(options.bucket, prefix, true)) {
      const last = 'name' in item && item.name ? lastOffsetOf(item.name) : undefined;
      if (last !== undefined && (end === undefined || last > end)) end = last;
    }
    return end;
  }

  /** Uploads the partition's file (when it has rows) and commits the offset after its last record. */
  async function roll(state: PartitionState): Promise<void> {
    const file = state.file;
    if (file === undefined) return;
    const next = (file.lastOffset + 1n).toString();
    try {
      if (file.rows.length > 0) {
        const key = fileKey({ topic: state.topic, partition: state.partition, firstOffset: file.firstOffset, lastOffset: file.lastOffset, firstTimestamp: file.firstTimestamp });
        const body = Buffer.from(parquetWriteBuffer({ columnData: columnsOf(state.kind, file.rows), createdBy: 'wolke lake-sink' }));
        await minio.putObject(options.bucket, key, body, body.length, { 'Content-Type': 'application/vnd.apache.parquet' });
        observer.written({ topic: state.topic, key, rows: file.rows.length, bytes: body.length, replaced: file.mustEndAt !== undefined });
      }
      await consumer.commitOffsets([{ topic: state.topic, partition: state.partition, offset: next }]);
      observer.committed(state.topic, state.partition, next);
      state.file = undefined;
      reportBuffered();
    } catch (error) {
      observer.failed(state.topic, state.partition, error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }

  async function deadLetter(state: PartitionState, message: KafkaMessage, error: string): Promise<void> {
    await producer.send({
      topic: options.dlqTopic,
      acks: -1,
      messages: [
        {
          key: message.key,
          value: JSON.stringify({
            reason: 'unwritable',
            error,
            topic: state.topic,
            partition: state.partition,
            offset: message.offset,
            record: message.value === null ? null : message.value.toString(),
            failedAt: new Date().toISOString(),
          }),
        },
      ],
    });
    observer.deadLettered(state.topic, state.partition, message.offset, error);
  }

  async function handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const first = batch.messages[0];
    if (first === undefined || isStale()) return;
    const state = stateOf(batch.topic, batch.partition);
    await locked(state, async () => {
      if (!state.checkedResume && state.file === undefined) {
        // Files start at the committed offset: a fetch past it would leave records out of the lake.
        const committed = (await member.committed(batch.topic, batch.partition)).offset;
        if (seekBack.pastCommit(batch.topic, batch.partition, first.offset, committed)) {
          observer.dropped(0, `fetch at ${first.offset} of ${batch.topic}/${batch.partition} is past the committed offset ${committed}`);
          return;
        }
      }
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        const offset = BigInt(message.offset);
        const timestamp = Number(message.timestamp);
        if (state.file?.endsBefore(offset)) await roll(state);
        if (state.file === undefined) {
          const mustEndAt = state.checkedResume ? undefined : await uploadedEnd(state, offset, timestamp);
          state.checkedResume = true;
          state.file = new OpenFile(offset, timestamp, Date.now(), mustEndAt !== undefined && mustEndAt >= offset ? mustEndAt : undefined);
        }
        const parsed = parseRecord(state.kind, message.value);
        if ('error' in parsed) {
          await deadLetter(state, message, parsed.error);
          state.file.skip(offset);
        } else {
          state.file.add({ fields: parsed.fields, partition: batch.partition, offset, timestamp }, message.value?.length ?? 0);
        }
        resolveOffset(message.offset);
        if (state.file.full(options.roll, Date.now())) await roll(state);
      }
      reportBuffered();
    });
    await heartbeat();
  }

  await consumer.subscribe({ topics: Object.values(options.topics), fromBeginning: true });
  await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: handleBatch });

  // The time roll: a partition that goes quiet still gets its file into the lake within ROLL_MS.
  const tick = setInterval(() => {
    if (stopping) return;
    const now = Date.now();
    for (const state of states.values()) {
      if (state.file === undefined || !state.file.full(options.roll, now)) continue;
      void locked(state, async () => {
        if (state.file !== undefined && state.file.full(options.roll, Date.now()) && states.get(`${state.topic}/${state.partition}`) === state) {
          await roll(state);
        }
      }).catch(() => undefined);
    }
  }, options.tickMs ?? 1000);

  return {
    ready: member.ready,
    async stop() {
      stopping = true;
      clearInterval(tick);
      await member.stop();
    },
  };
}
