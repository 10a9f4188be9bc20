<?php

declare(strict_types=1);

namespace PayAuth\Internal;

use FFI;
use FFI\CData;
use PayAuth\ArgumentException;
use PayAuth\ConfigException;
use PayAuth\Library;
use PayAuth\PayAuthException;
use PayAuth\Result;

/**
 * Per-process call state shared by the wrappers: the FFI instance, one reusable error object
 * and reusable out-parameters (PHP runs one request per process/thread, so they are never used
 * by two calls at once; a forked child gets its own copy). Not part of the public API.
 *
 * @internal
 */
final class Native
{
    private static ?Native $instance = null;

    public FFI $ffi;
    /** payauth_error*: passed to every fallible call; read only after a failure. */
    public CData $err;
    /** payauth_headers* written by the signing calls, and its address. */
    public CData $out;
    public CData $outAddr;
    /** The value of PAYAUTH_FLAG_EXPLAIN. */
    public int $explainFlag;

    /** Output room of the packed calls' first try: 4 KiB fits every preset's headers. */
    public const PACKED_INITIAL = 4096;
    /** char[$packedCap]: the reused output buffer of the packed signing calls. */
    private CData $packedOut;
    private int $packedCap = 0;
    private int $tooSmall;

    private CData $text;
    private CData $textAddr;
    private CData $len;
    private CData $lenAddr;
    private CData $name;
    private CData $nameAddr;
    private CData $nameLen;
    private CData $nameLenAddr;

    /** The process-wide instance (created on first use). */
    public static function get(): self
    {
        return self::$instance ??= new self();
    }

    private function __construct()
    {
        $ffi = $this->ffi = Library::ffi();
        $err = $ffi->payauth_error_new();
        if ($err === null) {
            throw new PayAuthException('payauth: payauth_error_new returned NULL (out of memory)');
        }
        $this->err = $err;
        $this->out = $ffi->new('payauth_headers*');
        $this->outAddr = FFI::addr($this->out);
        $this->text = $ffi->new('const char*');
        $this->textAddr = FFI::addr($this->text);
        $this->len = $ffi->new('size_t');
        $this->lenAddr = FFI::addr($this->len);
        $this->name = $ffi->new('const char*');
        $this->nameAddr = FFI::addr($this->name);
        $this->nameLen = $ffi->new('size_t');
        $this->nameLenAddr = FFI::addr($this->nameLen);
        $this->explainFlag = Library::constant('PAYAUTH_FLAG_EXPLAIN');
        $this->tooSmall = Library::constant('PAYAUTH_BUFFER_TOO_SMALL');
        $this->packedCapacity(self::PACKED_INITIAL);
    }

    /**
     * Replaces the packed calls' output buffer with one of $cap bytes (at least 1). It grows by
     * itself when a result does not fit; tests shrink it to exercise that path.
     */
    public function packedCapacity(int $cap): void
    {
        $cap = max(1, $cap);
        $this->packedOut = $this->ffi->new("char[$cap]");
        $this->packedCap = $cap;
    }

