<?php

declare(strict_types=1);

namespace PayAuth\Internal;

use FFI;
use FFI\CData;
use PayAuth\ConfigException;
use PayAuth\Library;
use PayAuth\PayAuthException;
use PayAuth\Result;

/**
 * Per-process call state: the FFI instance, one error object and the out-parameters of the
 * one signing path (PHP runs one request at a time per process; a forked child has its own
 * copy). The request and result formats are those of `payauth_signer_sign_packed` (payauth.h).
 *
 * @internal
 */
final class Native
{
    /** Bytes of the per-process result buffer: every preset's headers fit; long bodies spill. */
    public const CAP = 4096;
    private const ABSENT = 0xFFFFFFFF;

    private static ?Native $instance = null;

    public FFI $ffi;
    public CData $err;
    public CData $out;
    public CData $len;
    public CData $lenAddr;
    private CData $spill;
    private CData $spillAddr;

    public static function get(): self
    {
        return self::$instance ??= new self();
    }

    private function __construct()
    {
        $ffi = $this->ffi = Library::ffi();
        $this->err = $ffi->payauth_error_new() ?? throw new PayAuthException('payauth: out of memory');
        $this->out = $ffi->new('char[' . self::CAP . ']');
        $this->len = $ffi->new('size_t');
        $this->lenAddr = FFI::addr($this->len);
        $this->spill = $ffi->new('char*');
        $this->spillAddr = FFI::addr($this->spill);
    }

    public function __destruct()
    {
        $this->ffi->payauth_error_free($this->err);
    }

    /**
     * The packed request: method, path, body, token, then the typed per-request inputs
     * (timestamp, external_id, message_id, string_to_sign; null = absent).
     *
     * @param list<?string> $extras
     */
    public static function request(string $m, string $p, #[\SensitiveParameter] string $b, #[\SensitiveParameter] string $t, array $extras): string
    {
        if ($extras === [null, null, null, null]) {
            return \pack('V5', 4, \strlen($m), \strlen($p), \strlen($b), \strlen($t)) . $m . $p . $b . $t;
        }
        $fields = [$m, $p, $b, $t, ...$extras];
        $head = \pack('V', 8);
        foreach ($fields as $f) {
            $head .= \pack('V', $f === null ? self::ABSENT : \strlen($f));
        }
        return $head . \implode('', $fields);
    }

    /** One packed call (`payauth_{signer,client}_sign_packed` = $fn) on the live handle $h. */
    public function sign(string $fn, CData $h, #[\SensitiveParameter] string $request, int $timeMs, int $flags): Result
    {
        $rc = $this->ffi->$fn($h, $request, \strlen($request), $timeMs, $flags, $this->out, self::CAP, $this->lenAddr, $this->spillAddr, $this->err);
        if ($rc !== 0) {
            throw $this->failure($rc);
        }
        $n = $this->len->cdata;
        if ($n <= self::CAP) {
            return new Result(FFI::string($this->out, $n));
        }
        try {
            return new Result(FFI::string($this->spill, $n));
        } finally {
            $this->ffi->payauth_spill_free($this->spill, $n);
        }
    }

    /** A verification call: true valid, false mismatch, else the library's exception. */
    public function verify(string $fn, mixed ...$args): bool
    {
        $rc = $this->ffi->$fn(...[...$args, $this->err]);
        if ($rc === 0) {
            return true;
        }
        if ($rc === Library::constant('PAYAUTH_SIGNATURE_MISMATCH')) {
            return false;
        }
        throw $this->failure($rc);
    }

    /**
     * A call writing into a caller buffer (`…, out, out_cap, out_len, err`; nothing signed),
     * retried once with the size the library reports.
     */
    public function output(string $fn, mixed ...$args): string
    {
        $rc = $this->ffi->$fn(...[...$args, $this->out, self::CAP, $this->lenAddr, $this->err]);
        if ($rc === Library::constant('PAYAUTH_BUFFER_TOO_SMALL')) {
            $cap = $this->len->cdata + 1;
            $big = $this->ffi->new("char[$cap]");
            $rc = $this->ffi->$fn(...[...$args, $big, $cap, $this->lenAddr, $this->err]);
            if ($rc === 0) {
                return FFI::string($big, $this->len->cdata);
            }
        }
        if ($rc !== 0) {
            throw $this->failure($rc);
        }
        return FFI::string($this->out, $this->len->cdata);
    }

    /** The exception for a failed call, by the status's group. */
    public function failure(int $rc): PayAuthException
    {
        return PayAuthException::fromStatus($rc, (string) $this->ffi->payauth_error_message($this->err));
    }

    /**
     * A configuration as JSON text: an array is encoded (unescaped slashes and Unicode), a
     * string passed as is.
     *
     * @param array<string, mixed>|string $config
     */
    public static function json(#[\SensitiveParameter] array|string $config): string
    {
        if (\is_string($config)) {
            return $config;
        }
        try {
            return \json_encode($config, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION);
        } catch (\JsonException $e) { // the encoder names the problem, never the value
            $status = Library::constant('PAYAUTH_CONFIG_JSON');
            throw new ConfigException("PAYAUTH_CONFIG_JSON: the configuration array cannot be encoded as JSON: {$e->getMessage()}", $status, 'PAYAUTH_CONFIG_JSON', $e);
        }
    }
}
