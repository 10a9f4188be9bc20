<?php

declare(strict_types=1);

namespace PayAuth\Tests;

use PayAuth\Library;
use PayAuth\PayAuthException;
use PayAuth\Tests\Support\Php;
use PayAuth\Tests\Support\TempDir;
use PHPUnit\Framework\TestCase;

/**
 * The opcache preload mode, each way PHP allows it, in fresh PHP processes: `ffi.preload` with
 * the generated header (what a root php-fpm master needs), FFI::load() from preload.php (when
 * preloading runs in-process, i.e. not as root), and the clear failure in between.
 * test.sh also runs the whole suite in preload mode.
 */
final class PreloadTest extends TestCase
{
    private const SMOKE = 'echo PayAuth\Library::mode(), " ", (new PayAuth\Signer(["profile" => "paytia", "api_key" => "k"]))->sign("GET", "/")->get("X-API-KEY");';

    private static function package(): string
    {
        return dirname(__DIR__);
    }

    public function testFfiPreloadHeaderWithOpcachePreload(): void
    {
        $header = TempDir::make('preload') . '/payauth_preload.h';
        [$rc, , $err] = Php::run([PHP_BINARY, self::package() . '/bin/payauth-preload-header', $header]);
        self::assertSame(0, $rc, $err);
        $text = (string) file_get_contents($header);
        self::assertStringStartsWith("#define FFI_SCOPE \"PAYAUTH\"\n#define FFI_LIB \"" . getenv('PAYAUTH_LIBRARY') . "\"\n", $text);
        $ini = [
            '-dffi.enable=preload',
            "-dffi.preload=$header",
            '-dopcache.enable_cli=1',
            '-dopcache.preload=' . self::package() . '/preload.php',
            '-dopcache.preload_user=' . self::user(),
        ];
        [$rc, $out, $err] = Php::snippet(self::SMOKE, [], $ini);
        self::assertSame([0, 'preload k'], [$rc, $out], $err);
        // ffi.preload alone (no opcache) also gives the scope.
        [$rc, $out, $err] = Php::snippet(self::SMOKE, [], ['-dffi.enable=preload', "-dffi.preload=$header"]);
        self::assertSame([0, 'preload k'], [$rc, $out], $err);
    }

    public function testFfiLoadFromPreloadScriptWhenPreloadingInProcess(): void
    {
        $tmp = TempDir::make('preload-tmp');
        $ini = ['-dffi.enable=preload', '-dopcache.enable_cli=1', '-dopcache.preload=' . self::package() . '/preload.php'];
        $cmd = array_merge([PHP_BINARY], $ini, ['-r', 'require ' . var_export(self::package() . '/autoload.php', true) . ';' . self::SMOKE]);
        if (posix_geteuid() === 0) {
            // Root preloads in a child where PHP refuses FFI::load(): run as "nobody".
            if (!is_executable('/usr/bin/setpriv')) {
                self::markTestSkipped('running as root without setpriv to drop privileges');
            }
            chmod($tmp, 01777);
            $cmd = array_merge(['/usr/bin/setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'], $cmd);
        }
        [$rc, $out, $err] = Php::run($cmd, ['TMPDIR' => $tmp]);
        self::assertSame([0, 'preload k'], [$rc, $out], $err);
        self::assertSame(['.', '..'], scandir($tmp), 'the temporary header is removed');
    }

    public function testRootPreloadWithoutFfiPreloadExplainsWhatToDo(): void
    {
        if (posix_geteuid() !== 0) {
            self::markTestSkipped('only root preloads in a child process');
        }
        $ini = ['-dffi.enable=preload', '-dopcache.enable_cli=1', '-dopcache.preload=' . self::package() . '/preload.php', '-dopcache.preload_user=root'];
        [$rc, $out, $err] = Php::snippet('echo "ran";', [], $ini);
        self::assertNotSame(0, $rc);
        self::assertStringContainsString('ffi.preload', $out . $err);
        self::assertStringNotContainsString('Segmentation', $out . $err);
    }

    public function testPreloadHeaderRefusesUnsafeLibraryPaths(): void
    {
        $this->expectException(PayAuthException::class);
        Library::preloadHeader("/tmp/x\"\n#define EVIL", '');
    }

    private static function user(): string
    {
        $pw = posix_getpwuid(posix_geteuid());
        return is_array($pw) ? $pw['name'] : 'root';
    }
}
