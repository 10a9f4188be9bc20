<?php

declare(strict_types=1);

namespace PayAuth\Tests;

use PayAuth\Crypto;
use PayAuth\PayAuthException;
use PayAuth\Signer;
use PHPUnit\Framework\TestCase;

/**
 * Every native object (signers, headers, error objects, buffers) is freed: the process's
 * resident size does not grow over 20 000 rounds of create/sign/fail/close, where one leaked
 * headers object per round would add megabytes.
 */
final class LeakTest extends TestCase
{
    private static function rssBytes(): int
    {
        $statm = explode(' ', (string) file_get_contents('/proc/self/statm'));
        return (int) $statm[1] * 4096;
    }

    private static function round(string $body): void
    {
        $s = new Signer(['profile' => 'netzme', 'client_id' => 'c', 'client_secret' => 's']);
        $s->sign('POST', '/x', $body, 'tok', 0, timestamp: '1', explain: true)->headers();
        $s->sign('POST', '/x', '{ "a": "' . $body . '" }', 'tok')->body();
        try {
            $s->sign('POST', '/x', $body, null);
        } catch (PayAuthException) {
        }
        try {
            new Signer(['profile' => 'netzme']);
        } catch (PayAuthException) {
        }
        Crypto::hmac('sha512', 'k', $body, 'base64');
        $s->close();
        $t = new Signer(['profile' => 'paytia', 'api_key' => 'k']);
        $t->sign('GET', '/'); // freed by the destructor
    }

    public function testNativeObjectsAreFreed(): void
    {
        if (!is_readable('/proc/self/statm')) {
            self::markTestSkipped('no /proc/self/statm');
        }
        $body = str_repeat('b', 2048);
        for ($i = 0; $i < 2000; $i++) {
            self::round($body);
        }
        gc_collect_cycles();
        $before = self::rssBytes();
        for ($i = 0; $i < 20000; $i++) {
            self::round($body);
        }
        gc_collect_cycles();
        $grown = self::rssBytes() - $before;
        self::assertLessThan(4 << 20, $grown, "resident size grew by $grown bytes over 20000 rounds");
    }

    public function testBinaryBodiesPassWhole(): void
    {
        $s = new Signer(['profile' => 'netzme', 'client_id' => 'c', 'client_secret' => 's']);
        foreach (["a\0b", "\xff\xfe\0", "\0"] as $body) {
            $r = $s->sign('POST', '/x', $body, 'tok', 1_700_000_000_000);
            $payload = "path=/x&method=POST&token=Bearer tok&timestamp=1700000000000&body=$body";
            self::assertSame(hash_hmac('sha256', $payload, 's-1700000000000-Bearer tok'), $r->get('Signature'));
        }
        $snap = new Signer(['profile' => 'snap', 'client_id' => 'c', 'client_secret' => 's']);
        $r = $snap->sign('POST', '/x', "\0\xff", 't', 0, externalId: '1', explain: true);
        self::assertSame(hash('sha256', "\0\xff"), $r->explain()['body_sha256']);
    }
}
