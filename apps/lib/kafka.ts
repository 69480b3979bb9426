// Creates the kafkajs client of an app from its configuration, logging through the app's JSON logger.
import { Kafka, logLevel, Partitioners, type KafkaConfig as KafkaJsConfig, type LogEntry, type ProducerConfig } from 'kafkajs';
import type { KafkaConfig } from './config';
import type { Logger, LogLevel } from './log';

/** kafkajs level → our level; kafkajs INFO is chatty (every join and rebalance), so it becomes debug. */
export function levelOf(level: logLevel): LogLevel | undefined {
  switch (level) {
    case logLevel.ERROR:
      return 'error';
    case logLevel.WARN:
      return 'warn';
    case logLevel.INFO:
    case logLevel.DEBUG:
      return 'debug';
    default:
      return undefined;
  }
}

/** A kafkajs client for `config`, logging to `log`; `overrides` for tests or special clients. */
export function createKafka(config: KafkaConfig, log?: Logger, overrides: Partial<KafkaJsConfig> = {}): Kafka {
  return new Kafka({
    clientId: config.KAFKA_CLIENT_ID,
    brokers: config.KAFKA_BROKERS,
    logLevel: log ? logLevel.INFO : logLevel.NOTHING,
    logCreator:
      () =>
      ({ namespace, level, log: entry }: LogEntry) => {
        const mapped = levelOf(level);
        if (!log || !mapped) return;
        const { message, ...fields } = entry;
        log[mapped](message, { ...fields, kafkajs: namespace });
      },
    ...overrides,
  });
}

/**
 * Producer options every app uses: the Java client's partitioner (murmur2, the kafkajs default since v2,
 * chosen explicitly so kafkajs does not warn about the change), and idempotent writes.
 */
export const producerDefaults: ProducerConfig = {
  createPartitioner: Partitioners.DefaultPartitioner,
  idempotent: true,
  maxInFlightRequests: 5,
};
