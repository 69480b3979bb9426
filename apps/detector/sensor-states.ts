// The detector states of the sensors of one partition, and their form as Kafka commit metadata, so a new owner of
// the partition resumes from the committed offset with exactly the states the detector had there.
import { type DetectorParams, type DetectorState, type Verdict, emptyState, observe } from './ewma-detector';

const metadataVersion = 1;

/** Commit metadata as stored in Kafka: sensor → [mean, variance, count]. */
interface CommitMetadata {
  v: typeof metadataVersion;
  s: Record<string, [number, number, number]>;
}

/** Reads the states from commit metadata; empty for none, for garbage or for metadata written by someone else. */
export function parseStates(metadata: string | null | undefined): Map<string, DetectorState> {
  const states = new Map<string, DetectorState>();
  if (!metadata) return states;
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata);
  } catch {
    return states;
  }
  if (typeof parsed !== 'object' || parsed === null) return states;
  const { v, s } = parsed as Partial<CommitMetadata>;
  if (v !== metadataVersion || typeof s !== 'object' || s === null) return states;
  for (const [sensor, entry] of Object.entries(s)) {
    if (!Array.isArray(entry) || entry.length !== 3) continue;
    const [mean, variance, count] = entry as unknown[];
    if (typeof mean !== 'number' || typeof variance !== 'number' || typeof count !== 'number') continue;
    if (!Number.isFinite(mean) || !(variance >= 0) || !Number.isInteger(count) || count < 1) continue;
    states.set(sensor, { mean, variance, count });
  }
  return states;
}

export class SensorStates {
  private readonly states: Map<string, DetectorState>;

  constructor(
    private readonly params: DetectorParams,
    metadata: string | null = null,
  ) {
    this.states = parseStates(metadata);
  }

  /** Judges one reading of `sensor` and moves its state on. */
  observe(sensor: string, value: number): Verdict {
    const step = observe(this.states.get(sensor) ?? emptyState(), value, this.params);
    // Past the warm-up the count only has to say so: capping it keeps the metadata short.
    this.states.set(sensor, { ...step.state, count: Math.min(step.state.count, this.params.warmup) });
    return step.verdict;
  }

  /** The states as commit metadata. */
  metadata(): string {
    const s: CommitMetadata['s'] = {};
    for (const [sensor, state] of this.states) s[sensor] = [state.mean, state.variance, state.count];
    return JSON.stringify({ v: metadataVersion, s } satisfies CommitMetadata);
  }
}
