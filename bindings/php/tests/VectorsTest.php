<?php

declare(strict_types=1);

namespace PayAuth\Tests;

use PayAuth\Crypto;
use PayAuth\Library;
use PayAuth\PayAuthException;
use PayAuth\Result;
use PayAuth\Signer;
use PHPUnit\Framework\TestCase;

/**
 * Every conformance vector in PAYAUTH_VECTORS_DIR (docs/vectors-format.md), checked as the C
 * runner checks it: the status, the exact header list in order, each listed explain artifact,
 * the body to send, the minifier output, the verifications, and (on failure) an exception
 * carrying the status and a message.
 */
final class VectorsTest extends TestCase
{
    private static function dir(): string
    {
        $dir = getenv('PAYAUTH_VECTORS_DIR');
        if (!is_string($dir) || !is_dir($dir)) {
            throw new \RuntimeException('PAYAUTH_VECTORS_DIR is not a directory');
        }
        return $dir;
    }

    /** @return array<string, array{string}> */
    public static function vectors(): array
    {
        $out = [];
        foreach (glob(self::dir() . '/*.json') ?: [] as $file) {
            $out[basename($file, '.json')] = [$file];
        }
        ksort($out);
        return $out;
    }

    public function testTheFullVectorSetIsPresent(): void
    {
        self::assertGreaterThanOrEqual(72, count(self::vectors()), 'expected the full vector set');
    }

    /** @dataProvider vectors */
    public function testVector(string $file): void
    {
        $id = basename($file, '.json');
        // Objects stay objects ({} stays {}), so re-encoding gives the JSON the file holds.
        $v = json_decode((string) file_get_contents($file), false, 64, JSON_THROW_ON_ERROR);
        self::assertSame($id, $v->id, 'id differs from the file name');
        $want = $v->expect->status;
        [$status, $result, $minified] = self::runVector($v);
        self::assertSame($want, $status, "$id: status");
        if ($v->operation === 'minify' && $status === 'PAYAUTH_OK') {
            self::assertSame($v->expect->output, $minified, "$id: minify output");
        }
        if ($result === null) {
            return;
        }
        if (isset($v->expect->headers)) {
            self::assertSame($v->expect->headers, $result->pairs(), "$id: headers");
        }
        foreach ((array) ($v->expect->explain ?? []) as $name => $value) {
            self::assertArrayHasKey($name, $result->explain(), "$id: explain `$name` missing");
            self::assertSame($value, $result->explain()[$name], "$id: explain `$name`");
        }
        self::assertSame($v->expect->body ?? null, $result->body(), "$id: the body to send");
    }

    /**
     * A vector's `extra` object as Signer::sign() named arguments (`fields` is the string to
     * sign given as a list).
     *
     * @return array<string, mixed>
     */
    public static function typed(object $in): array
    {
        $x = (array) ($in->extra ?? []);
        $out = [];
        foreach (['timestamp' => 'timestamp', 'external_id' => 'externalId', 'message_id' => 'messageId', 'string_to_sign' => 'stringToSign', 'fields' => 'stringToSign'] as $k => $arg) {
            if (array_key_exists($k, $x)) {
                $out[$arg] = $x[$k];
            }
        }
        return $out;
    }

    /**
     * Runs one vector.
     *
     * @return array{0: string, 1: ?Result, 2: ?string} status name, result, minify output
     */
    private static function runVector(object $v): array
    {
        $in = $v->input;
        $json = static fn (mixed $x): string => json_encode($x, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
        try {
            if ($v->operation === 'minify') {
                return ['PAYAUTH_OK', null, Crypto::jsonMinify($in->json)];
            }
            $signer = new Signer(is_string($v->config) ? $v->config : $json($v->config));
            $ts = $in->timestamp_ms ?? 0;
            $body = $in->body ?? '';
            $verified = static fn (bool $ok): null => $ok ? null
                : throw PayAuthException::fromStatus(Library::constant('PAYAUTH_SIGNATURE_MISMATCH'), 'mismatch');
            $result = match ($v->operation) {
                'signer_new' => null,
                'sign' => $signer->sign($in->method, $in->path, $body, $in->token ?? '', $ts, ...self::typed($in) + ['explain' => true]),
                'token_headers' => $signer->tokenHeaders($ts, $in->extra->timestamp ?? null, true),
                'verify' => $verified($signer->verify($in->method, $in->path, $body, $in->token ?? '', $in->timestamp, $in->signature)),
                'verify_rsa' => $verified($signer->verifyRsa($in->message, $in->signature)),
                'verify_snap_rsa' => $verified($signer->verifySnapRsa($in->method, $in->path, $body, $in->timestamp, $in->signature)),
                'verify_jws' => $verified($signer->verifyJws($in->jws, $body)),
                default => throw new \LogicException("unknown operation {$v->operation}"),
            };
            $signer->close();
            return ['PAYAUTH_OK', $result, null];
        } catch (PayAuthException $e) {
            // The exception mirrors the native error: a known status and a non-empty message.
            self::assertSame($e->getStatusName(), Library::statusName($e->getCode()));
            self::assertNotSame('', trim(substr($e->getMessage(), strlen($e->getStatusName()) + 1)));
            return [$e->getStatusName(), null, null];
        }
    }
}
