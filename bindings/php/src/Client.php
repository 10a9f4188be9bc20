<?php

declare(strict_types=1);

namespace PayAuth;

use FFI\CData;
use PayAuth\Internal\Native;

/**
 * A gateway client: the profile's signer plus token acquisition and caching. signRequest()
 * returns every header a request needs, fetching or refreshing the access token when needed
 * (one fetch at a time per credential).
 *
 * The configuration is the profile's fields plus `token_url`, `ca_file`, `connect_timeout_ms`,
 * `timeout_ms`, `refresh_margin`, `cache`, ... (include/payauth.h, payauth_client_new).
 * Usable in a child after pcntl_fork() (the library drops inherited connections itself).
 * The native handle is freed by close() or when the object is destroyed; any use after
 * close() throws ClosedException.
 */
final class Client
{
    /** payauth_client*, null once closed. */
    private ?CData $handle = null;

    /**
     * No request is made here.
     *
     * @param array<string, mixed>|string $config an array (encoded as JSON) or the JSON text
     * @throws ConfigException|SigningException when the configuration or key is rejected
     */
    public function __construct(#[\SensitiveParameter] array|string $config)
    {
        $n = Native::get();
        $json = Native::json($config, true);
        $out = $n->ffi->new('payauth_client*');
        $rc = $n->ffi->payauth_client_new($json, strlen($json), \FFI::addr($out), $n->err);
        if ($rc !== 0) {
            throw $n->failure($rc);
        }
        $this->handle = $out;
    }

    /**
     * Every header the gateway needs for one request: the access token (fetched or refreshed
     * when needed), the signature, ids and timestamps. After the gateway answers 401, call
     * invalidate() with the token you sent, then call this again.
     *
     * @param string $method e.g. "POST"
     * @param string $path path and raw query exactly as sent
     * @param string $body the exact body bytes sent ("" for none)
     * @param int $timeMs epoch milliseconds; 0 = now
     * @param array<string, mixed>|string|null $extra per-request values (see Signer::sign)
     * @param bool $explain also return the intermediate artifacts
     * @throws GatewayException when no valid token could be had (network, TLS, timeout, HTTP
     *         status, rejected credentials, rate limit, backoff, ...)
     * @throws PayAuthException for argument and signing failures
     */
    public function signRequest(
        string $method,
        string $path,
        #[\SensitiveParameter] string $body = '',
        int $timeMs = 0,
        array|string|null $extra = null,
        bool $explain = false,
    ): Result {
        $h = $this->handle ?? throw ClosedException::of('Client');
        $n = Native::get();
        $x = $extra === null ? null : Native::json($extra, false);
        if (!$explain) {
            // One crossing, as in Signer::sign(); the TOKEN field stays empty (the client adds
            // its own). A NUL inside method, path or extra takes the object path below.
            $request = $method . "\0" . $path . "\0\0" . $x . "\0" . $body;
            if (\substr_count($request, "\0", 0, \strlen($request) - \strlen($body)) === 4) {
                return $n->signPacked($h, true, $request, $timeMs);
            }
        }
        $rc = $n->ffi->payauth_client_sign_request(
            $h,
            $method,
            \strlen($method),
            $path,
            \strlen($path),
            $body,
            \strlen($body),
            $timeMs,
            $x,
            $x === null ? 0 : \strlen($x),
            $explain ? $n->explainFlag : 0,
            $n->outAddr,
            $n->err,
        );
        if ($rc !== 0) {
            throw $n->failure($rc);
        }
        return $n->takeResult($explain);
    }

    /**
     * Compare-and-invalidate after a 401: evicts the cached token only if it is $token (the
     * bare token or the "Bearer ..." value sent), so a burst of 401s causes one refresh.
     *
     * @return bool true if the cached token was evicted, false if the cache had moved on
     * @throws ArgumentException for an empty token
     */
    public function invalidate(#[\SensitiveParameter] string $token): bool
    {
        $h = $this->handle ?? throw ClosedException::of('Client');
        $n = Native::get();
        $evicted = $n->ffi->new('int32_t');
        $rc = $n->ffi->payauth_client_invalidate($h, $token, \strlen($token), \FFI::addr($evicted), $n->err);
        if ($rc !== 0) {
            throw $n->failure($rc);
        }
        return $evicted->cdata === 1;
    }

    /**
     * The client's counters: hits, fetches, refreshes, failures, stale_served, waits,
     * invalidations, backoff_refusals, last_http_status.
     *
     * @return array<string, int|null>
     */
    public function stats(): array
    {
        $h = $this->handle ?? throw ClosedException::of('Client');
        $n = Native::get();
        $json = $n->copyOut(static fn (CData $buf, int $cap, CData $lenAddr): int
            => $n->ffi->payauth_client_stats($h, $buf, $cap, $lenAddr, $n->err), 512);
        $stats = json_decode($json, true, 8, JSON_THROW_ON_ERROR);
        return \is_array($stats) ? $stats : throw new PayAuthException('payauth: client stats are not a JSON object');
    }

    /** True until close(). */
    public function isOpen(): bool
    {
        return $this->handle !== null;
    }

    /**
     * Frees the native client (secrets wiped, connections closed).
     *
     * @throws ClosedException if already closed
     */
    public function close(): void
    {
        // Idempotent, like Python's close() and Java's AutoCloseable: a second close is a no-op.
        if ($this->handle === null) {
            return;
        }
        $h = $this->handle;
        $this->handle = null;
        Native::get()->ffi->payauth_client_free($h);
    }

    public function __destruct()
    {
        if ($this->handle !== null) {
            $h = $this->handle;
            $this->handle = null;
            Native::get()->ffi->payauth_client_free($h);
        }
    }

    /** Not clonable: a copy would free the same native handle twice. */
    private function __clone()
    {
    }

    /** @return array<string, mixed> never the configuration or its secrets */
    public function __debugInfo(): array
    {
        return ['open' => $this->handle !== null];
    }

    /** Not serializable: a native handle cannot be stored. */
    public function __serialize(): array
    {
        throw new \LogicException('PayAuth\Client cannot be serialized');
    }

    /** @param array<mixed> $data */
    public function __unserialize(array $data): void
    {
        throw new \LogicException('PayAuth\Client cannot be unserialized');
    }
}
