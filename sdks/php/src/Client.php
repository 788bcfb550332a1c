<?php

declare(strict_types=1);

namespace SbmCrm;

use GuzzleHttp\Client as GuzzleClient;
use GuzzleHttp\HandlerStack;
use GuzzleHttp\Promise\Create;
use GuzzleHttp\RequestOptions;
use Psr\Http\Client\ClientInterface as Psr18Client;
use Psr\Http\Message\RequestInterface;
use SbmCrm\Http\Credentials;
use SbmCrm\Http\Transport;

/**
 * The SBM CRM client: one credential, five services.
 *
 *     $client = new Client(['baseUrl' => 'https://api.sbmcrm.example.com', 'apiKey' => 'sbmk_...']);
 *     $booking = $client->point()->transactionsEarn(['memberId' => $id, 'points' => 50]);
 *
 * Options: baseUrl (required), apiKey | accessToken + refreshToken, onTokens (fn(string $access,
 * string $refresh)), timeout (seconds, default 30), connectTimeout (default 10), maxRetries (429,
 * default 2), maxRetryWait (seconds, default 60), onRetry (fn(int $attempt, float $wait,
 * ResponseInterface $response)), handler (a Guzzle handler or HandlerStack) or httpClient (any
 * PSR-18 client, a Guzzle client included), userAgent.
 */
final class Client
{
    public const VERSION = '0.1.0';
    private const SERVICES = ['auth', 'point', 'cluster', 'reward', 'notification'];

    private readonly string $baseUrl;
    private readonly Credentials $credentials;
    private readonly GuzzleClient $http;
    private ?RateLimit $rateLimit = null;

    /** @var array<string, Service> */
    private array $services = [];

    private readonly string $userAgent;

