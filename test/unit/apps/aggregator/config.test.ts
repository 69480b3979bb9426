// The aggregator's environment: defaults from the contract, and errors that name the bad variable.
import { describe, expect, it } from 'vitest';
import { aggregatorEnv } from '../../../../apps/aggregator/config';
import { readConfig } from '../../../../apps/lib/config';

describe('aggregator config', () => {
  it('defaults to windows of 20 from `events` to `results` in group `aggregator`', () => {
    expect(readConfig(aggregatorEnv, { KAFKA_BROKERS: 'kafka-0:9092,kafka-1:9092' })).toMatchObject({
      KAFKA_BROKERS: ['kafka-0:9092', 'kafka-1:9092'],
      EVENTS_TOPIC: 'events',
      RESULTS_TOPIC: 'results',
      WINDOW_SIZE: 20,
      GROUP_ID: 'aggregator',
      SESSION_TIMEOUT_MS: 30_000,
    });
  });

  it('names each bad variable', () => {
    expect(() => readConfig(aggregatorEnv, { KAFKA_BROKERS: 'kafka:9092', WINDOW_SIZE: '0' })).toThrow(
      /WINDOW_SIZE: must be at least 1/,
    );
    expect(() => readConfig(aggregatorEnv, { KAFKA_BROKERS: 'kafka', WINDOW_SIZE: 'twenty' })).toThrow(
      /KAFKA_BROKERS: each broker must be host:port[\s\S]*WINDOW_SIZE: must be a number/,
    );
  });
});
