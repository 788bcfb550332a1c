<?php

declare(strict_types=1);

namespace SbmCrm\Http;

/** The client's credential: an API key, or an access token with its refresh token. */
final class Credentials
{
    /** @var (callable(string, string): void)|null */
    private $onTokens;

    public function __construct(
        public ?string $apiKey = null,
        public ?string $accessToken = null,
        public ?string $refreshToken = null,
        ?callable $onTokens = null,
    ) {
        $this->onTokens = $onTokens;
    }

    /** Stores a new pair (login, WeChat login, refresh) and tells `onTokens`. */
    public function setTokens(string $accessToken, ?string $refreshToken): void
    {
        $this->accessToken = $accessToken;
        if ($refreshToken !== null && $refreshToken !== '') {
            $this->refreshToken = $refreshToken;
        }
        if ($this->onTokens !== null) {
            ($this->onTokens)($this->accessToken, (string) $this->refreshToken);
        }
    }
}
