/** The rate-limit headers of a response (`X-RateLimit-Limit`, `-Remaining`, `-Reset`). */
export interface RateLimit {
  /** Requests allowed per hour. */
  limit: number;
  /** Requests left now. */
  remaining: number;
  /** Unix time (seconds) when the full quota is back. */
  reset: number;
}

/** One field at fault, as the server names it (`points`, `locales.en.subject`). */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * Any answer of the platform that is not a success: `statusCode`, `message` and the field
 * `errors` of the error envelope. Subclasses name the common statuses.
 */
export class SbmError extends Error {
  readonly statusCode: number;
  readonly errors: FieldError[];
  readonly rateLimit?: RateLimit;
  /** The `X-Request-Id` of the failed response, for support. */
  readonly requestId?: string;

  constructor(statusCode: number, message: string, errors: FieldError[] = [], rateLimit?: RateLimit, requestId?: string) {
    super(message);
    this.name = new.target.name;
    this.statusCode = statusCode;
    this.errors = errors;
    this.rateLimit = rateLimit;
    this.requestId = requestId;
  }
}

/** 400: the request is invalid; `errors` name the fields. */
export class BadRequest extends SbmError {}
/** 401: missing, invalid or expired credentials (after a refresh was tried, if possible). */
export class Unauthorized extends SbmError {}
/** 403: the credential lacks the permission. */
export class Forbidden extends SbmError {}
/** 404: no such resource (or not visible to the caller). */
export class NotFound extends SbmError {}
/** 409: a conflict with the current state; `errors` name the cause. */
export class Conflict extends SbmError {}
/** 422: understood but refused, e.g. insufficient points. */
export class Unprocessable extends SbmError {}
/** 429: the rate limit; `retryAfter` seconds until a retry can succeed. */
export class RateLimited extends SbmError {
  readonly retryAfter: number;
  constructor(message: string, errors: FieldError[], rateLimit: RateLimit | undefined, requestId: string | undefined, retryAfter: number) {
    super(429, message, errors, rateLimit, requestId);
    this.retryAfter = retryAfter;
  }
}
/** 5xx: the platform failed or is unavailable; safe to retry later. */
export class ServerError extends SbmError {}

/** No answer at all: the connection failed or the timeout passed. `cause` says which. */
export class NetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

export function rateLimitOf(headers: Headers): RateLimit | undefined {
  const limit = headers.get('x-ratelimit-limit');
  const remaining = headers.get('x-ratelimit-remaining');
  const reset = headers.get('x-ratelimit-reset');
  if (limit === null || remaining === null || reset === null) return undefined;
  return { limit: Number(limit), remaining: Number(remaining), reset: Number(reset) };
}

/** The typed error for a response that is not a success, from its envelope (or its status alone). */
export function errorFor(response: Response, body: unknown): SbmError {
  const data = (body as { data?: { message?: unknown; errors?: unknown } } | undefined)?.data;
  const message = typeof data?.message === 'string' ? data.message : `HTTP ${response.status}`;
  const errors = Array.isArray(data?.errors) ? (data.errors as FieldError[]) : [];
  const rateLimit = rateLimitOf(response.headers);
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const status = response.status;
  switch (status) {
    case 400:
      return new BadRequest(status, message, errors, rateLimit, requestId);
    case 401:
      return new Unauthorized(status, message, errors, rateLimit, requestId);
    case 403:
      return new Forbidden(status, message, errors, rateLimit, requestId);
    case 404:
      return new NotFound(status, message, errors, rateLimit, requestId);
    case 409:
      return new Conflict(status, message, errors, rateLimit, requestId);
    case 422:
      return new Unprocessable(status, message, errors, rateLimit, requestId);
    case 429:
      return new RateLimited(message, errors, rateLimit, requestId, retryAfterOf(response.headers));
    default:
      return status >= 500
        ? new ServerError(status, message, errors, rateLimit, requestId)
        : new SbmError(status, message, errors, rateLimit, requestId);
  }
}

/** `Retry-After` in seconds (a number, or an HTTP date); 1 when absent or unreadable. */
export function retryAfterOf(headers: Headers): number {
  const raw = headers.get('retry-after');
  if (raw === null) return 1;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? 1 : Math.max(0, (at - Date.now()) / 1000);
}
