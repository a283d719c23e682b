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

  return {
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
