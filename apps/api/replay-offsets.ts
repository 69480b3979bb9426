// Where each API replica starts reading `results`: only the recent tail, since it needs the latest averages, not the history.

export interface PartitionOffsets {
  partition: number;
  /** Earliest offset still kept. */
  low: string;
  /** Offset the next message will get. */
  high: string;
}

/**
 * Start offsets that replay at most `backlog` messages per partition. Kafka offsets are strings of
 * 64-bit numbers, so the math is done in BigInt.
 */
export function replayStartOffsets(partitions: PartitionOffsets[], backlog: number): { partition: number; offset: string }[] {
  const keep = BigInt(Math.max(0, Math.floor(backlog)));
  return partitions.map(({ partition, low, high }) => {
    const lowOffset = BigInt(low);
    const start = BigInt(high) - keep;
    return { partition, offset: (start > lowOffset ? start : lowOffset).toString() };
  });
}
