// Sorts processing failures into permanent ones (sent to the dead-letter topic), transient ones (retried) and refusals
// of the app by MinIO (retried too, since the upload is fine, but the app is unready until an operator acts).
import { refusalCode } from '../lib/storage-access';

/** Why a message went to the dead-letter topic. */
export const dlqReasons = [
  'malformed-event',
  'object-gone',
  'empty-object',
  'too-many-bytes',
  'too-many-pixels',
  'not-an-image',
  'corrupt-image',
  'invalid-key',
] as const;
export type DlqReason = (typeof dlqReasons)[number];

/** A failure that retrying cannot fix. */
export class PermanentError extends Error {
  constructor(
    readonly reason: DlqReason,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentError';
  }
}

export type Classified =
  | { kind: 'permanent'; reason: DlqReason; message: string }
  | { kind: 'transient'; message: string }
  | { kind: 'refused'; code: string; message: string };

// S3 error codes that mean the object no longer exists: a later retry would find nothing either.
const goneCodes = new Set(['NoSuchKey', 'NotFound', 'NoSuchVersion']);

// A rendition key MinIO refuses (e.g. the source key is near the 1024-byte limit) is refused on every retry.
const invalidKeyCodes = new Set(['KeyTooLongError', 'InvalidObjectName', 'XMinioInvalidObjectName']);

const codeOf = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

const messageOf = (err: unknown): string => {
  if (err instanceof Error) {
    const code = codeOf(err);
    return code !== undefined && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
};

/**
 * Classifies an error. Anything not known to be permanent or refused is transient: an unreachable MinIO or Kafka, a
 * 5xx, a refused connection and also surprises, because dropping an upload is worse than retrying it.
 */
export function classifyError(err: unknown): Classified {
  if (err instanceof PermanentError) return { kind: 'permanent', reason: err.reason, message: err.message };
  const refused = refusalCode(err);
  if (refused !== undefined) return { kind: 'refused', code: refused, message: messageOf(err) };
  const code = codeOf(err);
  if (code !== undefined && goneCodes.has(code)) return { kind: 'permanent', reason: 'object-gone', message: messageOf(err) };
  if ((code !== undefined && invalidKeyCodes.has(code)) || (err instanceof Error && err.name === 'InvalidObjectNameError')) {
    return { kind: 'permanent', reason: 'invalid-key', message: messageOf(err) };
  }
  return { kind: 'transient', message: messageOf(err) };
}
