import * as authOps from './generated/auth/sdk.gen.js';
import * as clusterOps from './generated/cluster/sdk.gen.js';
import * as notificationOps from './generated/notification/sdk.gen.js';
import * as pointOps from './generated/point/sdk.gen.js';
import * as rewardOps from './generated/reward/sdk.gen.js';
import { createClient as authClient } from './generated/auth/client/index.js';
import { createClient as clusterClient } from './generated/cluster/client/index.js';
import { createClient as notificationClient } from './generated/notification/client/index.js';
import { createClient as pointClient } from './generated/point/client/index.js';
import { createClient as rewardClient } from './generated/reward/client/index.js';
import { idempotentOperations } from './generated/operations.gen.js';
import { NetworkError, SbmError, errorFor, rateLimitOf, retryAfterOf, type RateLimit } from './errors.js';
import { openStream, type StreamEvent, type StreamOptions } from './sse.js';

/** An access token with the refresh token that renews it. */
export interface Tokens {
  accessToken: string;
  refreshToken?: string;
}

export interface SbmClientOptions {
  /** The platform root, e.g. `https://api.sbmcrm.example.com`; services are under `/{service}/api`. */
  baseUrl: string;
  /** A staff or member access token (with `refreshToken`, renewed when it expires). */
  accessToken?: string;
  refreshToken?: string;
  /** An API key (`sbmk_…`), sent as `X-API-Key`. */
  apiKey?: string;
  /** Per attempt, in milliseconds (default 30 000). The real-time stream has none. */
  timeoutMs?: number;
  /** How often a 429 is waited out and retried (default 2). */
  maxRetries?: number;
  /** A 429 asking to wait longer than this (ms, default 60 000) fails at once. */
  maxRetryWaitMs?: number;
  /** Hears every new token pair (after `login`, `wechatLogin` or a refresh), e.g. to store it. */
  onTokens?: (tokens: Tokens) => void;
  /** Sees every response, retries included (logging, metrics, tests). */
  onResponse?: (request: Request, response: Response) => void;
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof fetch;
}

type AnyOp = (options?: any) => Promise<any>;
type EnvelopeOf<F extends AnyOp> = Exclude<Awaited<ReturnType<F>>['data'], undefined>;
/** What an operation answers: the envelope's `data`. */
export type DataOf<F extends AnyOp> = EnvelopeOf<F> extends { data: infer D } ? D : EnvelopeOf<F>;
/** Every operation of a generated module, answering its envelope's `data` and throwing `SbmError`s. */
export type Service<M> = {
  [K in keyof M as M[K] extends AnyOp ? K : never]: M[K] extends AnyOp
    ? (...args: Parameters<M[K]>) => Promise<DataOf<M[K]>>
    : never;
};
/** The items of the pages a list operation of the client answers. */
export type ItemOf<F extends AnyOp> = Awaited<ReturnType<F>> extends { data: Array<infer T> } ? T : never;

const SERVICES = ['auth', 'point', 'cluster', 'reward', 'notification'] as const;
type ServiceName = (typeof SERVICES)[number];

/** Generated operations the client does not wrap: the stream has its own iterator. */
const UNWRAPPED = new Set(['streamStream']);

/**
 * One client for the five services. Every operation returns the envelope's `data` or throws a
 * typed `SbmError`; tokens are refreshed, 429s waited out, idempotency keys generated.
 * Credentials live in private fields, so logging the client shows none of them.
 */
export class SbmClient {
  readonly auth: Service<typeof authOps>;
  readonly point: Service<typeof pointOps>;
  readonly cluster: Service<typeof clusterOps>;
  readonly reward: Service<typeof rewardOps>;
  readonly notification: Omit<Service<typeof notificationOps>, 'streamStream'> & {
    /** The real-time stream: every event, reconnecting with `Last-Event-ID` when cut. */
    stream(options?: StreamOptions): AsyncIterableIterator<StreamEvent>;
  };
  /** The last response's rate-limit headers. */
  rateLimit?: RateLimit;

  readonly #baseUrl: string;
  #accessToken?: string;
  #refreshToken?: string;
  readonly #apiKey?: string;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #maxRetryWaitMs: number;
  readonly #onTokens?: (tokens: Tokens) => void;
  readonly #onResponse?: (request: Request, response: Response) => void;
  readonly #fetch?: typeof fetch;
  #refreshing?: Promise<boolean>;