    /**
     * The one-crossing signing call (explain off): `payauth_signer_sign_packed` ($client false)
     * or `payauth_client_sign_packed` ($client true) on the live handle $h, with the request
     * packed as `METHOD \0 PATH \0 TOKEN \0 EXTRA \0 BODY` ($request; the caller checked that
     * only the four separators precede the body). The headers are written into the reused
     * buffer and become the Result. On PAYAUTH_BUFFER_TOO_SMALL the buffer grows to the size
     * the library reported and the call is made again (which signs again: a new timestamp or
     * id unless the caller fixed them).
     */
    public function signPacked(CData $h, bool $client, #[\SensitiveParameter] string $request, int $timeMs): Result
    {
        $ffi = $this->ffi;
        for ($attempt = 1; ; $attempt++) {
            $rc = $client
                ? $ffi->payauth_client_sign_packed($h, $request, \strlen($request), $timeMs, $this->packedOut, $this->packedCap, $this->lenAddr, $this->err)
                : $ffi->payauth_signer_sign_packed($h, $request, \strlen($request), $timeMs, $this->packedOut, $this->packedCap, $this->lenAddr, $this->err);
            if ($rc === 0) {
                return new Result(FFI::string($this->packedOut, $this->len->cdata));
            }
            $need = $this->len->cdata;
            if ($rc !== $this->tooSmall || $need < $this->packedCap || $attempt >= 3) {
                throw $this->failure($rc);
            }
            // Slack on a second growth: the result grew between two calls (a longer id).
            $this->packedCapacity($need + 1 + ($attempt === 1 ? 0 : 256));
        }
    }

    public function __destruct()
    {
        $this->ffi->payauth_error_free($this->err);
    }

    /** The exception for a failed call (status $rc, message from the shared error object). */
    public function failure(int $rc): PayAuthException
    {
        return PayAuthException::fromStatus($rc, (string) $this->ffi->payauth_error_message($this->err));
    }

    /**
     * Turns the headers object a successful signing call left in $out into a Result and frees
     * it (always, even if reading fails).
     */
    public function takeResult(bool $explain): Result
    {
        $ffi = $this->ffi;
        $h = $this->out;
        try {
            $ffi->payauth_headers_text($h, $this->textAddr, $this->lenAddr);
            $text = FFI::string($this->text, $this->len->cdata);
            $artifacts = [];
            if ($explain) {
                $n = $ffi->payauth_headers_explain_count($h);
                for ($i = 0; $i < $n; $i++) {
                    $rc = $ffi->payauth_headers_explain_get($h, $i, $this->nameAddr, $this->nameLenAddr, $this->textAddr, $this->lenAddr);
                    if ($rc !== 0) {
                        throw PayAuthException::fromStatus($rc, "payauth_headers_explain_get($i)");
                    }
                    $artifacts[FFI::string($this->name, $this->nameLen->cdata)] = FFI::string($this->text, $this->len->cdata);
                }
            }
        } finally {
            $ffi->payauth_headers_free($h);
        }
        return new Result($text, $artifacts);
    }

    /**
     * Runs a call that copies a string into a caller buffer with a size query (the
     * `payauth_hmac` convention): `$call($buffer, $capacity, $lenAddr)` returns a status.
     *
     * @param callable(?CData, int, CData): int $call
     */
    public function copyOut(callable $call, int $guess = 256): string
    {
        $tooSmall = Library::constant('PAYAUTH_BUFFER_TOO_SMALL');
        for ($attempt = 0; $attempt < 3; $attempt++) {
            $buf = $this->ffi->new("char[$guess]");
            $rc = $call($buf, $guess, $this->lenAddr);
            if ($rc === 0) {
                return FFI::string($buf, $this->len->cdata);
            }
            if ($rc !== $tooSmall) {
                throw $this->failure($rc);
            }
            $guess = $this->len->cdata + 1;
        }
        throw $this->failure($tooSmall);
    }

    /**
     * A JSON object argument as text: a string is passed verbatim, an array is encoded
     * (`[]` and null mean "none" for optional arguments).
     *
     * @param array<mixed>|string|null $value
     * @param bool $config true for a configuration (errors are ConfigException)
     */
    public static function json(#[\SensitiveParameter] array|string|null $value, bool $config): ?string
    {
        if (is_string($value)) {
            return $value;
        }
        if ($value === null || ($value === [] && !$config)) {
            return null;
        }
        try {
            return json_encode($value, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION);
        } catch (\JsonException $e) {
            // The encoder's message names the problem, never the value.
            $what = $config ? 'configuration' : 'extra';
            $name = $config ? 'PAYAUTH_CONFIG_JSON' : 'PAYAUTH_INVALID_ARGUMENT';
            $status = Library::constant($name);
            $message = "$name: the $what array cannot be encoded as JSON: " . $e->getMessage();
            throw ($config ? new ConfigException($message, $status, $name, $e) : new ArgumentException($message, $status, $name, $e));
        }
    }
}
