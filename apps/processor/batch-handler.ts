// The kafkajs eachBatch handler: processes notifications concurrently and commits only what is fully done.
import type { EachBatchPayload, KafkaMessage, Producer } from 'kafkajs';
import type { Client } from 'minio';
import type { Limit } from 'p-limit';
import { announcementMessage } from '../../contracts/renditions-announcement';
import type { StorageAccess } from '../lib/storage-access';
import { type BackoffOptions, retryTransient } from './backoff';
import { dlqMessage } from './dlq';
import { type DlqReason, classifyError } from './errors';
import { parseNotification } from './event';
import { InOrderCompletion } from './in-order';
import type { ProcessorMetrics } from './metrics';
import { type ProcessingLimits, type StoredRendition, processObject } from './process-object';
import { deadLetterMarkerKey } from './reconcile';

type Fields = Record<string, unknown>;

/** The logging the handler needs; the JSON lines logger of apps/lib fits it. */
export interface HandlerLog {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
}

export interface BatchHandlerDeps {
  minio: Client;
  /** Producer for the dead-letter topic. */
  producer: Producer;
  dlqTopic: string;
  /** Topic each upload's renditions are announced on once written (`results`, which the API reads); unset: none. */
  announceTopic?: string;
  limits: ProcessingLimits;
  /** Shared by every partition, so CONCURRENCY bounds the whole process. */
  limit: Limit;
  backoff: BackoffOptions;
  /** Aborted on shutdown: no new message starts and retry waits end; unfinished messages stay uncommitted. */
  signal: AbortSignal;
  metrics: ProcessorMetrics;
  log: HandlerLog;
  /** Told of every refusal by MinIO and every object done, so /readyz reflects whether MinIO accepts the processor. */
  access: StorageAccess;
}

