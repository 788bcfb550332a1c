<?php

declare(strict_types=1);

namespace SbmCrm\Exception;

/** The request got no HTTP answer (connection refused, DNS, timeout); statusCode is 0. */
class ConnectionError extends ApiError
{
    public static function from(\Throwable $cause): self
    {
        return new self(0, $cause->getMessage(), previous: $cause);
    }
}
