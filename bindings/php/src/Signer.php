<?php

declare(strict_types=1);

namespace PayAuth;

use FFI\CData;
use PayAuth\Internal\Native;

/**
 * Offline request signing for one gateway profile (no network): HMAC / RSA / JWS headers, the
 * token-request headers, and verification of inbound (webhook) signatures.
 *
 * Built from a JSON profile configuration (docs/profiles.md), e.g.
 * `new Signer(['profile' => 'netzme', 'client_id' => '...', 'client_secret' => '...'])`.
 * Immutable; usable after pcntl_fork(). The native handle is freed by close() or when the
 * object is destroyed; any use after close() throws ClosedException.
 */
final class Signer
{
    /** payauth_signer*, null once closed. */
    private ?CData $handle = null;

    /**
     * @param array<string, mixed>|string $config the profile configuration: an array (encoded as
     *        JSON) or the JSON text itself
     * @throws ConfigException when the configuration is rejected (bad JSON, unknown profile,
     *         missing/invalid field, unreadable secret source)
     * @throws SigningException when the private key is invalid or too small
     */
    public function __construct(#[\SensitiveParameter] array|string $config)
    {
        $n = Native::get();
        $json = Native::json($config, true);
        $out = $n->ffi->new('payauth_signer*');
        $rc = $n->ffi->payauth_signer_new($json, strlen($json), \FFI::addr($out), $n->err);
        if ($rc !== 0) {
            throw $n->failure($rc);
        }
        $this->handle = $out;
    }

    /**
     * Signs one outgoing request and returns every header the gateway needs.
     *
     * @param string $method e.g. "POST" (upper-cased by the library)
     * @param string $path path and raw query exactly as sent
     * @param string $body the exact body bytes sent ("" for none)
     * @param string|null $token the access token, or null when the scheme needs none
     * @param int $timeMs epoch milliseconds; 0 = now
     * @param array<string, mixed>|string|null $extra per-request values (`timestamp`,
     *        `external_id`, `message_id`, `fields`, `string_to_sign`) as an array or JSON text
     * @param bool $explain also return the intermediate artifacts (Result::explain())
     * @throws PayAuthException (SigningException, ArgumentException, ConfigException)
     */
    public function sign(
        string $method,
        string $path,
        #[\SensitiveParameter] string $body = '',
        #[\SensitiveParameter] ?string $token = null,
        int $timeMs = 0,
        array|string|null $extra = null,
        bool $explain = false,
    ): Result {
        $h = $this->handle ?? throw ClosedException::of('Signer');
        $n = Native::get();
        $x = $extra === null ? null : Native::json($extra, false);
        if (!$explain) {
            // One crossing: METHOD \0 PATH \0 TOKEN \0 EXTRA \0 BODY. A NUL inside one of the
            // first four fields would shift them, so such a request takes the object path below,
            // which reports it as before.
            $request = $method . "\0" . $path . "\0" . $token . "\0" . $x . "\0" . $body;
            if (\substr_count($request, "\0", 0, \strlen($request) - \strlen($body)) === 4) {
                return $n->signPacked($h, false, $request, $timeMs);
            }
        }
        $rc = $n->ffi->payauth_signer_sign(
            $h,
            $method,
            \strlen($method),
            $path,
            \strlen($path),
            $body,
            \strlen($body),
            $token,
            $token === null ? 0 : \strlen($token),
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
     * The headers of the profile's token request (SNAP's RSA `X-SIGNATURE`, Netzme legacy's
     * Basic authorization).
     *
     * @param int $timeMs epoch milliseconds; 0 = now
     * @param array<string, mixed>|string|null $extra may carry `timestamp`
     * @throws SigningException PAYAUTH_UNSUPPORTED when the profile has no such headers
     */
    public function tokenHeaders(int $timeMs = 0, array|string|null $extra = null, bool $explain = false): Result
    {
        $h = $this->handle ?? throw ClosedException::of('Signer');
        $n = Native::get();
        $x = Native::json($extra, false);
        $rc = $n->ffi->payauth_signer_token_headers(
            $h,
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
     * Verifies the signature of an inbound request (callback/webhook) with the profile's HMAC
     * scheme, in constant time. Checking that the timestamp is recent is the caller's policy.
     *
     * @param string $timestamp the timestamp header exactly as received
     * @param string $signature the signature header as received
     * @return bool true if valid, false if the signature does not match
     * @throws PayAuthException for any other failure (e.g. PAYAUTH_UNSUPPORTED for RSA schemes)
     */
    public function verify(
        string $method,
        string $path,
        #[\SensitiveParameter] string $body,
        #[\SensitiveParameter] ?string $token,
        string $timestamp,
        string $signature,
    ): bool {
        $h = $this->handle ?? throw ClosedException::of('Signer');
        $n = Native::get();
        $rc = $n->ffi->payauth_signer_verify(
            $h,
            $method,
            \strlen($method),
            $path,
            \strlen($path),
            $body,
            \strlen($body),
            $token,
            $token === null ? 0 : \strlen($token),
            $timestamp,
            \strlen($timestamp),
            $signature,
            \strlen($signature),
            $n->err,
        );
        if ($rc === 0) {
            return true;
        }
        if ($rc === Library::constant('PAYAUTH_SIGNATURE_MISMATCH')) {
            return false;
        }
        throw $n->failure($rc);
    }

    /** The profile preset name, e.g. "netzme". */
    public function profile(): string
    {
        $h = $this->handle ?? throw ClosedException::of('Signer');
        return Native::get()->ffi->payauth_signer_profile($h);
    }

    /** True until close(). */
    public function isOpen(): bool
    {
        return $this->handle !== null;
    }

    /**
     * Frees the native signer (its secrets are wiped).
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
        Native::get()->ffi->payauth_signer_free($h);
    }

    public function __destruct()
    {
        if ($this->handle !== null) {
            $h = $this->handle;
            $this->handle = null;
            Native::get()->ffi->payauth_signer_free($h);
        }
    }

    /** Not clonable: a copy would free the same native handle twice. */
    private function __clone()
    {
    }

    /** @return array<string, mixed> never the configuration or its secrets */
    public function __debugInfo(): array
    {
        return ['profile' => $this->handle !== null ? $this->profile() : null, 'open' => $this->handle !== null];
    }

    /** Not serializable: a native handle cannot be stored. */
    public function __serialize(): array
    {
        throw new \LogicException('PayAuth\Signer cannot be serialized');
    }

    /** @param array<mixed> $data */
    public function __unserialize(array $data): void
    {
        throw new \LogicException('PayAuth\Signer cannot be unserialized');
    }
}
