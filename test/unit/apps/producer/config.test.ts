// The producer's environment: defaults from the contract, and errors that name the bad variable.
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../../apps/lib/config';
import { producerEnv } from '../../../../apps/producer/config';

describe('producer config', () => {
  it('defaults to sensors A,B,C at 10 events per second on `events`, without a stop count', () => {
    const config = readConfig(producerEnv, { KAFKA_BROKERS: 'kafka:9092' });
    expect(config).toMatchObject({ EVENTS_TOPIC: 'events', SENSORS: ['A', 'B', 'C'], RATE_PER_SECOND: 10 });
    expect(config.COUNT).toBeUndefined();
  });

  it('reads a sensor list, a fractional rate and a count', () => {
    const config = readConfig(producerEnv, {
      KAFKA_BROKERS: 'kafka:9092',
      SENSORS: 'north, south',
      RATE_PER_SECOND: '0.5',
      COUNT: '60',
    });
    expect(config).toMatchObject({ SENSORS: ['north', 'south'], RATE_PER_SECOND: 0.5, COUNT: 60 });
  });

  it('names each bad variable', () => {
    expect(() => readConfig(producerEnv, { KAFKA_BROKERS: 'kafka:9092', RATE_PER_SECOND: '0', COUNT: '1.5' })).toThrow(
      /RATE_PER_SECOND: must be above 0[\s\S]*COUNT: must be a whole number/,
    );
    expect(() => readConfig(producerEnv, { SENSORS: ',' })).toThrow(/KAFKA_BROKERS: is required[\s\S]*SENSORS/);
  });
});
