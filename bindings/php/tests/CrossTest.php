<?php

declare(strict_types=1);

namespace PayAuth\Tests;

use PayAuth\Signer;
use PayAuth\Tests\Support\Php;
use PayAuth\Tests\Support\TempDir;
use PHPUnit\Framework\TestCase;

/** The cross-language entry (bindings/php/cross): output format and error handling. */
final class CrossTest extends TestCase
{
    private static function cross(string $json): array
    {
        $file = TempDir::make('cross') . '/cases.json';
        file_put_contents($file, $json);
        return Php::run([dirname(__DIR__) . '/cross', $file]);
    }

    public function testPrintsEveryCaseInOrder(): void
    {
        $netzme = ['profile' => 'netzme', 'client_id' => 'TokoNetmeClientId', 'client_secret' => 's'];
        $snap = ['profile' => 'snap', 'client_id' => 'c', 'client_secret' => 's'];
        $cases = ['cases' => [
            ['config' => $netzme, 'method' => 'POST', 'path' => '/x?a=1', 'body' => "{\"a\":\"\u{e9}\"}", 'time_ms' => 1_700_000_000_000, 'extra' => null, 'token' => 'tok'],
            ['config' => ['profile' => 'paynet-reports', 'client_id' => 'c', 'client_secret' => 's'], 'method' => 'GET', 'path' => '/r', 'body' => '', 'time_ms' => 1_700_000_000_000, 'extra' => new \stdClass()],
            ['config' => $snap, 'method' => 'GET', 'path' => '/s', 'body' => '', 'time_ms' => 1_700_000_000_000, 'token' => 't', 'extra' => ['external_id' => '1']],
        ]];
        [$rc, $out, $err] = self::cross(json_encode($cases, JSON_UNESCAPED_UNICODE));
        self::assertSame(0, $rc, $err);
        $want = '';
        foreach ($cases['cases'] as $c) {
            $r = (new Signer($c['config']))->sign($c['method'], $c['path'], $c['body'], $c['token'] ?? null, $c['time_ms'], $c['extra'] instanceof \stdClass ? null : $c['extra']);
            $want .= str_replace("\r\n", "\n", $r->text()) . "\n";
        }
        self::assertSame($want, $out);
        self::assertSame('', $err);
    }

    public function testErrorsGoToStderrWithExitStatusOne(): void
    {
        foreach ([
            '{"cases":[{"config":{"profile":"nope"},"method":"GET","path":"/","body":"","time_ms":1,"extra":null}]}',
            '{"cases":[{"config":{"profile":"paytia","api_key":"k"},"method":"GET","path":"/","body":"","time_ms":-1,"extra":null}]}',
            '{"cases":[{"config":{"profile":"paytia","api_key":"k"},"path":"/"}]}',
            '{"cases":',
            '[]',
        ] as $json) {
            [$rc, $out, $err] = self::cross($json);
            self::assertSame(1, $rc, $json);
            self::assertSame('', $out, $json);
            self::assertStringStartsWith('cross (php): ', $err);
        }
    }
}
