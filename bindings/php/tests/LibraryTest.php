<?php

declare(strict_types=1);

namespace PayAuth\Tests;

use PayAuth\Library;
use PayAuth\Tests\Support\Php;
use PayAuth\Tests\Support\TempDir;
use PHPUnit\Framework\TestCase;

/**
 * Loading: the mode in force, the shipped header copy, constants through their function twins,
 * and the library/header lookup order (each in a fresh PHP process, since loading is once per
 * process).
 */
final class LibraryTest extends TestCase
{
    private static function includeDir(): string
    {
        return (string) getenv('PAYAUTH_INCLUDE_DIR');
    }

    public function testModeAndVersion(): void
    {
        $expect = getenv('PAYAUTH_EXPECT_MODE');
        self::assertSame(is_string($expect) && $expect !== '' ? $expect : 'cdef', Library::mode());
        self::assertMatchesRegularExpression('/^\d+\.\d+\.\d+/', Library::version());
        [$maj, $min, $pat] = array_map('intval', explode('.', Library::version()));
        self::assertSame($maj * 10000 + $min * 100 + $pat, Library::constant('PAYAUTH_VERSION'));
        self::assertSame(Library::constant('PAYAUTH_VERSION'), Library::ffi()->payauth_version());
    }

    public function testShippedHeaderEqualsTheGeneratedOne(): void
    {
        $shipped = dirname(__DIR__) . '/include/payauth_ffi.h';
        self::assertFileEquals(self::includeDir() . '/payauth_ffi.h', $shipped, 'bindings/php/include/payauth_ffi.h is stale: copy include/payauth_ffi.h');
    }

    public function testEveryMacroHasItsFunctionTwin(): void
    {
        $header = (string) file_get_contents(self::includeDir() . '/payauth.h');
        preg_match_all('/^#define (PAYAUTH_[A-Z0-9_]+) (-?\d+)$/m', $header, $m, PREG_SET_ORDER);
        self::assertGreaterThan(30, count($m));
        foreach ($m as [, $name, $value]) {
            self::assertSame((int) $value, Library::constant($name), $name);
            if (!preg_match('/^PAYAUTH_(HASH|ENCODING|FLAG|VERSION|GROUP)_/', $name)) {
                self::assertSame($name, Library::statusName((int) $value), "status name of $value");
                self::assertNotSame('', Library::statusDescription((int) $value));
            }
        }
    }

    public function testExplicitLibraryPathIsUsedAndAMissingOneIsAClearError(): void
    {
        [$rc, $out] = Php::snippet('echo PayAuth\Library::source();');
        self::assertSame(0, $rc);
        self::assertSame(getenv('PAYAUTH_LIBRARY'), $out);
        [$rc, $out, $err] = Php::snippet('try { PayAuth\Library::version(); } catch (PayAuth\PayAuthException $e) { echo $e->getMessage(); exit(3); }', ['PAYAUTH_LIBRARY' => '/nonexistent/libpayauth.so']);
        self::assertSame(3, $rc, $err);
        self::assertStringContainsString('/nonexistent/libpayauth.so', $out);
        self::assertStringContainsString('PAYAUTH_LIBRARY', $out);
    }

    public function testShippedLibraryThenSystemPath(): void
    {
        $lib = (string) getenv('PAYAUTH_LIBRARY');
        $pkg = self::copyPackage();
        $code = 'echo PayAuth\Library::source(), " ", PayAuth\Library::version();';
        $noEnv = ['PAYAUTH_LIBRARY' => false, 'PAYAUTH_HEADER' => false];
        // Without lib/ and without the soname on the loader path: a clear error.
        [$rc, $out, $err] = Php::snippet('try {' . $code . '} catch (PayAuth\PayAuthException $e) { echo $e->getMessage(); exit(3); }', $noEnv + ['LD_LIBRARY_PATH' => '/nonexistent'], package: $pkg);
        self::assertSame(3, $rc, $out . $err);
        self::assertStringContainsString('libpayauth.so', $out);
        // The system path: the soname found through the dynamic loader.
        $sys = TempDir::make('ldpath');
        symlink($lib, "$sys/libpayauth.so.0");
        [$rc, $out, $err] = Php::snippet($code, $noEnv + ['LD_LIBRARY_PATH' => $sys], package: $pkg);
        self::assertSame(0, $rc, $err);
        self::assertSame('libpayauth.so.0 ' . Library::version(), $out);
        // A copy shipped in the package wins over the system path.
        mkdir("$pkg/lib");
        symlink($lib, "$pkg/lib/libpayauth.so");
        [$rc, $out, $err] = Php::snippet($code, $noEnv + ['LD_LIBRARY_PATH' => $sys], package: $pkg);
        self::assertSame(0, $rc, $err);
        self::assertSame("$pkg/lib/libpayauth.so " . Library::version(), $out);
    }

    public function testHeaderLookup(): void
    {
        $bad = TempDir::make('hdr') . '/bad.h';
        file_put_contents($bad, "int payauth_version(void;\n");
        foreach (['/nonexistent/payauth_ffi.h', $bad] as $header) {
            [$rc, $out, $err] = Php::snippet('try { PayAuth\Library::version(); } catch (PayAuth\PayAuthException $e) { echo $e->getMessage(); exit(3); }', ['PAYAUTH_HEADER' => $header]);
            self::assertSame(3, $rc, $out . $err);
        }
        [$rc, $out] = Php::snippet('echo PayAuth\Library::headerPath();', ['PAYAUTH_HEADER' => self::includeDir() . '/payauth_ffi.h']);
        self::assertSame([0, self::includeDir() . '/payauth_ffi.h'], [$rc, $out]);
        [$rc, $out] = Php::snippet('echo PayAuth\Library::headerPath();', ['PAYAUTH_HEADER' => false]);
        self::assertSame([0, dirname(__DIR__) . '/include/payauth_ffi.h'], [$rc, $out]);
    }

    /** A copy of the package (autoload.php, src/, include/) without lib/, in a temporary dir. */
    private static function copyPackage(): string
    {
        $dst = TempDir::make('pkg');
        $src = dirname(__DIR__);
        copy("$src/autoload.php", "$dst/autoload.php");
        foreach (['src', 'src/Internal', 'include'] as $dir) {
            @mkdir("$dst/$dir");
            foreach (glob("$src/$dir/*.*") ?: [] as $file) {
                copy($file, "$dst/$dir/" . basename($file));
            }
        }
        return $dst;
    }
}
