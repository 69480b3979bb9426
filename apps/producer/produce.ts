// The producer loop: simulated readings of every sensor, sent to the events topic at a steady total rate.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka, Message } from 'kafkajs';
import { producerDefaults } from '../lib/kafka';
import { injectSpike, isInjected } from './anomalies';
import { dueAtMs, eventsDue, sensorOf } from './pacing';
import { firstReading, nextReading } from './random-walk';
import type { SensorEvent } from '../../contracts/sensor-event';

export interface ProducerOptions {
  /** Topic the events go to. */
  eventsTopic: string;
  /** Sensor ids; events are dealt to them in turn. */
  sensors: readonly string[];
  /** Events per second over all sensors. */
  ratePerSecond: number;
  /** Fraction of events replaced by a spike marked `injected`; none when not given. */
  anomalyRate?: number;
  /** Distance of an injected spike from the reading. */
  anomalyMagnitude?: number;
  /** Stop after this many events; run until aborted when not given. */
  count?: number;
}

/** Upper bound of events per send, so catching up after a slow send does not build one huge request. */
const maxEventsPerSend = 1000;

/**
 * Sends events until `count` is reached or `signal` aborts; resolves with the number sent.
 * Every send is acknowledged by all in-sync replicas before the next one, so a returned count was written.
 */
export async function runProducer(
  kafka: Kafka,
  options: ProducerOptions,
  signal: AbortSignal,
  onSent: (count: number) => void = () => {},
): Promise<number> {
  const producer = kafka.producer({ ...producerDefaults, allowAutoTopicCreation: false });
  await producer.connect();
  const readings = new Map(options.sensors.map((s) => [s, firstReading()]));
  const limit = options.count ?? Number.POSITIVE_INFINITY;
  const start = performance.now();
  let sent = 0;
  try {
    while (!signal.aborted && sent < limit) {
      const due = Math.min(eventsDue(performance.now() - start, options.ratePerSecond), limit, sent + maxEventsPerSend);
      if (due > sent) {
        const messages: Message[] = [];
        for (let n = sent; n < due; n++) {
          const sensor = sensorOf(n, options.sensors);
          const value = readings.get(sensor) ?? firstReading();
          readings.set(sensor, nextReading(value, Math.random()));
          const injected = isInjected(Math.random(), options.anomalyRate ?? 0);
          const event: SensorEvent = injected
            ? { id: randomUUID(), sensor, value: injectSpike(value, Math.random(), options.anomalyMagnitude), ts: Date.now(), injected }
            : { id: randomUUID(), sensor, value, ts: Date.now() };
          messages.push({ key: sensor, value: JSON.stringify(event) });
        }
        await producer.send({ topic: options.eventsTopic, messages, acks: -1 });
        sent = due;
        onSent(messages.length);
        continue;
      }
      const wait = dueAtMs(sent, options.ratePerSecond) - (performance.now() - start);
      // Sleep at least 1 ms: the float due time and eventsDue may disagree by a hair at the boundary.
      await sleep(Math.max(1, wait), undefined, { signal }).catch(() => undefined);
    }
  } finally {
    await producer.disconnect();
  }
  return sent;
}
