// Calls to the API under the relative path `api/`, so the page works wherever it is served with the API beside it.
import type { SignedImageGroup, SignedImagePage } from '../../../contracts/image-listing';
import type { LatestReport } from '../../../contracts/sensor-report';
import type { UploadTicket } from '../../../contracts/upload-types';
import type { AnomalyPoint } from './sensor-history';

export type { LatestReport, SignedImagePage, UploadTicket };
export type ImageGroup = SignedImageGroup;

/** Resolves an API path against the page, e.g. `api/sensors` next to `/` or `/demo/`. */
export function apiUrl(path: string): string {
  return new URL(`api/${path}`, document.baseURI).toString();
}

/** An answer that is not 2xx, with the API's `error` message when it sent one. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function json<T>(response: Response): Promise<T> {
  if (response.ok) return (await response.json()) as T;
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as { error?: string };
    if (body.error) message = body.error;
  } catch {
    // Not JSON (a proxy's error page): the status line says enough.
  }
  throw new ApiError(message, response.status);
}

export async function fetchImages(params: { limit?: number; cursor?: string; prefix?: string }): Promise<SignedImagePage> {
  const query = new URLSearchParams();
  if (params.limit !== undefined) query.set('limit', String(params.limit));
  if (params.cursor !== undefined) query.set('cursor', params.cursor);
  if (params.prefix !== undefined) query.set('prefix', params.prefix);
  return json(await fetch(`${apiUrl('images')}?${query}`, { cache: 'no-store' }));
}

export async function requestUploadUrl(file: File): Promise<UploadTicket> {
  return json(
    await fetch(apiUrl('images/upload-url'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ filename: file.name, contentType: file.type, size: file.size }),
    }),
  );
}

/** PUTs the file straight to the object store with the presigned URL; the API never sees the bytes. */
export async function uploadFile(ticket: UploadTicket, file: File): Promise<void> {
  const response = await fetch(ticket.url, { method: ticket.method, headers: ticket.headers, body: file });
  if (!response.ok) throw new ApiError(`the object store refused the upload (${response.status})`, response.status);
}

/** The detector's recent anomalies, newest first. */
export async function fetchAnomalies(): Promise<AnomalyPoint[]> {
  return (await json<{ anomalies: AnomalyPoint[] }>(await fetch(apiUrl('anomalies?limit=200'), { cache: 'no-store' }))).anomalies;
}

/** The latest daily report in the lake. */
export async function fetchReport(): Promise<LatestReport> {
  return json(await fetch(apiUrl('reports'), { cache: 'no-store' }));
}
