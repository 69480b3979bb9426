// Unit tests of failure handling: which errors are permanent (dead-letter) or transient (retried), backoff, DLQ shape.
import { InvalidObjectNameError, S3Error } from 'minio';
import { describe, expect, it } from 'vitest';
import { backoffDelay, retryTransient } from '../../../../apps/processor/backoff';
import { dlqMessage } from '../../../../apps/processor/dlq';
import { PermanentError, classifyError } from '../../../../apps/processor/errors';

const s3Error = (code: string, message = `${code} happened`): S3Error => Object.assign(new S3Error(message), { code });
const systemError = (code: string): Error => Object.assign(new Error(`connect ${code} 127.0.0.1:9000`), { code });

describe('classifyError', () => {
  it('keeps the reason of a PermanentError', () => {
    expect(classifyError(new PermanentError('too-many-pixels', '9000×9000'))).toEqual({
      kind: 'permanent',
      reason: 'too-many-pixels',
      message: '9000×9000',
    });
  });
  it.each(['NoSuchKey', 'NotFound'])('treats S3 %s as a permanent "object-gone"', (code) => {
    expect(classifyError(s3Error(code))).toMatchObject({ kind: 'permanent', reason: 'object-gone' });
  });
  it.each(['KeyTooLongError', 'InvalidObjectName'])('treats S3 %s as a permanent "invalid-key"', (code) => {
    expect(classifyError(s3Error(code))).toMatchObject({ kind: 'permanent', reason: 'invalid-key' });
  });
  it('treats a key minio-js refuses before sending as a permanent "invalid-key"', () => {
    expect(classifyError(new InvalidObjectNameError('Invalid object name: '))).toMatchObject({ kind: 'permanent', reason: 'invalid-key' });
  });
  it.each(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'NoSuchBucket'])(
    'treats S3 %s as a refusal of the app, not of the upload',
    (code) => {
      expect(classifyError(s3Error(code))).toEqual({ kind: 'refused', code, message: `${code} happened` });
    },
  );
  it.each(['InternalError', 'ServiceUnavailable', 'SlowDown', 'XMinioServerNotInitialized'])(
    'retries S3 %s',
    (code) => {
      expect(classifyError(s3Error(code)).kind).toBe('transient');
    },
  );
  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE'])('retries network error %s', (code) => {
    expect(classifyError(systemError(code))).toEqual({ kind: 'transient', message: `connect ${code} 127.0.0.1:9000` });
  });
  it('retries errors it does not know, naming their code', () => {
    expect(classifyError(Object.assign(new Error('boom'), { code: 'EWHAT' }))).toEqual({ kind: 'transient', message: 'EWHAT: boom' });
    expect(classifyError('a string')).toEqual({ kind: 'transient', message: 'a string' });
  });
});

describe('backoffDelay', () => {
  const options = { baseMs: 100, maxMs: 5_000 };
  it('doubles per attempt, jittered into the upper half', () => {
    expect(backoffDelay(0, options, 0)).toBe(50);
    expect(backoffDelay(0, options, 0.999)).toBe(100);
    expect(backoffDelay(3, options, 0)).toBe(400);
    expect(backoffDelay(3, options, 0.5)).toBe(600);
  });
  it('never exceeds the maximum, even after very many attempts', () => {
    expect(backoffDelay(6, options, 0.999)).toBe(4_998);
    expect(backoffDelay(10_000, options, 0.999)).toBeLessThanOrEqual(5_000);
    expect(backoffDelay(10_000, options, 0)).toBe(2_500);
  });
});

describe('retryTransient', () => {
  const backoff = { baseMs: 1, maxMs: 4 };

  it('retries transient failures until the work succeeds', async () => {
    let calls = 0;
    const retries: string[] = [];
    const result = await retryTransient(
      async () => {
        calls += 1;
        if (calls < 4) throw systemError('ECONNREFUSED');
        return 'uploaded';
      },
      { backoff, signal: new AbortController().signal, onRetry: (_a, _d, message) => void retries.push(message) },
    );
    expect(result).toBe('uploaded');
    expect(calls).toBe(4);
    expect(retries).toHaveLength(3);
  });

  it('rethrows a permanent failure at once', async () => {
    let calls = 0;
    const failing = retryTransient(
      async () => {
        calls += 1;
        throw s3Error('NoSuchKey');
      },
      { backoff, signal: new AbortController().signal },
    );
    await expect(failing).rejects.toMatchObject({ code: 'NoSuchKey' });
    expect(calls).toBe(1);
  });

  it('retries a refusal (the upload is not at fault) and tells onRetry it was one', async () => {
    let calls = 0;
    const kinds: string[] = [];
    const result = await retryTransient(
      async () => {
        calls += 1;
        if (calls < 3) throw s3Error('AccessDenied');
        return 'uploaded';
      },
      { backoff, signal: new AbortController().signal, onRetry: (_a, _d, _m, failure) => void kinds.push(failure.kind) },
    );
    expect(result).toBe('uploaded');
    expect(kinds).toEqual(['refused', 'refused']);
  });

  it('stops retrying when the signal aborts, without resolving', async () => {
    const controller = new AbortController();
    let calls = 0;
    const pending = retryTransient(
      async () => {
        calls += 1;
        if (calls === 3) controller.abort(new Error('shutting down'));
        throw systemError('ECONNREFUSED');
      },
      { backoff, signal: controller.signal },
    );
    await expect(pending).rejects.toThrow(/shutting down|aborted/);
    expect(calls).toBe(3);
  });
});

describe('dlqMessage', () => {
  it('keeps the original key and value and says why and when', () => {
    const failedAt = new Date('2026-01-02T03:04:05.000Z');
    const msg = dlqMessage({
      reason: 'not-an-image',
      error: 'unsupported image format',
      originalKey: Buffer.from('uploads/notes.txt'),
      originalValue: Buffer.from('{"Records":[]}'),
      failedAt,
    });
    expect(msg.key?.toString()).toBe('uploads/notes.txt');
    expect(JSON.parse(msg.value)).toEqual({
      reason: 'not-an-image',
      error: 'unsupported image format',
      event: '{"Records":[]}',
      failedAt: '2026-01-02T03:04:05.000Z',
    });
  });
  it('writes an empty event for a message without a value', () => {
    const msg = dlqMessage({ reason: 'malformed-event', error: 'empty', originalKey: null, originalValue: null, failedAt: new Date(0) });
    expect(msg.key).toBeNull();
    expect(JSON.parse(msg.value).event).toBe('');
  });
});
