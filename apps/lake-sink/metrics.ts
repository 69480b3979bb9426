// Prometheus metrics of the lake sink, and the observer that feeds them and the log from the loop.
import { Counter, Gauge, type Registry } from 'prom-client';
import { APP_METRICS } from '../lib/metric-names';
import type { Logger } from '../lib/log';
import type { LakeSinkObserver } from './sink';

export function lakeSinkObserver(registry: Registry, log: Logger, onCrash: () => void): LakeSinkObserver {
  const files = new Counter({ name: 'lake_files_written_total', help: 'Parquet files uploaded to the lake, per topic.', labelNames: ['topic'], registers: [registry] });
  const rows = new Counter({ name: APP_METRICS.lakeRecordsWritten, help: 'Records written to the lake, per topic (a replaced file counts again).', labelNames: ['topic'], registers: [registry] });
  const bytes = new Counter({ name: 'lake_bytes_written_total', help: 'Bytes of Parquet uploaded to the lake.', registers: [registry] });
  const replaced = new Counter({ name: 'lake_files_replaced_total', help: 'Files that overwrote an object uploaded before a crash and never committed.', registers: [registry] });
  const dead = new Counter({ name: 'lake_records_dead_lettered_total', help: 'Records sent to the dead-letter topic because they cannot be written, per topic.', labelNames: ['topic'], registers: [registry] });
  const failures = new Counter({ name: 'lake_roll_failures_total', help: 'Uploads or commits that failed; the file is tried again.', registers: [registry] });
  const buffered = new Gauge({ name: 'lake_buffered_bytes', help: 'Bytes of records held in open files.', registers: [registry] });
  return {
    written: (file) => {
      files.inc({ topic: file.topic });
      rows.inc({ topic: file.topic }, file.rows);
      bytes.inc(file.bytes);
      if (file.replaced) replaced.inc();
      log.info(file.replaced ? 'replaced a file uploaded before a crash' : 'wrote a file', { key: file.key, rows: file.rows, bytes: file.bytes });
    },
    deadLettered: (topic, partition, offset, error) => {
      dead.inc({ topic });
      log.warn('record cannot be written; sent to the dead-letter topic', { topic, partition, offset, error });
    },
    committed: (topic, partition, offset) => log.debug('committed', { topic, partition, offset }),
    buffered: (value) => buffered.set(value),
    failed: (topic, partition, error) => {
      failures.inc();
      log.warn('upload or commit failed; the file stays open', { topic, partition, error });
    },
    dropped: (count, reason) => log.info('dropped open files; their records are re-read from the committed offsets', { files: count, reason }),
    crashed: (error) => {
      log.error('consumer crashed and will not restart', { error });
      onCrash();
    },
  };
}
