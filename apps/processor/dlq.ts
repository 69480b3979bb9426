// The dead-letter message for an event that cannot be processed: {reason, error, event, failedAt}, keyed like the original.
import type { DlqReason } from './errors';

export interface DlqMessage {
  key: Buffer | string | null;
  value: string;
}

/** Builds the dead-letter message; `event` is the original message value, kept verbatim as a string. */
export function dlqMessage(input: {
  reason: DlqReason;
  error: string;
  originalKey: Buffer | string | null;
  originalValue: Buffer | string | null;
  failedAt: Date;
}): DlqMessage {
  return {
    key: input.originalKey,
    value: JSON.stringify({
      reason: input.reason,
      error: input.error,
      event: input.originalValue === null ? '' : input.originalValue.toString(),
      failedAt: input.failedAt.toISOString(),
    }),
  };
}
