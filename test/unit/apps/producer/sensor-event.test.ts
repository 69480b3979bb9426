// Parsing of sensor events as the aggregator reads them off the `events` topic.
import { describe, expect, it } from 'vitest';
import { parseSensorEvent } from '../../../../contracts/sensor-event';

describe('parseSensorEvent', () => {
  const valid = { id: '786ac394-8bd1-44cf-9380-ebd65e4cbc01', sensor: 'A', value: 42.5, ts: 1_700_000_000_000 };

  it('reads a valid event from a Buffer', () => {
    expect(parseSensorEvent(Buffer.from(JSON.stringify(valid)))).toEqual(valid);
  });

  it('rejects what is not a sensor event', () => {
    expect(parseSensorEvent(null)).toBeUndefined();
    expect(parseSensorEvent('not json')).toBeUndefined();
    expect(parseSensorEvent(JSON.stringify({ ...valid, value: 'high' }))).toBeUndefined();
    expect(parseSensorEvent(JSON.stringify({ ...valid, sensor: '' }))).toBeUndefined();
    expect(parseSensorEvent(JSON.stringify({ ...valid, extra: 1 }))).toBeUndefined();
    expect(parseSensorEvent(JSON.stringify({ id: valid.id, sensor: 'A', value: 1 }))).toBeUndefined();
  });
});
