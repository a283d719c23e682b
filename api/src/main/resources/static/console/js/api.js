// The console's one way to the api: same origin, the key as Authorization: Bearer, never in a URL, and every refusal
// turned into an ApiError carrying the api's own error shape ({"error": {code, message, field, request_id}}).

/** A refusal or a failure, with the api's error code and message, shown to the operator as the api said it. */
export class ApiError extends Error {
  constructor(status, {code, message, field, requestId, retryAfter} = {}) {
    super(message ?? `the api answered ${status}`);
    this.status = status;
    this.code = code ?? 'unexpected_answer';
    this.field = field ?? null;
    this.requestId = requestId ?? null;
    this.retryAfter = retryAfter ?? null;
  }

  static async of(response) {
    let error = null;
    try {
      error = (await response.json())?.error ?? null;
    } catch {
      // not JSON: a proxy's page, say; the status says enough
    }
    const retry = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    return new ApiError(response.status, {
      code: error?.code,
      message: error?.message ?? `the api answered ${response.status} ${response.statusText}`.trim(),
      field: error?.field,
      requestId: error?.request_id ?? response.headers.get('X-Request-Id'),
      retryAfter: Number.isFinite(retry) ? retry : null,
    });
  }
}

/**
 * A client of this api for the key keyOf() returns.
 *
 * @param keyOf       returns the API key to send
 * @param onRefused   called with the ApiError of a 401: the key stopped working (revoked, say)
 */
export function apiClient(keyOf, onRefused = () => {}) {
  async function send(method, path, {query, body, idempotencyKey, key} = {}) {
    const url = new URL(path, window.location.origin);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value != null && value !== '') {
        url.searchParams.set(name, value);
      }
    }
    const headers = {Accept: 'application/json', Authorization: `Bearer ${key ?? keyOf()}`};
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (idempotencyKey) {
      headers['Idempotency-Key'] = idempotencyKey;
    }
    let response;
    try {
      response = await fetch(url, {method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store', credentials: 'omit', redirect: 'error', referrerPolicy: 'no-referrer'});
    } catch (e) {
      throw new ApiError(0, {code: 'unreachable', message: 'the api did not answer; is it running?'});
    }
    if (!response.ok) {
      const error = await ApiError.of(response);
      if (error.status === 401 && key === undefined) {
        onRefused(error);
      }
      throw error;
    }
    return {status: response.status, body: response.status === 204 ? null : await response.json(),
      headers: response.headers};
  }

  /**
   * Follows a Server-Sent Events stream of this api (fetch, as EventSource cannot send the key as a header), calling
   * onEvent({id, type, data}) with each event's data parsed as JSON. Resolves when the api ends the stream; rejects
   * with an ApiError if it refuses it or the connection fails.
   */
  async function stream(path, {onEvent, lastEventId, signal}) {
    const headers = {Accept: 'text/event-stream', Authorization: `Bearer ${keyOf()}`};
    if (lastEventId) {
      headers['Last-Event-ID'] = lastEventId;
    }
    let response;
    try {
      response = await fetch(new URL(path, window.location.origin), {headers, signal, cache: 'no-store',
        credentials: 'omit', redirect: 'error', referrerPolicy: 'no-referrer'});
    } catch (e) {
      if (signal?.aborted) {
        return;
      }
      throw new ApiError(0, {code: 'unreachable', message: 'the api did not answer; is it running?'});
    }
    if (!response.ok) {
      const error = await ApiError.of(response);
      if (error.status === 401) {
        onRefused(error);
      }
      throw error;
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = {id: null, type: 'message', data: []};
    try {
      for (;;) {
        const {value, done} = await reader.read();
        if (done) {
          return;
        }
        buffer += value;
        let newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (event.data.length) {
              onEvent({id: event.id, type: event.type, data: JSON.parse(event.data.join('\n'))});
            }
            event = {id: event.id, type: 'message', data: []};
          } else if (!line.startsWith(':')) {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') {
              event.id = text;
            } else if (field === 'event') {
              event.type = text;
            } else if (field === 'data') {
              event.data.push(text);
            }
          }
        }
      }
    } catch (e) {
      if (signal?.aborted) {
        return;
      }
      throw new ApiError(0, {code: 'stream_broken', message: 'the event stream was cut off; reconnecting'});
    }
  }

  return {
    stream,
    get: (path, query) => send('GET', path, {query}).then(answer => answer.body),
    post: (path, body, options) => send('POST', path, {body, ...options}),
    /** Checks a key before it is kept: the answer of one listing of one task with it. */
    check: key => send('GET', '/v1/tasks', {query: {limit: 1}, key}),
  };
}

/** A fresh Idempotency-Key: a retried or double-clicked request then has no second effect. */
export function idempotencyKey() {
  return `console-${crypto.randomUUID()}`;
}
