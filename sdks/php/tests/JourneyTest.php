<?php

declare(strict_types=1);

namespace SbmCrm\Tests;

use GuzzleHttp\HandlerStack;
use GuzzleHttp\Middleware;
use PHPUnit\Framework\TestCase;
use SbmCrm\Client;
use SbmCrm\Exception\NotFound;
use SbmCrm\Exception\RateLimited;
use SbmCrm\Exception\Unprocessable;

/**
 * The loyalty journey through the SDK alone, against the real server started by ../testserver.py
 * (set SBM_BIN to a built sbm-crm, or build target/debug/sbm-crm).
 */
final class JourneyTest extends TestCase
{
    private const JPEG = "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9";
    private const UUID4 = '/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/';

    /** @var resource|null */
    private static $server = null;
    /** @var array<int, resource> */
    private static array $pipes = [];
    private static string $baseUrl;
    private static string $adminEmail;
    private static string $adminPassword;
    private static Client $staff;
    private static string $apiKey;
    private static Client $pos;
    private static string $run;

    public static function setUpBeforeClass(): void
    {
        self::$server = proc_open(
            ['python3', dirname(__DIR__, 2) . '/testserver.py'],
            [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => STDERR],
            self::$pipes,
        );
        if (!is_resource(self::$server)) {
            throw new \RuntimeException('could not start testserver.py');
        }
        $line = fgets(self::$pipes[1]);
        $info = is_string($line) ? json_decode($line, true) : null;
        if (!is_array($info)) {
            self::tearDownAfterClass();
            throw new \RuntimeException('testserver.py did not start the server (is SBM_BIN set?)');
        }
        self::$baseUrl = $info['baseUrl'];
        self::$adminEmail = $info['adminEmail'];
        self::$adminPassword = $info['adminPassword'];
        self::$run = bin2hex(random_bytes(4));

        // 1. staff login, then an API key for the point of sale
        self::$staff = new Client(['baseUrl' => self::$baseUrl]);
        self::$staff->login(self::$adminEmail, self::$adminPassword);
        $key = self::$staff->auth()->apiKeysCreate([
            'name' => 'POS',
            'scopes' => ['members:read', 'members:write', 'points:read', 'points:write'],
            'plan' => 'standard',
        ]);
        self::$apiKey = $key->getKey();
        self::$pos = new Client(['baseUrl' => self::$baseUrl, 'apiKey' => self::$apiKey]);
    }

    public static function tearDownAfterClass(): void
    {
        if (self::$server !== null) {
            foreach (self::$pipes as $pipe) {
                fclose($pipe);
            }
            proc_close(self::$server);
            self::$server = null;
            self::$pipes = [];
        }
    }

    private static function enrol(string $first = 'Ann'): string
    {
        static $n = 0;
        $n++;
        $member = self::$pos->auth()->membersEnrol([
            'firstName' => $first,
            'lastName' => 'Lee',
            'phone' => sprintf('+66 8%d %s %04d', $n % 10, substr(self::$run, 0, 3), random_int(0, 9999)),
            'email' => sprintf('%s-%s-%d@example.com', strtolower($first), self::$run, $n),
        ]);
        self::assertMatchesRegularExpression('/^[0-9a-f-]{36}$/', $member->getId());

        return $member->getId();
    }

    private static function earn(string $memberId, int $points, ?string $key = null, string $reason = 'test'): object
    {
        return self::$pos->point()->transactionsEarn(
            ['memberId' => $memberId, 'points' => $points, 'source' => 'pos', 'reason' => $reason],
            idempotencyKey: $key,
        );
    }

    public function testStaffLoginAndApiKey(): void
    {
        self::assertNotEmpty(self::$staff->accessToken());
        self::assertNotEmpty(self::$staff->refreshToken());
        self::assertStringStartsWith('sbmk_', self::$apiKey);
        $me = self::$staff->auth()->staffMe();
        self::assertSame(self::$adminEmail, $me->getEmail());
    }