  constructor(options: SbmClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#accessToken = options.accessToken;
    this.#refreshToken = options.refreshToken;
    this.#apiKey = options.apiKey;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxRetries = options.maxRetries ?? 2;
    this.#maxRetryWaitMs = options.maxRetryWaitMs ?? 60_000;
    this.#onTokens = options.onTokens;
    this.#onResponse = options.onResponse;
    this.#fetch = options.fetch;
    // The generated clients always call fetch with a Request.
    const fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
      this.#send(input instanceof Request && init === undefined ? input : new Request(input, init))) as typeof globalThis.fetch;
    const clients = {
      auth: authClient({ baseUrl: this.#serviceUrl('auth'), fetch }),
      point: pointClient({ baseUrl: this.#serviceUrl('point'), fetch }),
      cluster: clusterClient({ baseUrl: this.#serviceUrl('cluster'), fetch }),
      reward: rewardClient({ baseUrl: this.#serviceUrl('reward'), fetch }),
      notification: notificationClient({ baseUrl: this.#serviceUrl('notification'), fetch }),
    };
    this.auth = this.#wrap(authOps, clients.auth);
    this.point = this.#wrap(pointOps, clients.point);
    this.cluster = this.#wrap(clusterOps, clients.cluster);
    this.reward = this.#wrap(rewardOps, clients.reward);
    this.notification = Object.assign(this.#wrap(notificationOps, clients.notification), {
      stream: (streamOptions: StreamOptions = {}) =>
        openStream(`${this.#serviceUrl('notification')}/sse`, (request) => this.#send(request, { stream: true }), streamOptions),
    });
  }

  /** The current tokens (after a refresh, the new ones). */
  get tokens(): Tokens | undefined {
    return this.#accessToken ? { accessToken: this.#accessToken, refreshToken: this.#refreshToken } : undefined;
  }

  /** Uses these tokens from now on (e.g. ones stored from an earlier session). */
  setTokens(tokens: Tokens): void {
    this.#accessToken = tokens.accessToken;
    this.#refreshToken = tokens.refreshToken;
  }

  /** Staff login by email (or username) and password; the client keeps the tokens. */
  async login(email: string, password: string) {
    const pair = await this.auth.sessionLogin({ body: { email, password } });
    this.#storeTokens(pair.accessToken, pair.refreshToken);
    return pair;
  }

  /** Member login with a WeChat mini-program `code`; the client keeps the tokens. */
  async wechatLogin(code: string) {
    const session = await this.auth.membersWechatLogin({ body: { code } });
    this.#storeTokens(session.accessToken, session.refreshToken);
    return session;
  }

  /**
   * Every item of a list, page after page (`limit` 100 unless given).
   *
   * ```ts
   * for await (const tx of client.paginate(client.point.transactionsList, { query: { memberId } })) { … }
   * ```
   */
  async *paginate<F extends AnyOp>(operation: F, options?: Parameters<F>[0]): AsyncIterableIterator<ItemOf<F>> {
    const base = (options ?? {}) as { query?: Record<string, unknown> };
    for (let page = Number(base.query?.page ?? 1); ; page++) {
      const result = (await operation({ ...base, query: { limit: 100, ...base.query, page } })) as {
        data: ItemOf<F>[];
        meta: { totalPages: number };
      };
      yield* result.data;
      if (page >= result.meta.totalPages || result.data.length === 0) return;
    }
  }

  #serviceUrl(service: ServiceName): string {
    return `${this.#baseUrl}/${service}/api`;
  }

  #storeTokens(accessToken: string, refreshToken?: string) {
    this.#accessToken = accessToken;
    this.#refreshToken = refreshToken;
    this.#onTokens?.({ accessToken, refreshToken });
  }

  #wrap<M extends Record<string, unknown>>(ops: M, client: unknown): Service<M> {
    const service: Record<string, AnyOp> = {};
    for (const [name, op] of Object.entries(ops)) {
      if (typeof op !== 'function' || UNWRAPPED.has(name)) continue;
      service[name] = async (options: Record<string, any> = {}) => {
        // Any HeadersInit the caller gave; the generated code spreads a plain object.
        const headers = new Headers(options.headers as HeadersInit | undefined);
        if (idempotentOperations.has(name) && !headers.has('idempotency-key')) {
          // One key per call: the client's own retries below reuse it, so they cannot act twice.
          headers.set('Idempotency-Key', crypto.randomUUID());
        }
        const result = await (op as AnyOp)({ ...options, headers: Object.fromEntries(headers), client, throwOnError: false });
        if (!result.response) {
          if (result.error instanceof NetworkError) throw result.error;
          throw new NetworkError(String((result.error as Error)?.message ?? result.error), { cause: result.error });
        }
        if (!result.response.ok) throw errorFor(result.response, result.error);
        return result.data === undefined ? undefined : result.data.data;
      };
    }
    return service as unknown as Service<M>;
  }

  /**
   * The one place every request goes through: credentials, timeout, the rate-limit headers, a
   * token refresh after a 401, and 429s waited out.
   */
  async #send(request: Request, mode: { stream?: boolean } = {}): Promise<Response> {
    const fetch = this.#fetch ?? globalThis.fetch;
    const isRefresh = new URL(request.url).pathname.endsWith('/auth/api/get-new-access-token');
    // A credential the caller put on the request is theirs: not replaced, not refreshed.
    const explicit = request.headers.has('authorization') || request.headers.has('x-api-key');
    let refreshed = false;
    let rateLimited = 0;
    for (;;) {
      const usedToken = this.#accessToken;
      // The refresh itself is anonymous: an expired bearer beside it would be refused.
      const tried = isRefresh || explicit ? request.clone() : this.#authorize(request.clone());
      const timeout = mode.stream ? undefined : AbortSignal.timeout(this.#timeoutMs);
      let response: Response;
      try {
        response = await fetch(new Request(tried, { signal: anySignal(request.signal, timeout) }));
      } catch (error) {
        if (timeout?.aborted) throw new NetworkError(`no answer within ${this.#timeoutMs} ms`, { cause: error });
        if (request.signal.aborted) throw error;
        throw new NetworkError(`no answer: ${(error as Error)?.message ?? error}`, { cause: error });
      }
      this.rateLimit = rateLimitOf(response.headers) ?? this.rateLimit;
      this.#onResponse?.(tried, response);
      if (response.status === 401 && !refreshed && !isRefresh && !explicit && usedToken && this.#refreshToken) {
        refreshed = true;
        // Another call may have refreshed meanwhile: then its token is simply tried.
        if (this.#accessToken !== usedToken || (await this.#refresh())) {
          await response.body?.cancel();
          continue;
        }
      }
      if (response.status === 429 && rateLimited < this.#maxRetries) {
        const waitMs = retryAfterOf(response.headers) * 1000;
        if (waitMs <= this.#maxRetryWaitMs) {
          rateLimited++;
          await response.body?.cancel();
          await new Promise((resolve) => setTimeout(resolve, waitMs));
          continue;
        }
      }
      return response;
    }
  }

  /** A member's or staff member's token once there is one (after `login`), else the API key. */
  #authorize(request: Request): Request {
    const headers = new Headers(request.headers);
    if (this.#accessToken) headers.set('Authorization', `Bearer ${this.#accessToken}`);
    else if (this.#apiKey) headers.set('X-API-Key', this.#apiKey);
    return new Request(request, { headers });
  }

  /** One refresh at a time: refresh tokens rotate, and presenting a used one ends the session. */
  #refresh(): Promise<boolean> {
    this.#refreshing ??= (async () => {
      try {
        const pair = await this.auth.sessionRefresh({ body: { refreshToken: this.#refreshToken } });
        this.#storeTokens(pair.accessToken, pair.refreshToken);
        return true;
      } catch (error) {
        if (error instanceof SbmError) return false;
        throw error;
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }
}

/** Either signal aborts (`AbortSignal.any` where the runtime has it: Node 20.3+, current browsers). */
function anySignal(a: AbortSignal, b: AbortSignal | undefined): AbortSignal {
  if (!b) return a;
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([a, b]);
  const controller = new AbortController();
  for (const signal of [a, b]) {
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}
