<?php

declare(strict_types=1);

namespace PayAuth;

use FFI\CData;
use PayAuth\Internal\Handle;
use PayAuth\Internal\Native;

/**
 * A gateway client: the profile's signer plus token acquisition and the shared token cache
 * (docs/caching.md). The configuration is the profile's fields plus `token_url`, `ca_file`,
 * timeouts, `cache`... No request is made here. Usable after pcntl_fork(); any use after
 * close() throws ClosedException.
 */
final class Client extends Handle
{
    /**
     * @param array<string, mixed>|string $config an array (encoded as JSON) or the JSON text
     * @throws ConfigException|SigningException when the configuration or a key is rejected
     */
    public function __construct(#[\SensitiveParameter] array|string $config)
    {
        $this->open('payauth_client_new', 'payauth_client*', $config);
    }

    protected function free(CData $h): void
    {
        Native::get()->ffi->payauth_client_free($h);
    }

    /** The profile preset name, e.g. "netzme". */
    public function profile(): string
    {
        return Native::get()->ffi->payauth_client_profile($this->live());
    }

    /**
     * Every header the gateway needs for one request, with the access token (fetched when
     * needed; a valid cached token is always used). Arguments as for Signer::sign() without the
     * token. After a 401: invalidate() the token sent, then sign again.
     *
     * @param string|list<string>|null $stringToSign
     * @throws GatewayException when no valid token can be had (network, TLS, HTTP, backoff...)
     * @throws PayAuthException for argument and signing failures
     */
    public function signRequest(
        string $method,
        string $path,
        #[\SensitiveParameter] string $body = '',
        int $timeMs = 0,
        ?string $timestamp = null,
        ?string $externalId = null,
        ?string $messageId = null,
        string|array|null $stringToSign = null,
        bool $explain = false,
    ): Result {
        $h = $this->handle ?? $this->live();
        $sts = \is_array($stringToSign) ? \implode('', $stringToSign) : $stringToSign;
        $req = Native::request($method, $path, $body, '', [$timestamp, $externalId, $messageId, $sts]);
        return Native::get()->sign('payauth_client_sign_packed', $h, $req, $timeMs, $explain ? 1 : 0);
    }

    /**
     * Evicts the cached token only if it is $token (bare or "Bearer ..."): one refresh per burst
     * of 401s.
     *
     * @return bool true if evicted, false if the cache had moved on
     */
    public function invalidate(#[\SensitiveParameter] string $token): bool
    {
        $n = Native::get();
        $evicted = $n->ffi->new('int32_t');
        $rc = $n->ffi->payauth_client_invalidate($this->live(), $token, \strlen($token), \FFI::addr($evicted), $n->err);
        if ($rc !== 0) {
            throw $n->failure($rc);
        }
        return $evicted->cdata === 1;
    }

    /** @return array<string, mixed> counters and states (docs/caching.md) */
    public function stats(): array
    {
        $json = Native::get()->output('payauth_client_stats', $this->live());
        $stats = \json_decode($json, true, 8, JSON_THROW_ON_ERROR);
        return \is_array($stats) ? $stats : throw new PayAuthException('payauth: client stats are not a JSON object');
    }
}
