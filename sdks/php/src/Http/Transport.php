<?php

declare(strict_types=1);

namespace SbmCrm\Http;

use GuzzleHttp\Exception\ConnectException;
use GuzzleHttp\Exception\RequestException;
use GuzzleHttp\Promise\Create;
use GuzzleHttp\Promise\PromiseInterface;
use GuzzleHttp\Psr7\Request;
use GuzzleHttp\Psr7\Uri;
use GuzzleHttp\Psr7\UriComparator;
use Psr\Http\Client\NetworkExceptionInterface;
use Psr\Http\Message\RequestInterface;
use Psr\Http\Message\ResponseInterface;
use SbmCrm\Exception\ApiError;
use SbmCrm\Exception\ConnectionError;
use SbmCrm\Exception\RateLimited;
use SbmCrm\RateLimit;

/**
 * The one Guzzle middleware that holds the SDK's HTTP behaviour, on the HandlerStack every
 * generated Api class sends through: the credential header, one token refresh on a 401 (then the
 * request again), 429 waited out (`Retry-After`, up to maxRetries, never longer than
 * maxRetryWait), the `X-RateLimit-*` headers recorded, and every non-2xx turned into a typed
 * ApiError before the generated code sees it. It sits outermost on the stack, outside Guzzle's
 * `allow_redirects`, so it sees the final answer of a followed redirect; `sameOrigin()` goes inside
 * `allow_redirects` and takes the credential off any hop to another origin than the baseUrl's.
 */
final class Transport
{
    private const NO_REFRESH = ['/auth/api/login', '/auth/api/get-new-access-token', '/auth/api/members/wechat-login'];

    /** @var \Closure(?RateLimit): void */
    private \Closure $recordRateLimit;

    /** @var (callable(int, float, ResponseInterface): void)|null */
    private $onRetry;

    public function __construct(
        private readonly Credentials $credentials,
        private readonly string $baseUrl,
        private readonly int $maxRetries,
        private readonly float $maxRetryWait,
        \Closure $recordRateLimit,
        ?callable $onRetry = null,
    ) {
        $this->recordRateLimit = $recordRateLimit;
        $this->onRetry = $onRetry;
    }

    public function __invoke(callable $handler): callable
    {
        return fn (RequestInterface $request, array $options): PromiseInterface
            => $this->attempt($handler, $request, $options, 0, false);
    }

    /** The middleware that strips `Authorization` and `X-API-Key` from a request to another origin. */
    public function sameOrigin(): callable
    {
        $base = new Uri($this->baseUrl);

        return static fn (callable $handler): callable => static function (RequestInterface $request, array $options) use ($handler, $base) {
            if (UriComparator::isCrossOrigin($base, $request->getUri())) {
                $request = $request->withoutHeader('Authorization')->withoutHeader('X-API-Key');
            }

            return $handler($request, $options);
        };
    }

    private function attempt(callable $handler, RequestInterface $request, array $options, int $retries, bool $refreshed): PromiseInterface
    {
        $body = $request->getBody();
        if ($body->isSeekable()) {
            $body->rewind();
        }
        $sent = $this->authorize($request);

        return $handler($sent, $options)->then(
            function (ResponseInterface $response) use ($handler, $request, $sent, $options, $retries, $refreshed) {
                $rateLimit = RateLimit::fromResponse($response);
                ($this->recordRateLimit)($rateLimit);
                $status = $response->getStatusCode();
                if ($status === 401 && !$refreshed && $this->mayRefresh($request)) {
                    if ($this->refresh($handler, $sent, $options)) {
                        return $this->attempt($handler, $request, $options, $retries, true);
                    }
                }
                if ($status === 429) {
                    $wait = ApiError::retryAfter($response) ?? 1.0;
                    if ($retries < $this->maxRetries && $wait <= $this->maxRetryWait) {
                        if ($this->onRetry !== null) {
                            ($this->onRetry)($retries + 1, $wait, $response);
                        }
                        usleep((int) round($wait * 1_000_000));

                        return $this->attempt($handler, $request, $options, $retries + 1, $refreshed);
                    }
                }
                if ($status < 200 || $status > 299) {
                    throw ApiError::fromResponse($response, $rateLimit);
                }

                return $response;
            },
            function ($reason) {
                if ($reason instanceof ConnectException || $reason instanceof NetworkExceptionInterface
                    || ($reason instanceof RequestException && !$reason->hasResponse())) {
                    throw ConnectionError::from($reason);
                }

                return Create::rejectionFor($reason);
            },
        );
    }

    private function authorize(RequestInterface $request): RequestInterface
    {
        $request = $request->withoutHeader('Authorization')->withoutHeader('X-API-Key');
        $accessToken = $this->credentials->accessToken();
        if ($accessToken !== null && $accessToken !== '') {
            return $request->withHeader('Authorization', 'Bearer ' . $accessToken);
        }
        $apiKey = $this->credentials->apiKey();
        if ($apiKey !== null && $apiKey !== '') {
            return $request->withHeader('X-API-Key', $apiKey);
        }

        return $request;
    }

    private function mayRefresh(RequestInterface $request): bool
    {
        $refreshToken = $this->credentials->refreshToken();

        return $refreshToken !== null && $refreshToken !== ''
            && !in_array(rtrim($request->getUri()->getPath(), '/'), self::NO_REFRESH, true);
    }

    /**
     * Exchanges the refresh token once (refresh tokens rotate: a used one revokes its session). When
     * another call already refreshed since this request was sent, its new token is used instead.
     */
    private function refresh(callable $handler, RequestInterface $sent, array $options): bool
    {
        $current = $this->credentials->accessToken();
        if ($current !== null && $sent->getHeaderLine('Authorization') !== 'Bearer ' . $current) {
            return true;
        }
        $request = new Request(
            'POST',
            $this->baseUrl . '/auth/api/get-new-access-token',
            ['Content-Type' => 'application/json', 'Accept' => 'application/json'],
            json_encode(['refreshToken' => $this->credentials->refreshToken()], JSON_THROW_ON_ERROR),
        );
        try {
            // never redirected: the refresh token travels in the body
            $response = $handler($request, ['allow_redirects' => false] + $options)->wait();
        } catch (\Throwable) {
            return false;
        }
        if (!$response instanceof ResponseInterface || $response->getStatusCode() !== 200) {
            return false;
        }
        $data = json_decode((string) $response->getBody(), true)['data'] ?? null;
        if (!is_array($data) || !is_string($data['accessToken'] ?? null)) {
            return false;
        }
        $this->credentials->setTokens($data['accessToken'], is_string($data['refreshToken'] ?? null) ? $data['refreshToken'] : null);

        return true;
    }
}
