<?php

declare(strict_types=1);

namespace PayAuth\Tests\Support;

/** Runs PHP (or another command) in a child process with a chosen environment. */
final class Php
{
    /**
     * Runs $cmd; returns [exit code, stdout, stderr].
     *
     * @param list<string> $cmd
     * @param array<string, string|false> $env changes to this process's environment (false = unset)
     * @return array{0: int, 1: string, 2: string}
     */
    public static function run(array $cmd, array $env = []): array
    {
        $vars = getenv();
        foreach ($env as $k => $v) {
            if ($v === false) {
                unset($vars[$k]);
            } else {
                $vars[$k] = $v;
            }
        }
        $proc = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $vars);
        if (!is_resource($proc)) {
            throw new \RuntimeException('cannot start ' . implode(' ', $cmd));
        }
        $out = (string) stream_get_contents($pipes[1]);
        $err = (string) stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        return [proc_close($proc), $out, $err];
    }

    /**
     * Runs a PHP snippet (after the package autoloader of $package) with FFI enabled.
     *
     * @param array<string, string|false> $env
     * @param list<string> $ini extra -d settings
     * @return array{0: int, 1: string, 2: string}
     */
    public static function snippet(string $code, array $env = [], array $ini = ['-dffi.enable=true'], ?string $package = null): array
    {
        $package ??= dirname(__DIR__, 2);
        $prelude = 'require ' . var_export($package . '/autoload.php', true) . ';';
        return self::run(array_merge([PHP_BINARY], $ini, ['-r', $prelude . $code]), $env);
    }
}
