// Encodes Server-Sent Events frames (text/event-stream) for `GET /sensors/stream`.

export interface SseEvent {
  /** Event name; the browser's EventSource dispatches it to listeners of that name. */
  event?: string;
  /** Payload; serialized as JSON on one `data:` line. */
  data: unknown;
  id?: string;
}

/** One SSE frame. JSON has no raw newlines, so a single `data:` line is always enough. */
export function formatSseEvent({ event, data, id }: SseEvent): string {
  let frame = '';
  if (id !== undefined) frame += `id: ${stripNewlines(id)}\n`;
  if (event !== undefined) frame += `event: ${stripNewlines(event)}\n`;
  frame += `data: ${JSON.stringify(data)}\n\n`;
  return frame;
}

/** A comment frame: keeps idle connections open through proxies without waking the browser's handlers. */
export function formatSseComment(text: string): string {
  return `: ${stripNewlines(text)}\n\n`;
}

function stripNewlines(text: string): string {
  return text.replace(/[\r\n]/g, ' ');
}
