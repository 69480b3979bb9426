// Reads the summary line Kafka's ConsumerPerformance prints (CSV after a header naming the columns).

export interface ConsumerPerformanceStats {
  messages: number;
  /** Messages per second over the fetch time, i.e. without the group join. */
  fetchMessagesPerSecond: number;
}

/** Finds the header (`start.time, end.time, …`) and the values line after it in the tool's output. */
export function parseConsumerPerformance(output: string): ConsumerPerformanceStats {
  const lines = output.split('\n').map((l) => l.trim());
  const headerIndex = lines.findIndex((l) => l.startsWith('start.time'));
  if (headerIndex < 0) throw new Error('no ConsumerPerformance summary (start.time, …) in the output');
  const header = lines[headerIndex]!.split(',').map((c) => c.trim());
  const values = (lines.slice(headerIndex + 1).find((l) => l.length > 0) ?? '').split(',').map((c) => c.trim());
  const column = (name: string): number => {
    const index = header.indexOf(name);
    const value = Number(values[index]);
    if (index < 0 || !Number.isFinite(value)) throw new Error(`no numeric ${name} in the ConsumerPerformance summary`);
    return value;
  };
  return { messages: column('data.consumed.in.nMsg'), fetchMessagesPerSecond: column('fetch.nMsg.sec') };
}
