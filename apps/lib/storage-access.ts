// Whether MinIO accepts the app's requests: a refusal (wrong secret, missing permission or bucket) makes it unready.
import type { Logger } from './log';

// S3 error codes that refuse the app itself rather than one request: every request would fail the same way until an
// operator fixes the credentials, the policy or the bucket, so waiting and retrying cannot help.
const refusedCodes: ReadonlySet<string> = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'NoSuchBucket',
  'AllAccessDisabled',
  'AccountProblem',
]);

/** The S3 code of an error when it is a refusal of the app, else undefined. */
export function refusalCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && refusedCodes.has(code) ? code : undefined;
}

export interface Refusal {
  code: string;
  message: string;
  /** What the app was doing, e.g. `uploads/photos/cat.jpg` or `list processed`. */
  during: string;
  since: Date;
}

/** Tracks refusals; logs once when MinIO starts refusing and once when it accepts again. */
export class StorageAccess {
  private refusal: Refusal | undefined;

  constructor(
    private readonly log: Pick<Logger, 'error' | 'info'>,
    private readonly onChange?: (refused: boolean) => void,
  ) {}

  /** Records a refusal; the first one since the last success is logged as an error. */
  refused(code: string, message: string, during: string): void {
    if (this.refusal === undefined) {
      this.log.error('MinIO refuses this app; not ready until its credentials, policy or buckets are fixed', { code, error: message, during });
      this.onChange?.(true);
    }
    this.refusal = { code, message, during, since: this.refusal?.since ?? new Date() };
  }

  /**
   * Records requests MinIO accepted. With `during`, only a refusal of that same activity is cleared: a bucket check
   * that passes says nothing about the uploads a policy without PutObject refuses.
   */
  accepted(during?: string): void {
    if (this.refusal === undefined) return;
    if (during !== undefined && this.refusal.during !== during) return;
    this.log.info('MinIO accepts this app again; ready', { code: this.refusal.code, refusedFor: `${Date.now() - this.refusal.since.getTime()} ms` });
    this.refusal = undefined;
    this.onChange?.(false);
  }

  /** The current refusal, if any. */
  get current(): Refusal | undefined {
    return this.refusal;
  }
}
