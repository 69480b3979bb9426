// The detector's environment: defaults equal to the model's, and errors that name the bad variable.
import { describe, expect, it } from 'vitest';
import { appsSchema } from '../../../../config/schema';
import { defaultDetectorParams, detectorEnv } from '../../../../apps/detector/config';
import { readConfig } from '../../../../apps/lib/config';

describe('detector config', () => {
  it('defaults to `events` → `anomalies` in group `detector`, with the model’s default parameters', () => {
    const modelDefaults = appsSchema.shape.detector.parse(undefined);
    expect(modelDefaults).toEqual(defaultDetectorParams);
    expect(readConfig(detectorEnv, { KAFKA_BROKERS: 'kafka-0:9092' })).toMatchObject({
      EVENTS_TOPIC: 'events',
      ANOMALIES_TOPIC: 'anomalies',
      GROUP_ID: 'detector',
      DETECTOR_ALPHA: modelDefaults.alpha,
      DETECTOR_THRESHOLD: modelDefaults.threshold,
      DETECTOR_WARMUP: modelDefaults.warmup,
    });
  });

  it('names each bad variable', () => {
    expect(() => readConfig(detectorEnv, { KAFKA_BROKERS: 'kafka:9092', DETECTOR_ALPHA: '1.5' })).toThrow(/DETECTOR_ALPHA: must be at most 1/);
    expect(() => readConfig(detectorEnv, { KAFKA_BROKERS: 'kafka:9092', DETECTOR_THRESHOLD: '0', DETECTOR_WARMUP: '1' })).toThrow(
      /DETECTOR_THRESHOLD: must be above 0[\s\S]*DETECTOR_WARMUP: must be at least 2/,
    );
  });
});
