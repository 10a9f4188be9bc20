<?php

declare(strict_types=1);

namespace PayAuth\Tests\Support;

/** Fresh private temporary directories (under TMPDIR), removed when the process ends. */
final class TempDir
{
    /** @var list<string> */
    private static array $made = [];

    /** A new empty directory, mode 0700. */
    public static function make(string $tag): string
    {
        $base = rtrim(sys_get_temp_dir(), '/');
        for ($i = 0; $i < 100; $i++) {
            $dir = sprintf('%s/payauth-php-%s-%d-%s', $base, $tag, getmypid(), bin2hex(random_bytes(6)));
            if (@mkdir($dir, 0700)) {
                if (self::$made === []) {
                    $owner = getmypid();
                    register_shutdown_function(static function () use ($owner): void {
                        if (getmypid() === $owner) { // not in forked children
                            array_map([self::class, 'remove'], self::$made);
                        }
                    });
                }
                return self::$made[] = $dir;
            }
        }
        throw new \RuntimeException("cannot create a temporary directory in $base");
    }

    private static function remove(string $path): void
    {
        if (is_dir($path) && !is_link($path)) {
            foreach (scandir($path) ?: [] as $entry) {
                if ($entry !== '.' && $entry !== '..') {
                    self::remove("$path/$entry");
                }
            }
            @rmdir($path);
        } else {
            @unlink($path);
        }
    }
}
