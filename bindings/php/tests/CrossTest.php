<?php

declare(strict_types=1);

namespace PayAuth\Tests;

use PayAuth\Tests\Support\Php;
use PayAuth\Tests\Support\TempDir;
use PHPUnit\Framework\TestCase;

/**
 * The cross-language entry (bindings/php/cross, contract in tests/c/cross.c): every signing,
 * token-header and verification vector prints its headers, body to send and status; an
 * unreadable file exits 1 with a message.
 */
final class CrossTest extends TestCase
{
    private const OPS = ['sign', 'token_headers', 'verify', 'verify_rsa', 'verify_snap_rsa', 'verify_jws'];

    /** @return array{0: int, 1: string, 2: string} */
    private static function cross(string $json): array
    {
        $file = TempDir::make('cross') . '/cases.json';
        file_put_contents($file, $json);
        return Php::run([dirname(__DIR__) . '/cross', $file]);
    }

    public function testEveryVectorsOutcome(): void
    {
        $cases = [];
        $want = '';
        foreach (glob(getenv('PAYAUTH_VECTORS_DIR') . '/*.json') ?: [] as $file) {
            $v = json_decode((string) file_get_contents($file), true, 64, JSON_THROW_ON_ERROR);
            if (!in_array($v['operation'], self::OPS, true) || !is_array($v['config'])) {
                continue;
            }
            $case = ['op' => $v['operation'], 'config' => $v['config']] + $v['input'];
            $case['time_ms'] = $case['timestamp_ms'] ?? 0;
            unset($case['timestamp_ms']);
            $cases[] = $case;
            $e = $v['expect'];
            foreach ($e['status'] === 'PAYAUTH_OK' ? ($e['headers'] ?? []) : [] as [$n, $val]) {
                $want .= "$n: $val\n";
            }
            $want .= (isset($e['body']) ? "= body: {$e['body']}\n" : '') . "= status: {$e['status']}\n\n";
        }
        self::assertGreaterThanOrEqual(80, count($cases));
        [$rc, $out, $err] = self::cross(json_encode(['cases' => $cases], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR));
        self::assertSame(0, $rc, $err);
        self::assertSame($want, $out);
    }

    public function testRefusalsArePrintedAndUnreadableFilesFail(): void
    {
        [$rc, $out] = self::cross('{"cases":[{"op":"sign","config":{"profile":"nope"},"method":"GET","path":"/","time_ms":0}]}');
        self::assertSame([0, "= status: PAYAUTH_CONFIG_UNKNOWN_PROFILE\n\n"], [$rc, $out]);
        foreach (['{"cases":', '[]'] as $json) {
            [$rc, $out, $err] = self::cross($json);
            self::assertSame(1, $rc, $json);
            self::assertSame('', $out, $json);
            self::assertStringStartsWith('cross (php): ', $err);
        }
    }
}
