<?php

declare(strict_types=1);

namespace PayAuth;

use PayAuth\Internal\Native;

/**
 * The library's primitives: HMAC, constant-time HMAC verification, SHA-256, RSA PKCS#1 v1.5
 * signatures and the byte-preserving JSON minifier.
 *
 * Hash names: "sha256", "sha512". Encodings: "hex", "hex_upper", "base64", "base64url".
 */
final class Crypto
{
    private function __construct()
    {
    }

    /**
     * HMAC of $message under $key, encoded.
     *
     * @throws ArgumentException for an unknown hash or encoding
     */
    public static function hmac(string $hash, #[\SensitiveParameter] string $key, string $message, string $encoding = 'hex'): string
    {
        return Native::get()->output('payauth_hmac', self::code('HASH', $hash), self::code('ENCODING', $encoding), $key, \strlen($key), $message, \strlen($message));
    }

    /**
     * Constant-time check that $signature is the HMAC of $message (hex compares
     * case-insensitively).
     */
    public static function hmacVerify(string $hash, #[\SensitiveParameter] string $key, string $message, string $signature, string $encoding = 'hex'): bool
    {
        return Native::get()->verify('payauth_hmac_verify', self::code('HASH', $hash), self::code('ENCODING', $encoding), $key, \strlen($key), $message, \strlen($message), $signature, \strlen($signature));
    }

    /** Lowercase hex SHA-256 of $data. */
    public static function sha256Hex(string $data): string
    {
        return Native::get()->output('payauth_sha256_hex', $data, \strlen($data));
    }

    /**
     * RSASSA-PKCS1-v1_5 signature with a PEM (PKCS#1/PKCS#8) or base64 DER key of at least 2048
     * bits. The key is parsed on every call: for repeated signing use a Signer.
     *
     * @throws SigningException PAYAUTH_KEY_INVALID / PAYAUTH_KEY_TOO_SMALL
     */
    public static function rsaSign(string $hash, #[\SensitiveParameter] string $privateKey, string $message, string $encoding = 'base64'): string
    {
        return Native::get()->output('payauth_rsa_sign', self::code('HASH', $hash), self::code('ENCODING', $encoding), $privateKey, \strlen($privateKey), $message, \strlen($message));
    }

    /**
     * JSON with insignificant whitespace removed, key order, numbers and escapes kept byte for
     * byte: send exactly the returned bytes.
     *
     * @throws SigningException PAYAUTH_JSON_INVALID
     */
    public static function jsonMinify(string $json): string
    {
        return Native::get()->output('payauth_json_minify', $json, \strlen($json));
    }

    /** PAYAUTH_HASH_* / PAYAUTH_ENCODING_* value of a name, as an ArgumentException if unknown. */
    private static function code(string $group, string $name): int
    {
        if (!preg_match('/^[a-z0-9_]+$/D', $name)) {
            $name = '?';
        }
        try {
            return Library::constant('PAYAUTH_' . $group . '_' . strtoupper($name));
        } catch (PayAuthException $e) {
            $status = Library::constant('PAYAUTH_INVALID_ARGUMENT');
            throw new ArgumentException(
                'PAYAUTH_INVALID_ARGUMENT: unknown ' . strtolower($group) . " \"$name\"",
                $status,
                'PAYAUTH_INVALID_ARGUMENT',
                $e,
            );
        }
    }
}
