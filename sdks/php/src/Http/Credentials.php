<?php

declare(strict_types=1);

namespace SbmCrm\Http;

/**
 * The client's credential: an API key, or an access token with its refresh token. The secrets are
 * private, left out of stack traces (`#[\SensitiveParameter]`) and masked in `var_dump`/`print_r`.
 */
final class Credentials
{
    /** @var (callable(string, string): void)|null */
    private $onTokens;

    public function __construct(
        #[\SensitiveParameter] private ?string $apiKey = null,
        #[\SensitiveParameter] private ?string $accessToken = null,
        #[\SensitiveParameter] private ?string $refreshToken = null,
        ?callable $onTokens = null,
    ) {
        $this->onTokens = $onTokens;
    }

    public function apiKey(): ?string
    {
        return $this->apiKey;
    }

    public function accessToken(): ?string
    {
        return $this->accessToken;
    }

    public function refreshToken(): ?string
    {
        return $this->refreshToken;
    }

    /** Stores a new pair (login, WeChat login, refresh) and tells `onTokens`. */
    public function setTokens(#[\SensitiveParameter] string $accessToken, #[\SensitiveParameter] ?string $refreshToken): void
    {
        $this->accessToken = $accessToken;
        if ($refreshToken !== null && $refreshToken !== '') {
            $this->refreshToken = $refreshToken;
        }
        if ($this->onTokens !== null) {
            ($this->onTokens)($this->accessToken, (string) $this->refreshToken);
        }
    }

    /** @return array<string, string|null> what `var_dump`/`print_r` show: masked secrets */
    public function __debugInfo(): array
    {
        return [
            'apiKey' => self::mask($this->apiKey),
            'accessToken' => self::mask($this->accessToken),
            'refreshToken' => self::mask($this->refreshToken),
        ];
    }

    /** A secret as `***` plus at most its last 4 characters (none of a short one); null stays null. */
    public static function mask(#[\SensitiveParameter] ?string $secret): ?string
    {
        if ($secret === null || $secret === '') {
            return $secret;
        }

        return '***' . (strlen($secret) >= 16 ? substr($secret, -4) : '');
    }
}
