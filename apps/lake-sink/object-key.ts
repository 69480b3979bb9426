// Where a file of the lake goes: Hive-partitioned by topic, date and hour, named by its topic, partition and offsets,
// so writing the same records again (a replay after a crash) produces the same key and overwrites the object.

/** Digits of an offset in a name: Kafka offsets are int64, at most 19 digits; padding keeps names in offset order. */
const offsetDigits = 19;

export interface FileRange {
  topic: string;
  partition: number;
  /** Offset of the first record in the file. */
  firstOffset: bigint;
  /** Offset of the last record in the file. */
  lastOffset: bigint;
  /** Kafka timestamp of the first record, epoch ms: it places the file in its date and hour. */
  firstTimestamp: number;
}

const pad = (offset: bigint) => offset.toString().padStart(offsetDigits, '0');

/** `topic=<t>/date=<YYYY-MM-DD>/hour=<HH>/`, UTC, of a record with timestamp `ts`. */
export function hivePrefix(topic: string, ts: number): string {
  const iso = new Date(ts).toISOString();
  return `topic=${topic}/date=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}/`;
}

/** Key of a file up to its first offset: every file that starts at that record begins with it. */
export function fileKeyStart(topic: string, partition: number, firstOffset: bigint, firstTimestamp: number): string {
  return `${hivePrefix(topic, firstTimestamp)}${topic}-${partition}-${pad(firstOffset)}-`;
}

/** The object key of a file, e.g. `topic=events/date=2026-12-02/hour=04/events-0-…0100-…0199.parquet`. */
export function fileKey(range: FileRange): string {
  return `${fileKeyStart(range.topic, range.partition, range.firstOffset, range.firstTimestamp)}${pad(range.lastOffset)}.parquet`;
}

/** The last offset named by a key that `fileKeyStart` begins, or undefined for any other name. */
export function lastOffsetOf(key: string): bigint | undefined {
  const match = /-(\d{19})\.parquet$/.exec(key);
  return match ? BigInt(match[1]!) : undefined;
}