export function createBatchHandler(deps: BatchHandlerDeps): (payload: EachBatchPayload) => Promise<void> {
  const { log, metrics, signal } = deps;

  return async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
    const { topic, partition, messages } = batch;
    // A failed heartbeat usually means a rebalance: messages already running finish (a replay would only
    // overwrite the same keys), no new one starts, so the batch ends soon and the runner can rejoin.
    let heartbeatFailed = false;
    const keepAlive = async (): Promise<void> => {
      try {
        await heartbeat();
      } catch (err) {
        heartbeatFailed = true;
        log.debug('heartbeat failed', { topic, partition, error: (err as Error).message });
      }
    };

    /**
     * Records a dead-lettered upload in the processed bucket (keyed by a hash of its key, with its ETag), so the
     * reconciler sees it has an outcome. Written before the dead letter: a crash in between only repeats both.
     */
    const markDeadLetter = async (bucket: string, key: string, etag: string, reason: DlqReason, error: string): Promise<void> => {
      const body = Buffer.from(JSON.stringify({ bucket, key, reason, error }));
      await retryTransient(
        () =>
          deps.minio.putObject(deps.limits.processedBucket, deadLetterMarkerKey(key), body, body.length, {
            'Content-Type': 'application/json',
            'source-etag': etag,
          }),
        {
          backoff: deps.backoff,
          signal,
          onRetry: async (attempt, delayMs, failure, classified) => {
            if (classified.kind === 'refused') deps.access.refused(classified.code, failure, `mark dead letter of ${bucket}/${key}`);
            log.warn('writing the dead-letter marker failed, retrying', { bucket, key, attempt, delayMs, error: failure });
            await keepAlive();
          },
        },
      );
    };

    const deadLetter = async (message: KafkaMessage, reason: DlqReason, error: string): Promise<void> => {
      const letter = dlqMessage({ reason, error, originalKey: message.key, originalValue: message.value, failedAt: new Date() });
      await retryTransient(() => deps.producer.send({ topic: deps.dlqTopic, acks: -1, messages: [letter] }), {
        backoff: deps.backoff,
        signal,
        onRetry: async (attempt, delayMs, failure) => {
          log.warn('dead-letter send failed, retrying', { attempt, delayMs, error: failure });
          await keepAlive();
        },
      });
      metrics.deadLetters.inc({ reason });
      log.warn('sent to dead-letter topic', { reason, error, topic, partition, offset: message.offset });
    };

    /**
     * Tells readers of `topic` (the API's image index) that an upload's renditions are written. Before the commit, so
     * a crash repeats it; a lost one is only late: the API lists the bucket in full now and then.
     */
    const announce = async (topic: string, source: string, renditions: StoredRendition[]): Promise<void> => {
      const message = announcementMessage({
        source,
        bucket: deps.limits.processedBucket,
        renditions: renditions.map((r) => ({ key: r.key, size: r.size, lastModified: r.writtenAt.toISOString() })),
      });
      await retryTransient(() => deps.producer.send({ topic, acks: -1, messages: [message] }), {
        backoff: deps.backoff,
        signal,
        onRetry: async (attempt, delayMs, failure) => {
          log.warn('announcing renditions failed, retrying', { topic, source, attempt, delayMs, error: failure });
          await keepAlive();
        },
      });
    };

    const handleMessage = async (message: KafkaMessage): Promise<void> => {
      const parsed = parseNotification(message.value);
      if (!parsed.ok) {
        await deadLetter(message, 'malformed-event', parsed.error);
        return;
      }
      for (const object of parsed.created) {
        // Renditions written into the processed bucket must not be processed again, or they would loop.
        if (object.bucket === deps.limits.processedBucket) {
          log.warn('ignoring an event of the processed bucket', { bucket: object.bucket, key: object.key });
          continue;
        }
        const stopTimer = metrics.processingSeconds.startTimer();
        // The ETag of the source as the last attempt found it, for the dead-letter marker.
        const observed: { sourceEtag?: string } = {};
        try {
          const result = await retryTransient(() => processObject(deps.minio, deps.limits, object.bucket, object.key, observed), {
            backoff: deps.backoff,
            signal,
            onRetry: async (attempt, delayMs, failure, classified) => {
              metrics.transientFailures.inc();
              if (classified.kind === 'refused') deps.access.refused(classified.code, failure, `${object.bucket}/${object.key}`);
              log.warn('processing failed transiently, retrying', { bucket: object.bucket, key: object.key, attempt, delayMs, error: failure });
              await keepAlive();
            },
          });
          deps.access.accepted();
          if (deps.announceTopic !== undefined) await announce(deps.announceTopic, object.key, result.renditions);
          stopTimer({ result: 'rendered' });
          metrics.processedObjects.inc({ result: 'rendered' });
          for (const r of result.renditions) metrics.renditions.inc({ rendition: r.name });
          log.info('rendered', {
            bucket: object.bucket,
            key: object.key,
            etag: result.sourceEtag,
            renditions: result.renditions.map(({ name, key, width, height }) => ({ name, key, width, height })),
          });
        } catch (err) {
          const failure = classifyError(err);
          // Only an abort (shutdown) gets here as transient or refused: leave the message uncommitted.
          if (failure.kind !== 'permanent') throw err;
          deps.access.accepted();
          stopTimer({ result: 'dead-lettered' });
          metrics.processedObjects.inc({ result: 'dead-lettered' });
          const error = `${object.bucket}/${object.key}: ${failure.message}`;
          // A source that is gone needs no marker: the reconciler only looks at objects that exist.
          if (observed.sourceEtag !== undefined && failure.reason !== 'object-gone') {
            await markDeadLetter(object.bucket, object.key, observed.sourceEtag, failure.reason, error);
          }
          await deadLetter(message, failure.reason, error);
        }
      }
      if (parsed.ignored > 0) log.debug('ignored events that do not create objects', { count: parsed.ignored, offset: message.offset });
    };

    // Offsets are resolved strictly in order, up to the first message not yet done, so a crash replays
    // everything after it. Messages with the same key (the same object) run one after another.
    const completion = new InOrderCompletion(messages.length);
    // A long batch commits what is done as it goes (at most once per autoCommitInterval), so a crash in the
    // middle of it redoes only the unfinished tail instead of the whole batch; a failed commit is retried later.
    const commitProgress = async (): Promise<void> => {
      try {
        await commitOffsetsIfNecessary();
      } catch (err) {
        log.debug('commit inside the batch failed', { topic, partition, error: (err as Error).message });
      }
    };
    const chains = new Map<string, Promise<void>>();
    const tasks = messages.map((message, index) => {
      const chainKey = message.key === null ? `#${index}` : message.key.toString();
      const previous = chains.get(chainKey) ?? Promise.resolve();
      const task = previous
        .then(() =>
          deps.limit(async () => {
            if (signal.aborted || heartbeatFailed || !isRunning() || isStale()) throw new Error('batch interrupted');
            await handleMessage(message);
          }),
        )
        .then(async () => {
          for (const ready of completion.complete(index)) resolveOffset(messages[ready]!.offset);
          await keepAlive();
          await commitProgress();
        });
      chains.set(chainKey, task);
      return task;
    });
    const results = await Promise.allSettled(tasks);
    await commitOffsetsIfNecessary();
    const unfinished = results.filter((r) => r.status === 'rejected').length;
    if (unfinished > 0) log.info('left messages uncommitted for the next run', { topic, partition, unfinished });
  };
}