    public function testEnrolEarnSpendBalance(): void
    {
        $id = self::enrol();
        $booking = self::$pos->point()->transactionsEarn([
            'memberId' => $id, 'points' => 50, 'source' => 'pos', 'externalId' => 'o-1-' . self::$run, 'reason' => 'test',
        ]);
        self::assertSame(50, $booking->getTransaction()->getBalanceAfter());
        self::assertSame($id, $booking->getTransaction()->getMemberId());
        $spent = self::$pos->point()->transactionsSpend(['memberId' => $id, 'points' => 15, 'reason' => 'Coffee']);
        self::assertSame(35, $spent->getTransaction()->getBalanceAfter());
        $balance = self::$pos->point()->balanceGet($id);
        self::assertSame($id, $balance->getMemberId());
        self::assertSame(35, $balance->getBalance());
        self::assertSame(50, $balance->getLifetimeEarned());
        self::assertSame(15, $balance->getLifetimeSpent());
    }

    public function testLedgerAcrossPages(): void
    {
        $id = self::enrol('Page');
        $expected = [];
        foreach ([1, 2, 3, 4, 5] as $points) {
            $expected[] = self::earn($id, $points)->getTransaction()->getId();
        }
        $first = self::$pos->point()->transactionsList(memberId: $id, limit: 2);
        self::assertSame(5, $first->getMeta()->getTotal());
        self::assertSame(3, $first->getMeta()->getTotalPages());
        self::assertCount(2, $first->getData());

        $seen = [];
        foreach (self::$pos->paginate([self::$pos->point(), 'transactionsList'], ['memberId' => $id, 'limit' => 2]) as $tx) {
            self::assertInstanceOf(\DateTimeInterface::class, $tx->getCreatedAt());
            self::assertSame($id, $tx->getMemberId());
            $seen[] = $tx->getId();
        }
        self::assertCount(5, $seen);
        self::assertSame($seen, array_values(array_unique($seen)));
        $sorted = $expected;
        sort($sorted);
        $got = $seen;
        sort($got);
        self::assertSame($sorted, $got);
        // the ledger is newest first (or oldest first): either way the order is the earning order
        self::assertContains($seen, [$expected, array_reverse($expected)]);
    }

    public function testTierProjection(): void
    {
        $cluster = self::$staff->cluster();
        $base = $cluster->tiersCreate(['code' => 'base', 'name_en' => 'Base', 'rank' => 0, 'isDefault' => true,
            'qualification' => ['metric' => 'points_earned', 'threshold' => 0, 'window' => 'lifetime']]);
        self::assertSame('base', $base->getCode());
        $silver = $cluster->tiersCreate(['code' => 'silver', 'name_en' => 'Silver', 'rank' => 1,
            'qualification' => ['metric' => 'points_earned', 'threshold' => 100, 'window' => 'lifetime']]);
        self::assertSame('silver', $silver->getCode());

        $id = self::enrol('Tier');
        self::earn($id, 120);
        $code = null;
        $deadline = microtime(true) + 10;
        do {
            try {
                $code = $cluster->tierProjectionsGet($id)->getCurrentTier()?->getCode();
            } catch (NotFound) {
                $code = null;
            }
            if ($code === 'silver') {
                break;
            }
            usleep(200_000);
        } while (microtime(true) < $deadline);
        self::assertSame('silver', $code);
        // Typed all the way down: the qualifying measure is an object with a parsed date.
        $qualifying = $cluster->tierProjectionsGet($id)->getQualifying();
        self::assertSame('points_earned', $qualifying->getMetric()->value);
        self::assertGreaterThanOrEqual(120, $qualifying->getValue());
        self::assertInstanceOf(\DateTime::class, $qualifying->getTo());
    }

    public function testRewardRedeemAndCancel(): void
    {
        $reward = self::$staff->reward();
        $catalog = $reward->rewardCatalogsCreate(['code' => 'everyday-' . self::$run, 'name_en' => 'Everyday']);
        $latte = $reward->rewardsCreate(['code' => 'latte-' . self::$run, 'catalogId' => $catalog->getId(), 'type' => 'voucher',
            'name_en' => 'A latte', 'pointsCost' => 10, 'stockTotal' => 100]);
        $id = self::enrol('Reward');
        self::earn($id, 30);

        $redemption = $reward->redemptionsCreate(['rewardId' => $latte->getId(), 'memberId' => $id]);
        self::assertSame('claimed', (string) self::value($redemption->getStatus()));
        self::assertSame(10, $redemption->getPointsCost());
        self::assertSame(20, self::$pos->point()->balanceGet($id)->getBalance());

        $cancelled = $reward->redemptionsCancel($redemption->getId());
        self::assertSame('cancelled', (string) self::value($cancelled->getStatus()));
        self::assertSame(30, self::$pos->point()->balanceGet($id)->getBalance());
    }

