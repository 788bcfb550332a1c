<?php

declare(strict_types=1);

namespace SbmCrm\Exception;

use Psr\Http\Message\ResponseInterface;
use SbmCrm\RateLimit;

/**
 * Any non-2xx answer of the platform. The subclasses name the status: BadRequest (400),
 * Unauthorized (401), Forbidden (403), NotFound (404), Conflict (409), Unprocessable (422),
 * RateLimited (429), ServerError (5xx). ConnectionError is a transport failure (status 0).
 */
class ApiError extends \RuntimeException
{
    /**
     * @param list<array{field: string, message: string}> $errors the field errors of the body
     * @param array<string, string[]> $headers
     */
    public function __construct(
        public readonly int $statusCode,
        string $message,
        public readonly array $errors = [],
        public readonly ?RateLimit $rateLimit = null,
        public readonly ?string $body = null,
        public readonly array $headers = [],
        ?\Throwable $previous = null,
    ) {
        parent::__construct($message, $statusCode, $previous);
    }

    /** The typed error for a non-2xx response, from the body `{"statusCode","data":{"message","errors"}}`. */
    public static function fromResponse(ResponseInterface $response, ?RateLimit $rateLimit = null): self
    {
        $status = $response->getStatusCode();
        $body = (string) $response->getBody();
        $decoded = json_decode($body, true);
        $data = is_array($decoded) && is_array($decoded['data'] ?? null) ? $decoded['data'] : [];
        $message = is_string($data['message'] ?? null) && $data['message'] !== ''
            ? $data['message']
            : trim($status . ' ' . $response->getReasonPhrase());
        $errors = [];
        foreach (is_array($data['errors'] ?? null) ? $data['errors'] : [] as $error) {
            if (is_array($error)) {
                $errors[] = ['field' => (string) ($error['field'] ?? ''), 'message' => (string) ($error['message'] ?? '')];
            }
        }
        $headers = $response->getHeaders();
        $args = [$status, $message, $errors, $rateLimit ?? RateLimit::fromResponse($response), $body, $headers];

        return match (true) {
            $status === 400 => new BadRequest(...$args),
            $status === 401 => new Unauthorized(...$args),
            $status === 403 => new Forbidden(...$args),
            $status === 404 => new NotFound(...$args),
            $status === 409 => new Conflict(...$args),
            $status === 422 => new Unprocessable(...$args),
            $status === 429 => new RateLimited(...[...$args, self::retryAfter($response)]),
            $status >= 500 => new ServerError(...$args),
            default => new self(...$args),
        };
    }

    /** Seconds to wait from `Retry-After` (delta-seconds or an HTTP date), null when absent. */
    public static function retryAfter(ResponseInterface $response): ?float
    {
        $value = trim($response->getHeaderLine('Retry-After'));
        if ($value === '') {
            return null;
        }
        if (is_numeric($value)) {
            return max(0.0, (float) $value);
        }
        $time = strtotime($value);

        return $time === false ? null : max(0.0, (float) ($time - time()));
    }
}
