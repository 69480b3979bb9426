// Streaming anomaly detection for one sensor: EWMA mean and variance of its readings and a z-score threshold.
//
// A reading whose distance from the expected value exceeds `threshold` standard deviations is an anomaly. It enters the
// running mean and variance only clamped, so one spike neither hides the next one nor makes the readings after it look
// abnormal, while a real change of level still moves the state there within a few readings.

/** Parameters of the detector (the model's apps.detector). */
export interface DetectorParams {
  /** Weight of the newest reading in the mean and variance, in (0, 1]. */
  alpha: number;
  /** Score (|value − expected| / standard deviation) above which a reading is an anomaly. */
  threshold: number;
  /** Readings that only train the state before any is judged. */
  warmup: number;
}

/** The running state of one sensor; plain numbers so it can be stored as commit metadata and restored. */
export interface DetectorState {
  mean: number;
  variance: number;
  /** Readings taken into the state. */
  count: number;
}

/** What the detector says about one reading. */
export interface Verdict {
  anomaly: boolean;
  /** |value − expected| / standard deviation; 0 while warming up. */
  score: number;
  /** The EWMA mean before this reading: the value the detector expected. */
  expected: number;
}

/**
 * How far from the expected value an anomaly counts in the variance, in standard deviations: far enough that a real
 * change of level widens the variance within a few readings (×1.44 each), near enough that one spike does not blind
 * the detector to the next.
 */
const varianceClamp = 2;

/** Variance floor, so a sensor that never moved does not turn every tiny change into an infinite score. */
const minVariance = 1e-9;

export function emptyState(): DetectorState {
  return { mean: 0, variance: 0, count: 0 };
}

/** Checks the parameters; the message names the bad one. */
export function checkParams(params: DetectorParams): DetectorParams {
  const { alpha, threshold, warmup } = params;
  if (!(alpha > 0 && alpha <= 1)) throw new Error(`detector alpha must be in (0, 1] (got ${alpha})`);
  if (!(threshold > 0 && Number.isFinite(threshold))) throw new Error(`detector threshold must be a positive number (got ${threshold})`);
  if (!Number.isInteger(warmup) || warmup < 2) throw new Error(`detector warmup must be a whole number of at least 2 (got ${warmup})`);
  return params;
}

/** Judges `value` against `state` and returns the verdict with the state after it; `state` is not changed. */
export function observe(state: DetectorState, value: number, params: DetectorParams): { verdict: Verdict; state: DetectorState } {
  if (state.count === 0) {
    return { verdict: { anomaly: false, score: 0, expected: value }, state: { mean: value, variance: 0, count: 1 } };
  }
  const expected = state.mean;
  const deviation = value - expected;
  const sd = Math.sqrt(Math.max(state.variance, minVariance));
  const score = Math.abs(deviation) / sd;
  const judged = state.count >= params.warmup;
  const anomaly = judged && score > params.threshold;
  // An anomaly moves the mean only as far as a reading at the threshold would, and the variance as one varianceClamp
  // deviations away: a spike barely shifts the state, a real change of level is learned within a few readings.
  const { alpha } = params;
  const mean = expected + alpha * (anomaly ? Math.sign(deviation) * params.threshold * sd : deviation);
  const spread = anomaly ? varianceClamp * sd : deviation;
  // West's incremental EWMA variance: var ← (1 − α)(var + α·d²).
  const variance = (1 - alpha) * (state.variance + alpha * spread * spread);
  return {
    verdict: { anomaly, score: judged ? score : 0, expected },
    state: { mean, variance, count: state.count + 1 },
  };
}
