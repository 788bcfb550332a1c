<?php

declare(strict_types=1);

namespace SbmCrm\Tests;

use GuzzleHttp\Exception\ConnectException;
use GuzzleHttp\Handler\MockHandler;
use GuzzleHttp\HandlerStack;
use GuzzleHttp\Middleware;
use GuzzleHttp\Psr7\Request;
use GuzzleHttp\Psr7\Response;
use PHPUnit\Framework\TestCase;
use SbmCrm\Client;
use SbmCrm\Exception\ApiError;
use SbmCrm\Exception\Conflict;
use SbmCrm\Exception\ConnectionError;
use SbmCrm\Exception\RateLimited;
use SbmCrm\Exception\ServerError;

/** The HTTP layer against canned responses (no server). */
final class ClientTest extends TestCase
{
    private const MEMBER = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

    /** @var list<array{request: \Psr\Http\Message\RequestInterface}> */
    private array $history = [];

    /** @param list<Response|\Throwable> $responses */
    private function client(array $responses, array $options = []): Client
    {
        $this->history = [];
        $stack = HandlerStack::create(new MockHandler($responses));
        $stack->push(Middleware::history($this->history));

        return new Client(['baseUrl' => 'http://sbm.test/', 'handler' => $stack] + $options);
    }

    private static function json(int $status, array $body, array $headers = []): Response
    {
        return new Response($status, ['Content-Type' => 'application/json'] + $headers, json_encode($body));
    }

    private static function balance(int $balance): Response
    {
        return self::json(200, ['statusCode' => 200, 'data' => ['memberId' => self::MEMBER, 'balance' => $balance]],
            ['X-RateLimit-Limit' => '1000', 'X-RateLimit-Remaining' => '998', 'X-RateLimit-Reset' => '1700000000']);
    }

    private static function error(int $status, string $message, array $errors = [], array $headers = []): Response
    {
        return self::json($status, ['statusCode' => $status, 'data' => ['message' => $message, 'errors' => $errors]], $headers);
    }

    public function testHostsCredentialAndEnvelope(): void
    {
        $client = $this->client([self::balance(7)], ['apiKey' => 'sbmk_test']);
        $balance = $client->point()->balanceGet(self::MEMBER);
        self::assertSame(7, $balance->getBalance());
        $request = $this->history[0]['request'];
        self::assertSame('http://sbm.test/point/api/balance/' . self::MEMBER, (string) $request->getUri());
        self::assertSame('sbmk_test', $request->getHeaderLine('X-API-Key'));
        self::assertSame('', $request->getHeaderLine('Authorization'));
        self::assertSame(1000, $client->rateLimit()?->limit);
        self::assertSame(998, $client->rateLimit()?->remaining);
        self::assertSame(1700000000, $client->rateLimit()?->reset);
    }

    public function testTypedErrorWithFieldErrors(): void
    {
        $client = $this->client([self::error(409, 'Code taken', [['field' => 'code', 'message' => 'already used']],
            ['X-RateLimit-Limit' => '10', 'X-RateLimit-Remaining' => '3', 'X-RateLimit-Reset' => '5'])]);
        try {
            $client->reward()->rewardCatalogsCreate(['code' => 'x', 'name_en' => 'X']);
            self::fail('no error');
        } catch (Conflict $e) {
            self::assertSame(409, $e->statusCode);
            self::assertSame('Code taken', $e->getMessage());
            self::assertSame([['field' => 'code', 'message' => 'already used']], $e->errors);
            self::assertSame(3, $e->rateLimit?->remaining);
        }
        self::assertSame('{"code":"x","name_en":"X"}', (string) $this->history[0]['request']->getBody());
    }

    public function testServerErrorWithoutEnvelope(): void
    {
        $client = $this->client([new Response(502, [], 'bad gateway')]);
        $this->expectException(ServerError::class);
        $this->expectExceptionMessage('502 Bad Gateway');
        $client->point()->balanceGet(self::MEMBER);
    }

    public function testRetryAfterBeyondMaxRetryWaitIsNotWaited(): void
    {
        $client = $this->client([self::error(429, 'Too many requests', [], ['Retry-After' => '120'])], ['maxRetryWait' => 5]);
        $start = microtime(true);
        try {
            $client->point()->balanceGet(self::MEMBER);
            self::fail('no error');
        } catch (RateLimited $e) {
            self::assertSame(120.0, $e->retryAfter);
        }
        self::assertLessThan(1.0, microtime(true) - $start);
        self::assertCount(1, $this->history);
    }