    public function testReceiptUploadAsWechatMember(): void
    {
        $member = new Client(['baseUrl' => self::$baseUrl]);
        $login = $member->wechatLogin('wx-' . self::$run . '-' . bin2hex(random_bytes(4)));
        self::assertNotEmpty($member->accessToken());
        self::assertSame($login->getAccessToken(), $member->accessToken());
        $memberId = $login->getMember()->getId();

        $receipt = $member->point()->receiptsSubmit(
            amount: 12_345,
            image: self::JPEG,
            purchasedAt: new \DateTimeImmutable('-1 hour'),
            receiptNumber: 'R-' . self::$run,
            storeId: 'store-1',
        );
        self::assertSame('pending', (string) self::value($receipt->getStatus()));
        self::assertSame($memberId, $receipt->getMemberId());
        self::assertSame(12_345, $receipt->getAmount());
        self::assertSame('R-' . self::$run, $receipt->getReceiptNumber());
    }

    public function testUnprocessableWhenSpendingMoreThanTheBalance(): void
    {
        $id = self::enrol('Short');
        self::earn($id, 5);
        try {
            self::$pos->point()->transactionsSpend(['memberId' => $id, 'points' => 500, 'reason' => 'Too much']);
            self::fail('no error');
        } catch (Unprocessable $e) {
            self::assertSame(422, $e->statusCode);
            self::assertStringStartsWith('Insufficient points', $e->getMessage());
            self::assertSame('points', $e->errors[0]['field']);
            self::assertNotEmpty($e->errors[0]['message']);
            self::assertNotNull($e->rateLimit);
        }
        self::assertSame(5, self::$pos->point()->balanceGet($id)->getBalance());
    }

    public function testNotFound(): void
    {
        try {
            self::$pos->point()->balanceGet('7c9e6679-7425-40de-944b-e07fc1f90ae7');
            self::fail('no error');
        } catch (NotFound $e) {
            self::assertSame(404, $e->statusCode);
            self::assertSame('Member not found', $e->getMessage());
        }
    }

    public function testRateLimitedThenRetried(): void
    {
        $key = self::$staff->auth()->apiKeysCreate([
            'name' => 'burst', 'scopes' => ['points:read'], 'plan' => 'enterprise', 'rateLimitPerHour' => 1800,
        ])->getKey();
        $url = self::$baseUrl . '/point/api/balance/00000000-0000-0000-0000-000000000000';
        $curl = curl_init($url);
        curl_setopt_array($curl, [CURLOPT_RETURNTRANSFER => true, CURLOPT_HTTPHEADER => ['X-API-Key: ' . $key]]);
        $status = 0;
        for ($i = 0; $i < 5000 && $status !== 429; $i++) {
            curl_exec($curl);
            $status = curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
        }
        curl_close($curl);
        self::assertSame(429, $status, 'the quota was never spent');

        $noRetry = new Client(['baseUrl' => self::$baseUrl, 'apiKey' => $key, 'maxRetries' => 0]);
        try {
            $noRetry->point()->balanceGet('00000000-0000-0000-0000-000000000000');
            self::fail('no error');
        } catch (RateLimited $e) {
            self::assertSame(429, $e->statusCode);
            self::assertGreaterThan(0, $e->retryAfter);
            self::assertSame(0, $e->rateLimit?->remaining);
        }

        $waits = [];
        $retrying = new Client(['baseUrl' => self::$baseUrl, 'apiKey' => $key, 'maxRetries' => 3,
            'onRetry' => function (int $attempt, float $wait) use (&$waits): void { $waits[] = $wait; }]);
        $start = microtime(true);
        try {
            $retrying->point()->balanceGet('00000000-0000-0000-0000-000000000000');
            self::fail('the zero member exists');
        } catch (NotFound $e) {
            self::assertSame(404, $e->statusCode);
        }
        self::assertNotEmpty($waits, 'no 429 was seen');
        self::assertGreaterThan(0, $waits[0]);
        self::assertGreaterThanOrEqual(0.5, microtime(true) - $start);
    }

