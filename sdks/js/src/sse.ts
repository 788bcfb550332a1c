import { errorFor } from './errors.js';

/** One event of the real-time stream (`GET /notification/api/sse`). */
export interface StreamEvent {
  /** The event's id; resuming after it replays what was missed. */
  id?: string;
  /** `notification.created`, `points.earned`, `tier.changed`, …, or `reset` (reload: what was missed is beyond retention). */
  event: string;
  /** The event's JSON payload. */
  data: unknown;
}

export interface StreamOptions {
  /** Resume after this event id (e.g. one stored before the page reloaded). */
  lastEventId?: string;
  /** Content language of inbox events (`en`, `th`, `cn`). */
  locale?: string;
  /** Stops the stream (the iterator then ends). */
  signal?: AbortSignal;
  /** Consecutive failed connects before giving up (default: never give up). */
  maxReconnects?: number;
}

/**
 * The stream as an async iterator. hey-api's generated SSE helper yields only the payloads and
 * stops when the server ends a stream, which it does on shutdown and when the token expires;
 * this one keeps each event's id and name and reconnects with `Last-Event-ID`, after the
 * server's `retry:` delay.
 */
export async function* openStream(
  url: string,
  send: (request: Request) => Promise<Response>,
  options: StreamOptions,
): AsyncIterableIterator<StreamEvent> {
  let lastEventId = options.lastEventId;
  let retryMs = 3000;
  let failures = 0;
  while (!options.signal?.aborted) {
    const target = new URL(url);
    if (options.locale) target.searchParams.set('locale', options.locale);
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastEventId !== undefined) headers['Last-Event-ID'] = lastEventId;
    let response: Response | undefined;
    try {
      response = await send(new Request(target, { headers, signal: options.signal }));
    } catch (error) {
      if (options.signal?.aborted) return;
      response = undefined;
      if (++failures > (options.maxReconnects ?? Infinity)) throw error;
    }
    if (response && !response.ok) {
      const error = errorFor(response, await response.json().catch(() => undefined));
      // 4xx will not heal by retrying (a 401 was already refreshed); a 5xx during a restart will.
      if (response.status < 500 || ++failures > (options.maxReconnects ?? Infinity)) throw error;
      response = undefined;
    }
    if (response?.body) {
      failures = 0;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const onAbort = () => void reader.cancel().catch(() => undefined);
      options.signal?.addEventListener('abort', onAbort);
      let buffer = '';
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer = (buffer + value).replace(/\r\n?/g, '\n');
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = parseBlock(block);
            if (event.retry !== undefined) retryMs = event.retry;
            if (event.id !== undefined) lastEventId = event.id;
            if (event.data !== undefined) {
              yield { id: event.id, event: event.event ?? 'message', data: event.data };
            }
          }
        }
      } catch (error) {
        if (options.signal?.aborted) return;
        void error; // a cut connection: reconnect below
      } finally {
        options.signal?.removeEventListener('abort', onAbort);
        // Also when the consumer stops iterating (`break`): the connection is closed, not leaked.
        await reader.cancel().catch(() => undefined);
      }
    }
    if (options.signal?.aborted) return;
    // The server's delay after a cut stream; growing (to 30 s) while connects keep failing.
    await new Promise((resolve) => setTimeout(resolve, Math.min(retryMs * 2 ** failures, 30_000)));
  }
}

function parseBlock(block: string): { id?: string; event?: string; data?: unknown; retry?: number } {
  const out: { id?: string; event?: string; data?: unknown; retry?: number } = {};
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue; // comments are heartbeats
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'event') out.event = value;
    else if (field === 'id') out.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) out.retry = Number(value);
  }
  if (data.length > 0) {
    const raw = data.join('\n');
    try {
      out.data = JSON.parse(raw);
    } catch {
      out.data = raw;
    }
  }
  return out;
}