    public function testRateLimitedRetriesKeepTheIdempotencyKey(): void
    {
        $retries = [];
        $booking = ['statusCode' => 201, 'data' => ['balance' => 50, 'points' => 50, 'duplicate' => false]];
        $client = $this->client(
            [self::error(429, 'slow down', [], ['Retry-After' => '0']), self::error(429, 'slow down', [], ['Retry-After' => '0']), self::json(201, $booking)],
            ['onRetry' => function (int $attempt, float $wait) use (&$retries): void { $retries[] = [$attempt, $wait]; }],
        );
        $data = $client->point()->transactionsEarn(['memberId' => self::MEMBER, 'points' => 50]);
        self::assertSame(50, $data->getBalance());
        self::assertSame([[1, 0.0], [2, 0.0]], $retries);
        self::assertCount(3, $this->history);
        $keys = array_map(fn ($h) => $h['request']->getHeaderLine('Idempotency-Key'), $this->history);
        self::assertMatchesRegularExpression('/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/', $keys[0]);
        self::assertSame([$keys[0], $keys[0], $keys[0]], $keys);
        self::assertSame('{"memberId":"' . self::MEMBER . '","points":50}', (string) $this->history[2]['request']->getBody());
    }

    public function testMaxRetriesExhausted(): void
    {
        $client = $this->client(array_fill(0, 3, self::error(429, 'slow down', [], ['Retry-After' => '0'])), ['maxRetries' => 2]);
        $this->expectException(RateLimited::class);
        try {
            $client->point()->balanceGet(self::MEMBER);
        } finally {
            self::assertCount(3, $this->history);
        }
    }

    public function testRefreshOnceThenRepeat(): void
    {
        $seen = [];
        $client = $this->client(
            [
                self::error(401, 'Token expired'),
                self::json(200, ['statusCode' => 200, 'data' => ['accessToken' => 'new-access', 'refreshToken' => 'new-refresh', 'expiresIn' => 900, 'tokenType' => 'Bearer']]),
                self::balance(3),
            ],
            ['accessToken' => 'old-access', 'refreshToken' => 'old-refresh', 'onTokens' => function (string $a, string $r) use (&$seen): void { $seen[] = [$a, $r]; }],
        );
        self::assertSame(3, $client->point()->balanceGet(self::MEMBER)->getBalance());
        self::assertSame([['new-access', 'new-refresh']], $seen);
        self::assertSame('Bearer old-access', $this->history[0]['request']->getHeaderLine('Authorization'));
        self::assertSame('http://sbm.test/auth/api/get-new-access-token', (string) $this->history[1]['request']->getUri());
        self::assertSame('{"refreshToken":"old-refresh"}', (string) $this->history[1]['request']->getBody());
        self::assertSame('Bearer new-access', $this->history[2]['request']->getHeaderLine('Authorization'));
        self::assertSame('new-refresh', $client->refreshToken());
    }

    public function testFailedRefreshRaisesTheOriginal401(): void
    {
        $client = $this->client([self::error(401, 'Token expired'), self::error(401, 'Refresh token revoked')],
            ['accessToken' => 'a', 'refreshToken' => 'r']);
        try {
            $client->point()->balanceMine();
            self::fail('no error');
        } catch (\SbmCrm\Exception\Unauthorized $e) {
            self::assertSame('Token expired', $e->getMessage());
        }
        self::assertCount(2, $this->history);
    }

    public function testRedirectIsFollowedAndItsAnswerReturned(): void
    {
        // a bare handler: the client's own stack (allow_redirects included) is built around it
        $mock = new MockHandler([
            new Response(307, ['Location' => '/point/api/balance/moved']),
            self::balance(11),
        ]);
        $client = new Client(['baseUrl' => 'http://sbm.test', 'handler' => $mock, 'apiKey' => 'sbmk_redirect']);
        self::assertSame(11, $client->point()->balanceGet(self::MEMBER)->getBalance());
        self::assertSame(0, $mock->count());
        self::assertSame('http://sbm.test/point/api/balance/moved', (string) $mock->getLastRequest()->getUri());
        self::assertSame('sbmk_redirect', $mock->getLastRequest()->getHeaderLine('X-API-Key'));
        self::assertSame(998, $client->rateLimit()?->remaining);
    }