    public function testTokenRefreshAfter401(): void
    {
        $session = new Client(['baseUrl' => self::$baseUrl]);
        $session->login(self::$adminEmail, self::$adminPassword);
        $refresh = $session->refreshToken();

        $history = [];
        $stack = HandlerStack::create();
        $stack->push(Middleware::history($history));
        $pairs = [];
        $client = new Client([
            'baseUrl' => self::$baseUrl,
            'accessToken' => 'expired.jwt.token',
            'refreshToken' => $refresh,
            'onTokens' => function (string $access, string $refresh) use (&$pairs): void { $pairs[] = [$access, $refresh]; },
            'handler' => $stack,
        ]);
        $me = $client->auth()->staffMe();
        self::assertSame(self::$adminEmail, $me->getEmail());

        self::assertCount(1, $pairs);
        [$access, $rotated] = $pairs[0];
        self::assertNotSame('expired.jwt.token', $access);
        self::assertNotEmpty($rotated);
        self::assertSame($access, $client->accessToken());
        self::assertSame($rotated, $client->refreshToken());
        self::assertSame([401, 200, 200], array_map(fn ($h) => $h['response']->getStatusCode(), $history));
        self::assertSame('/auth/api/get-new-access-token', $history[1]['request']->getUri()->getPath());
        self::assertSame('Bearer ' . $access, $history[2]['request']->getHeaderLine('Authorization'));
    }

    public function testIdempotentEarnIsBookedOnce(): void
    {
        $id = self::enrol('Twice');
        $history = [];
        $stack = HandlerStack::create();
        $stack->push(Middleware::history($history));
        $pos = new Client(['baseUrl' => self::$baseUrl, 'apiKey' => self::$apiKey, 'handler' => $stack]);
        $body = ['memberId' => $id, 'points' => 40, 'source' => 'pos', 'reason' => 'replayed'];

        $key = \SbmCrm\Service::uuid4();
        $first = $pos->point()->transactionsEarn($body, idempotencyKey: $key);
        $second = $pos->point()->transactionsEarn(earnRequest: $body, idempotencyKey: $key);
        self::assertSame($first->getTransaction()->getId(), $second->getTransaction()->getId());
        self::assertSame([$key, $key], array_map(fn ($h) => $h['request']->getHeaderLine('Idempotency-Key'), $history));
        self::assertSame('', $history[0]['response']->getHeaderLine('Idempotent-Replayed'));
        self::assertSame('true', $history[1]['response']->getHeaderLine('Idempotent-Replayed'));
        self::assertSame(40, $pos->point()->balanceGet($id)->getBalance());

        // without a key the SDK sends a fresh UUID v4 on each call: two calls, two bookings
        $history = [];
        $pos->point()->transactionsEarn(['memberId' => $id, 'points' => 1, 'reason' => 'a']);
        $pos->point()->transactionsEarn(['memberId' => $id, 'points' => 1, 'reason' => 'a']);
        $keys = array_map(fn ($h) => $h['request']->getHeaderLine('Idempotency-Key'), $history);
        self::assertCount(2, $keys);
        self::assertMatchesRegularExpression(self::UUID4, $keys[0]);
        self::assertMatchesRegularExpression(self::UUID4, $keys[1]);
        self::assertNotSame($keys[0], $keys[1]);
        self::assertSame(42, $pos->point()->balanceGet($id)->getBalance());
    }

    public function testRateLimitHeaders(): void
    {
        $client = new Client(['baseUrl' => self::$baseUrl, 'apiKey' => self::$apiKey]);
        self::assertNull($client->rateLimit());
        $client->point()->transactionsList(limit: 1);
        $rateLimit = $client->rateLimit();
        self::assertNotNull($rateLimit);
        self::assertGreaterThan(0, $rateLimit->limit);
        self::assertGreaterThanOrEqual(0, $rateLimit->remaining);
        self::assertLessThan($rateLimit->limit, $rateLimit->remaining);
        self::assertGreaterThan(time() - 5, $rateLimit->reset);
    }

    private static function value(mixed $enumOrString): mixed
    {
        return $enumOrString instanceof \BackedEnum ? $enumOrString->value : $enumOrString;
    }
}
