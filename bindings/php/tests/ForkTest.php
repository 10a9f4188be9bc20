<?php

declare(strict_types=1);

namespace PayAuth\Tests;

use PayAuth\Tests\Support\Gateway;
use PayAuth\Tests\Support\TempDir;
use PHPUnit\Framework\TestCase;

/**
 * A client created and used before pcntl_fork() works in 8 children (scripts/fork_children.php,
 * run in its own PHP process), and in the parent afterwards.
 */
final class ForkTest extends TestCase
{
    private const CHILDREN = 8;

    public function testClientUsedBeforeForkWorksInChildren(): void
    {
        if (!function_exists('pcntl_fork')) {
            self::markTestSkipped('the pcntl extension is missing (Debian builds it into php-cli)');
        }
        $config = TempDir::make('fork') . '/client.json';
        file_put_contents($config, json_encode(Gateway::clientConfig('paynet'), JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES));
        $before = Gateway::stats()['profiles']['paynet'];
        $cmd = array_merge([PHP_BINARY], self::iniArgs(), [__DIR__ . '/scripts/fork_children.php', $config, (string) self::CHILDREN]);
        $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        self::assertIsResource($proc);
        $out = (string) stream_get_contents($pipes[1]);
        $err = (string) stream_get_contents($pipes[2]);
        $rc = proc_close($proc);
        self::assertSame(0, $rc, "fork script failed: $out $err");
        $r = json_decode($out, true, 8, JSON_THROW_ON_ERROR);
        self::assertSame(0, $r['hung'], 'a child hung');
        self::assertSame(array_fill(0, self::CHILDREN, 0), $r['codes'], "child exit codes; stderr: $err");
        self::assertSame(200, $r['parent'], 'the parent is unaffected');
        $after = Gateway::stats()['profiles']['paynet'];
        // Parent's first token, then each child's refresh (fewer if children share a host cache).
        $tokens = $after['token_requests'] - $before['token_requests'];
        self::assertGreaterThanOrEqual(2, $tokens);
        self::assertLessThanOrEqual(1 + self::CHILDREN, $tokens);
        self::assertSame(2 * self::CHILDREN + 1, $after['echo_ok'] - $before['echo_ok']);
        self::assertSame(0, $after['echo_rejected'] - $before['echo_rejected']);
    }

    /**
     * The -d settings of this process that matter to the library loading (preload mode).
     *
     * @return list<string>
     */
    public static function iniArgs(): array
    {
        $args = [];
        foreach (['ffi.enable', 'ffi.preload', 'opcache.enable_cli', 'opcache.preload', 'opcache.preload_user'] as $name) {
            $v = ini_get($name);
            if ($v !== false && $v !== '') {
                $args[] = "-d$name=$v";
            }
        }
        return $args;
    }
}