    public function testRedirectToAnotherOriginDropsTheCredential(): void
    {
        foreach ([['apiKey' => 'sbmk_secret'], ['accessToken' => 'access-secret', 'refreshToken' => 'refresh-secret']] as $credential) {
            $client = $this->client([new Response(307, ['Location' => 'https://elsewhere.test/balance']), self::balance(4)], $credential);
            self::assertSame(4, $client->point()->balanceGet(self::MEMBER)->getBalance());
            self::assertCount(2, $this->history);
            self::assertTrue($this->history[0]['request']->hasHeader(isset($credential['apiKey']) ? 'X-API-Key' : 'Authorization'));
            self::assertFalse($this->history[1]['request']->hasHeader('X-API-Key'));
            self::assertFalse($this->history[1]['request']->hasHeader('Authorization'));
        }
    }

    public function testSecretsStayOutOfDumpsAndErrors(): void
    {
        $secrets = ['sbmk_0123456789abcdefSECRET', 'access-0123456789abcdefSECRET', 'refresh-0123456789abcdefSECRET'];
        foreach ([['apiKey' => $secrets[0]], ['accessToken' => $secrets[1], 'refreshToken' => $secrets[2]]] as $credential) {
            $client = $this->client([self::error(401, 'Unauthorized'), self::error(401, 'Refresh token revoked')], $credential);
            ob_start();
            var_dump($client);
            $dumps = ob_get_clean() . print_r($client, true);
            try {
                $client->point()->balanceMine();
                self::fail('no error');
            } catch (\SbmCrm\Exception\Unauthorized $e) {
                $dumps .= $e->getMessage() . (string) $e;
            }
            foreach ($secrets as $secret) {
                self::assertStringNotContainsString(substr($secret, 0, 12), $dumps);
            }
            self::assertStringContainsString('***', $dumps);
        }
        self::assertFalse((new \ReflectionProperty(\SbmCrm\Http\Credentials::class, 'apiKey'))->isPublic());
    }

    public function testConnectionError(): void
    {
        $client = $this->client([new ConnectException('Connection refused', new Request('GET', 'http://sbm.test/'))]);
        try {
            $client->point()->balanceMine();
            self::fail('no error');
        } catch (ConnectionError $e) {
            self::assertInstanceOf(ApiError::class, $e);
            self::assertSame(0, $e->statusCode);
        }
    }

    public function testPaginateWalksEveryPage(): void
    {
        $page = fn (int $n, array $ids) => self::json(200, ['statusCode' => 200, 'data' => [
            'meta' => ['page' => $n, 'limit' => 2, 'total' => 3, 'totalPages' => 2],
            'data' => array_map(fn ($id) => ['id' => $id, 'createdAt' => '2026-01-02T03:04:05Z'], $ids),
        ]]);
        $client = $this->client([$page(1, ['a', 'b']), $page(2, ['c'])]);
        $ids = [];
        foreach ($client->paginate([$client->point(), 'transactionsList'], ['memberId' => self::MEMBER, 'limit' => 2]) as $tx) {
            $ids[] = $tx->getId();
            self::assertInstanceOf(\DateTime::class, $tx->getCreatedAt());
        }
        self::assertSame(['a', 'b', 'c'], $ids);
        self::assertStringContainsString('page=2', $this->history[1]['request']->getUri()->getQuery());
        self::assertStringContainsString('limit=2', $this->history[1]['request']->getUri()->getQuery());
    }

    public function testPsr18HttpClient(): void
    {
        $this->history = [];
        $stack = HandlerStack::create(new MockHandler([self::error(404, 'Member not found'), self::balance(9)]));
        $stack->push(Middleware::history($this->history));
        $client = new Client(['baseUrl' => 'http://sbm.test', 'apiKey' => 'k', 'httpClient' => new \GuzzleHttp\Client(['handler' => $stack])]);
        try {
            $client->point()->balanceGet(self::MEMBER);
            self::fail('no error');
        } catch (\SbmCrm\Exception\NotFound $e) {
            self::assertSame('Member not found', $e->getMessage());
        }
        self::assertSame(9, $client->point()->balanceGet(self::MEMBER)->getBalance());
        self::assertSame('k', $this->history[1]['request']->getHeaderLine('X-API-Key'));
    }

    public function testUnknownOperationAndArgument(): void
    {
        $client = $this->client([]);
        self::assertContains('transactionsEarn', $client->point()->operations());
        self::assertNotContains('transactionsEarnWithHttpInfo', $client->point()->operations());
        try {
            $client->point()->transactionsFly();
            self::fail('no error');
        } catch (\BadMethodCallException $e) {
            self::assertStringContainsString('transactionsFly', $e->getMessage());
        }
        $this->expectException(\InvalidArgumentException::class);
        $client->point()->balanceGet(memberId: self::MEMBER, colour: 'red');
    }
}
