<?php

declare(strict_types=1);

namespace SbmCrm\Exception;

use SbmCrm\RateLimit;

/** HTTP 429: the quota is spent; `retryAfter` is the server's `Retry-After` in seconds. */
class RateLimited extends ApiError
{
    /**
     * @param list<array{field: string, message: string}> $errors
     * @param array<string, string[]> $headers
     */
    public function __construct(
        int $statusCode,
        string $message,
        array $errors = [],
        ?RateLimit $rateLimit = null,
        ?string $body = null,
        array $headers = [],
        public readonly ?float $retryAfter = null,
        ?\Throwable $previous = null,
    ) {
        parent::__construct($statusCode, $message, $errors, $rateLimit, $body, $headers, $previous);
    }
}
