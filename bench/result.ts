// What one benchmark reports: measurements of each subject across interleaved rounds, and its targets.

/** One subject's samples of one metric (one per round) and their median. */
export interface SubjectSamples {
  subject: string;
  samples: number[];
  median: number;
  /** A caveat, e.g. "lower bound: 12 uploads still unfinished at the deadline". */
  note?: string;
}

export interface Measurement {
  /** What is measured, e.g. "throughput". */
  metric: string;
  unit: string;
  /** Whether a higher value is the better one (throughput) or a lower one (latency, time). */
  better: 'higher' | 'lower';
  results: SubjectSamples[];
}

export interface TargetCheck {
  description: string;
  met: boolean;
  /** The numbers behind the verdict. */
  detail: string;
}

export interface BenchmarkResult {
  id: string;
  title: string;
  /** How the benchmark was run: sizes, rates, rounds. */
  setup: string;
  measurements: Measurement[];
  targets: TargetCheck[];
  notes: string[];
}
