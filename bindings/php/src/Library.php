<?php

declare(strict_types=1);

namespace PayAuth;

use FFI;

/**
 * Loads the native payauth library through PHP FFI, once per process.
 *
 * Two modes:
 *  - "preload": `preload.php` ran as `opcache.preload` and declared the FFI scope `PAYAUTH`
 *    with {@see Library::preload()}; `FFI::scope("PAYAUTH")` is used (works with
 *    `ffi.enable=preload`, the php-fpm default).
 *  - "cdef": otherwise `FFI::cdef()` parses the preprocessor-free header at the first call
 *    (needs `ffi.enable=true`, or the CLI with the default `ffi.enable=preload`).
 *
 * Library lookup order: env `PAYAUTH_LIBRARY` (full path of the .so), a `libpayauth.so` shipped
 * in this package (`lib/libpayauth.so`), then the system path (`libpayauth.so.0`, `libpayauth.so`).
 * Header lookup order: env `PAYAUTH_HEADER`, the copy shipped in this package
 * (`include/payauth_ffi.h`), then `/usr/include/payauth_ffi.h`.
 */
final class Library
{
    /** The FFI scope name that preload.php declares. */
    public const SCOPE = 'PAYAUTH';

    /** Sonames tried, in order, when neither the env variable nor a shipped copy names a file. */
    public const SYSTEM_NAMES = ['libpayauth.so.0', 'libpayauth.so'];

    private static ?FFI $ffi = null;
    private static string $mode = '';
    private static string $source = '';
    /** @var array<string, int> */
    private static array $constants = [];

    /** Not instantiable: every member is static. */
    private function __construct()
    {
    }

    /**
     * The FFI instance bound to libpayauth (loaded on the first call).
     *
     * @throws PayAuthException when FFI is unavailable or the library/header cannot be loaded
     */
    public static function ffi(): FFI
    {
        return self::$ffi ?? self::load();
    }

    /** "preload" or "cdef" (loads the library if needed). */
    public static function mode(): string
    {
        self::ffi();
        return self::$mode;
    }

    /** Where the library came from: the path or soname given to FFI::cdef, or "scope PAYAUTH". */
    public static function source(): string
    {
        self::ffi();
        return self::$source;
    }

    /** The native library's version string, e.g. "0.1.0". */
    public static function version(): string
    {
        return self::ffi()->payauth_version_string();
    }

    /**
     * The value of a named library constant (`PAYAUTH_FLAG_EXPLAIN`, `PAYAUTH_HASH_SHA256`,
     * `PAYAUTH_SIGNATURE_MISMATCH`, ...), read with `payauth_constant` and cached.
     *
     * @throws PayAuthException (PAYAUTH_NOT_FOUND) for an unknown name
     */
    public static function constant(string $name): int
    {
        if (isset(self::$constants[$name])) {
            return self::$constants[$name];
        }
        $ffi = self::ffi();
        $value = $ffi->new('int64_t');
        $err = $ffi->payauth_error_new();
        try {
            $rc = $ffi->payauth_constant($name, strlen($name), FFI::addr($value), $err);
            if ($rc !== 0) {
                throw PayAuthException::fromStatus($rc, $ffi->payauth_error_message($err));
            }
        } finally {
            $ffi->payauth_error_free($err);
        }
        return self::$constants[$name] = (int) $value->cdata;
    }

    /** The identifier of a status code, e.g. "PAYAUTH_OK" ("PAYAUTH_UNKNOWN" if unknown). */
    public static function statusName(int $code): string
    {
        return self::ffi()->payauth_status_name(self::clampStatus($code));
    }

    /** The static description of a status code. */
    public static function statusDescription(int $code): string
    {
        return self::ffi()->payauth_status_str(self::clampStatus($code));
    }