    /** @param array<string, mixed> $options */
    public function __construct(#[\SensitiveParameter] array $options)
    {
        $unknown = array_diff(array_keys($options), [
            'baseUrl', 'apiKey', 'accessToken', 'refreshToken', 'onTokens', 'timeout', 'connectTimeout',
            'maxRetries', 'maxRetryWait', 'onRetry', 'handler', 'httpClient', 'userAgent',
        ]);
        if ($unknown !== []) {
            throw new \InvalidArgumentException('Unknown SbmCrm\Client option(s): ' . implode(', ', $unknown));
        }
        if (!is_string($options['baseUrl'] ?? null) || $options['baseUrl'] === '') {
            throw new \InvalidArgumentException('SbmCrm\Client needs a baseUrl');
        }
        $this->baseUrl = rtrim($options['baseUrl'], '/');
        $this->userAgent = $options['userAgent'] ?? 'sbmcrm-php/' . self::VERSION;
        $this->credentials = new Credentials(
            $options['apiKey'] ?? null,
            $options['accessToken'] ?? null,
            $options['refreshToken'] ?? null,
            $options['onTokens'] ?? null,
        );

        $transport = new Transport(
            $this->credentials,
            $this->baseUrl,
            (int) ($options['maxRetries'] ?? 2),
            (float) ($options['maxRetryWait'] ?? 60),
            function (?RateLimit $rateLimit): void {
                if ($rateLimit !== null) {
                    $this->rateLimit = $rateLimit;
                }
            },
            $options['onRetry'] ?? null,
        );
        $stack = self::stack($options['handler'] ?? null, $options['httpClient'] ?? null);
        // outermost, so redirects are followed below it and it sees (and retries on) the final answer
        $stack->unshift($transport, 'sbmcrm');
        try {
            $stack->after('allow_redirects', $transport->sameOrigin(), 'sbmcrm_same_origin');
        } catch (\InvalidArgumentException) {
            // a caller's HandlerStack without redirects: nothing is redirected, nothing to strip
        }
        $this->http = new GuzzleClient([
            'handler' => $stack,
            RequestOptions::HTTP_ERRORS => false,
            RequestOptions::TIMEOUT => (float) ($options['timeout'] ?? 30),
            RequestOptions::CONNECT_TIMEOUT => (float) ($options['connectTimeout'] ?? 10),
        ]);
    }

    public function auth(): Service
    {
        return $this->service('auth');
    }

    public function point(): Service
    {
        return $this->service('point');
    }

    public function cluster(): Service
    {
        return $this->service('cluster');
    }

    public function reward(): Service
    {
        return $this->service('reward');
    }

    public function notification(): Service
    {
        return $this->service('notification');
    }

    /** Staff login: stores the access and refresh tokens and returns the login data. */
    public function login(string $email, #[\SensitiveParameter] string $password): object
    {
        $data = $this->auth()->sessionLogin(['email' => $email, 'password' => $password]);
        $this->credentials->setTokens($data->getAccessToken(), $data->getRefreshToken());

        return $data;
    }

    /** Member login with a WeChat `code`: stores the tokens and returns the data (with `member`). */
    public function wechatLogin(#[\SensitiveParameter] string $code): object
    {
        $data = $this->auth()->membersWechatLogin(['code' => $code]);
        $this->credentials->setTokens($data->getAccessToken(), $data->getRefreshToken());

        return $data;
    }

    /** The `X-RateLimit-*` headers of the last response that had them. */
    public function rateLimit(): ?RateLimit
    {
        return $this->rateLimit;
    }

    public function accessToken(): ?string
    {
        return $this->credentials->accessToken();
    }

    public function refreshToken(): ?string
    {
        return $this->credentials->refreshToken();
    }

    /**
     * Every item of every page of a list operation (`page` 1 to `meta.totalPages`, `limit` 100
     * unless given):
     *
     *     foreach ($client->paginate([$client->point(), 'transactionsList'], ['memberId' => $id]) as $tx) { ... }
     *
     * @param callable $operation a service operation, e.g. `[$client->point(), 'transactionsList']`
     * @param array<string, mixed> $params its other named arguments
     * @return \Generator<int, object>
     */
    public function paginate(callable $operation, array $params = []): \Generator
    {
        $params['limit'] ??= 100;
        $page = (int) ($params['page'] ?? 1);
        do {
            $result = $operation(...[...$params, 'page' => $page]);
            $items = $result->getData() ?? [];
            foreach ($items as $item) {
                yield $item;
            }
            $totalPages = (int) ($result->getMeta()?->getTotalPages() ?? 0);
            $page++;
        } while ($page <= $totalPages && $items !== []);
    }

    /** @return array<string, mixed> what `var_dump`/`print_r` show: the credential masked, no HTTP internals */
    public function __debugInfo(): array
    {
        return [
            'baseUrl' => $this->baseUrl,
            'userAgent' => $this->userAgent,
            'credentials' => $this->credentials->__debugInfo(),
            'rateLimit' => $this->rateLimit,
        ];
    }

    private function service(string $name): Service
    {
        return $this->services[$name] ??= new Service($name, $this->baseUrl, $this->http, $this->userAgent);
    }

    private static function stack(mixed $handler, mixed $httpClient): HandlerStack
    {
        if ($handler !== null && $httpClient !== null) {
            throw new \InvalidArgumentException('Give a handler or an httpClient, not both');
        }
        if ($httpClient !== null) {
            if (!$httpClient instanceof Psr18Client) {
                throw new \InvalidArgumentException('httpClient must implement Psr\Http\Client\ClientInterface (PSR-18)');
            }
            $handler = static function (RequestInterface $request, array $options) use ($httpClient) {
                try {
                    return Create::promiseFor($httpClient->sendRequest($request));
                } catch (\Throwable $e) {
                    return Create::rejectionFor($e);
                }
            };
        }
        if ($handler instanceof HandlerStack) {
            return clone $handler; // the SDK's middleware goes on a copy, the caller's stack stays as given
        }
        if ($handler !== null && !is_callable($handler)) {
            throw new \InvalidArgumentException('handler must be a Guzzle handler (callable) or HandlerStack');
        }

        return HandlerStack::create($handler);
    }
}
