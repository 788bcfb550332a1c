export { SbmClient, type SbmClientOptions, type Tokens, type Service, type DataOf, type ItemOf } from './client.js';
export {
  SbmError,
  BadRequest,
  Unauthorized,
  Forbidden,
  NotFound,
  Conflict,
  Unprocessable,
  RateLimited,
  ServerError,
  NetworkError,
  type RateLimit,
  type FieldError,
} from './errors.js';
export type { StreamEvent, StreamOptions } from './sse.js';
/** The generated request and response types of each service. */
export type * as auth from './generated/auth/types.gen.js';
export type * as point from './generated/point/types.gen.js';
export type * as cluster from './generated/cluster/types.gen.js';
export type * as reward from './generated/reward/types.gen.js';
export type * as notification from './generated/notification/types.gen.js';
