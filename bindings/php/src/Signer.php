<?php

declare(strict_types=1);

namespace PayAuth;

use FFI\CData;
use PayAuth\Internal\Handle;
use PayAuth\Internal\Native;

/**
 * Offline request signing for one gateway profile (no network), the token-request headers, and
 * verification of inbound signatures. Built from a profile configuration (docs/profiles.md):
 * `new Signer(['profile' => 'netzme', 'client_id' => '...', 'client_secret' => '...'])`.
 * Immutable; usable after pcntl_fork(); any use after close() throws ClosedException.
 */
final class Signer extends Handle
{
    private const TOKEN_REQUEST = 2; // PAYAUTH_FLAG_TOKEN_REQUEST

    /**
     * @param array<string, mixed>|string $config an array (encoded as JSON) or the JSON text
     * @throws ConfigException|SigningException when the configuration or a key is rejected
     */
    public function __construct(#[\SensitiveParameter] array|string $config)
    {
        $this->open('payauth_signer_new', 'payauth_signer*', $config);
    }

    protected function free(CData $h): void
    {
        Native::get()->ffi->payauth_signer_free($h);
    }

    /** The profile preset name, e.g. "netzme". */
    public function profile(): string
    {
        return Native::get()->ffi->payauth_signer_profile($this->live());
    }

    /**
     * Signs one outgoing request: every header the gateway needs, and Result::body() when the
     * body to send differs from $body (a minified JSON body).
     *
     * @param string $path path and raw query exactly as sent
     * @param string $body the exact body bytes ("" for none)
     * @param string|null $token the access token, for schemes that sign one
     * @param int $timeMs epoch milliseconds; 0 = now
     * @param string|null $timestamp the exact timestamp text, instead of the formatted time
     * @param string|null $externalId SNAP X-EXTERNAL-ID (1 to 36 digits; default random)
     * @param string|null $messageId PayNet JWS / DuitNow message id
     * @param string|list<string>|null $stringToSign PayNet DOBW: the text, or its fields
     * @throws PayAuthException (ArgumentException, SigningException)
     */
    public function sign(
        string $method,
        string $path,
        #[\SensitiveParameter] string $body = '',
        #[\SensitiveParameter] ?string $token = null,
        int $timeMs = 0,
        ?string $timestamp = null,
        ?string $externalId = null,
        ?string $messageId = null,
        string|array|null $stringToSign = null,
        bool $explain = false,
    ): Result {
        $h = $this->handle ?? $this->live();
        $sts = \is_array($stringToSign) ? \implode('', $stringToSign) : $stringToSign;
        $req = Native::request($method, $path, $body, $token ?? '', [$timestamp, $externalId, $messageId, $sts]);
        return Native::get()->sign('payauth_signer_sign_packed', $h, $req, $timeMs, $explain ? 1 : 0);
    }

    /**
     * The headers of the profile's token request (SNAP's RSA X-SIGNATURE, Netzme legacy's Basic
     * authorization).
     *
     * @throws SigningException PAYAUTH_UNSUPPORTED for profiles without such headers
     */
    public function tokenHeaders(int $timeMs = 0, ?string $timestamp = null, bool $explain = false): Result
    {
        $req = Native::request('', '', '', '', [$timestamp, null, null, null]);
        return Native::get()->sign('payauth_signer_sign_packed', $this->live(), $req, $timeMs, self::TOKEN_REQUEST | ($explain ? 1 : 0));
    }

    /**
     * Verifies an inbound request signed with the profile's HMAC scheme (constant time).
     * $timestamp and $signature as received; checking the timestamp's age is your policy.
     *
     * @return bool true if valid, false if the signature does not match
     */
    public function verify(string $method, string $path, string $body, #[\SensitiveParameter] ?string $token, string $timestamp, string $signature): bool
    {
        $t = $token ?? '';
        return Native::get()->verify('payauth_signer_verify', $this->live(), $method, \strlen($method), $path, \strlen($path), $body, \strlen($body), $t, \strlen($t), $timestamp, \strlen($timestamp), $signature, \strlen($signature));
    }

    /** An RSA signature of $message (PayNet DOBW X-Signature) under `gateway_public_key`. */
    public function verifyRsa(string $message, string $signature): bool
    {
        return Native::get()->verify('payauth_signer_verify_rsa', $this->live(), $message, \strlen($message), $signature, \strlen($signature));
    }

    /** A SNAP asymmetric signature (a notification) under `gateway_public_key`. */
    public function verifySnapRsa(string $method, string $path, string $body, string $timestamp, string $signature): bool
    {
        return Native::get()->verify('payauth_signer_verify_snap_rsa', $this->live(), $method, \strlen($method), $path, \strlen($path), $body, \strlen($body), $timestamp, \strlen($timestamp), $signature, \strlen($signature));
    }

    /** A PayNet JWS response signature and its `ds` over $body, under `gateway_public_key`. */
    public function verifyJws(string $jws, string $body): bool
    {
        return Native::get()->verify('payauth_signer_verify_jws', $this->live(), $jws, \strlen($jws), $body, \strlen($body));
    }
}