    /**
     * Declares the FFI scope `PAYAUTH` for opcache preloading (call it from preload.php only).
     * Nothing to do when `ffi.preload` already declared it. Otherwise the header text with its
     * `FFI_SCOPE`/`FFI_LIB` defines is written to a private temporary file (TMPDIR), loaded with
     * FFI::load() and removed. PHP refuses FFI::load() when opcache preloads in a child process
     * (a root master with `opcache.preload_user`): use `ffi.preload` with the header written by
     * {@see Library::preloadHeader()} (bin/payauth-preload-header) then.
     *
     * @param string|null $library the .so to bind; default: the lookup order above
     * @throws PayAuthException when the header or the library cannot be loaded
     */
    public static function preload(?string $library = null): void
    {
        if (self::hasScope()) {
            return;
        }
        $candidates = $library !== null ? [$library] : self::libraryCandidates();
        $header = self::readHeader();
        $errors = [];
        foreach ($candidates as $lib) {
            $file = tempnam(sys_get_temp_dir(), 'payauth-preload-');
            if ($file === false) {
                throw new PayAuthException('payauth: cannot create a temporary header file in ' . sys_get_temp_dir());
            }
            try {
                file_put_contents($file, self::preloadHeader($lib, $header));
                if (@FFI::load($file) !== null) {
                    return;
                }
                $errors[] = $lib;
            } catch (\FFI\Exception $e) {
                $errors[] = $lib . ' (' . $e->getMessage() . ')';
            } finally {
                @unlink($file);
            }
        }
        throw new PayAuthException('payauth: FFI::load failed for ' . implode(', ', $errors)
            . '. As root with opcache.preload_user, write the header with bin/payauth-preload-header '
            . 'and set ffi.preload to it (README.md)');
    }

    /** True when the FFI scope `PAYAUTH` exists (declared by ffi.preload or preload.php). */
    public static function hasScope(): bool
    {
        try {
            FFI::scope(self::SCOPE);
            return true;
        } catch (\FFI\Exception) {
            return false;
        }
    }

    /**
     * The header text FFI::load() and `ffi.preload` need: the scope and library defines, then
     * the declarations (default: the header found by the lookup order).
     */
    public static function preloadHeader(string $library, ?string $declarations = null): string
    {
        $declarations ??= self::readHeader();
        if (preg_match('/["\\\\\r\n]/', $library)) {
            throw new PayAuthException('payauth: the library path must not contain quotes, backslashes or newlines');
        }
        return '#define FFI_SCOPE "' . self::SCOPE . "\"\n#define FFI_LIB \"" . $library . "\"\n" . $declarations;
    }

    /**
     * The library files to try, in lookup order (env, shipped copy, system sonames).
     *
     * @return list<string>
     */
    public static function libraryCandidates(): array
    {
        $env = getenv('PAYAUTH_LIBRARY');
        if (is_string($env) && $env !== '') {
            return [$env]; // explicit: no silent fallback to another copy
        }
        $shipped = dirname(__DIR__) . '/lib/libpayauth.so';
        return is_file($shipped) ? [$shipped] : self::SYSTEM_NAMES;
    }

    /** The header file to parse, by the lookup order above. */
    public static function headerPath(): string
    {
        $env = getenv('PAYAUTH_HEADER');
        if (is_string($env) && $env !== '') {
            return $env;
        }
        $shipped = dirname(__DIR__) . '/include/payauth_ffi.h';
        return is_file($shipped) ? $shipped : '/usr/include/payauth_ffi.h';
    }

    private static function readHeader(): string
    {
        $path = self::headerPath();
        $text = is_file($path) ? @file_get_contents($path) : false;
        if ($text === false) {
            throw new PayAuthException("payauth: cannot read the FFI header $path (set PAYAUTH_HEADER)");
        }
        return $text;
    }

    private static function load(): FFI
    {
        if (!extension_loaded('ffi')) {
            throw new PayAuthException('payauth: the PHP FFI extension is not loaded');
        }
        if (self::hasScope()) {
            self::$mode = 'preload';
            self::$source = 'scope ' . self::SCOPE;
            return self::$ffi = FFI::scope(self::SCOPE);
        }
        $header = self::readHeader();
        $errors = [];
        foreach (self::libraryCandidates() as $lib) {
            try {
                self::$ffi = FFI::cdef($header, $lib);
                self::$mode = 'cdef';
                self::$source = $lib;
                return self::$ffi;
            } catch (\FFI\Exception $e) {
                $errors[] = $e->getMessage();
            }
        }
        throw new PayAuthException(
            'payauth: cannot load libpayauth with FFI (' . implode('; ', $errors) . '). Set PAYAUTH_LIBRARY, '
            . 'or with ffi.enable=preload (php-fpm) preload bindings/php/preload.php; see README.md'
        );
    }

    /** Status codes are int32_t: anything outside maps to an (unknown) in-range value. */
    private static function clampStatus(int $code): int
    {
        return ($code > 0x7fffffff || $code < -0x80000000) ? -1 : $code;
    }
}
