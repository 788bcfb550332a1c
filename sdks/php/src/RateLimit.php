<?php

declare(strict_types=1);

namespace SbmCrm;

use Psr\Http\Message\ResponseInterface;

/** The `X-RateLimit-*` headers of a response: the quota, what is left, and when it resets. */
final class RateLimit
{
    public function __construct(
        public readonly int $limit,
        public readonly int $remaining,
        public readonly int $reset,
    ) {
    }

    public static function fromResponse(ResponseInterface $response): ?self
    {
        $limit = $response->getHeaderLine('X-RateLimit-Limit');
        $remaining = $response->getHeaderLine('X-RateLimit-Remaining');
        $reset = $response->getHeaderLine('X-RateLimit-Reset');
        if (!is_numeric($limit) || !is_numeric($remaining) || !is_numeric($reset)) {
            return null;
        }

        return new self((int) $limit, (int) $remaining, (int) $reset);
    }
}
