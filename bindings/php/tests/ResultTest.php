<?php

declare(strict_types=1);

namespace PayAuth\Tests;

use PayAuth\ArgumentException;
use PayAuth\Client;
use PayAuth\ConfigException;
use PayAuth\Crypto;
use PayAuth\GatewayException;
use PayAuth\Library;
use PayAuth\PayAuthException;
use PayAuth\Result;
use PayAuth\Signer;
use PayAuth\SigningException;
use PayAuth\Tests\Support\Gateway;
use PHPUnit\Framework\TestCase;

/**
 * The one signing path (`payauth_*_sign_packed`): the result format decoded in one pass, the
 * client's results (bodies to send included, results larger than the buffer too) accepted by
 * the emulator for every profile, and errors mapped by the core's status groups.
 */
final class ResultTest extends TestCase
{
    public function testTheFormatDecodes(): void
    {
        $r = new Result("A\0x\0B\0\0C\0z\x01B" . pack('V', 3) . 'abcE' . pack('V', 1) . pack('V', 1) . 'k' . pack('V', 2) . 'vv');
        self::assertSame(['A' => 'x', 'B' => '', 'C' => 'z'], $r->headers());
        self::assertSame([['A', 'x'], ['B', ''], ['C', 'z']], $r->pairs());
        self::assertSame('abc', $r->body());
        self::assertSame(['k' => 'vv'], $r->explain());
        self::assertCount(3, $r);
        self::assertSame([], (new Result(''))->pairs());
    }

    /** @return array<string, array{string}> */
    public static function profiles(): array
    {
        return array_combine(Gateway::profiles(), array_map(static fn (string $p): array => [$p], Gateway::profiles()));
    }

    /** @dataProvider profiles */
    public function testTheClientsResultsAndBodiesAreAccepted(string $profile): void
    {
        $client = new Client(Gateway::clientConfig($profile));
        self::assertSame($profile, $client->profile());
        $path = "/echo/$profile/v1/pay";
        $pretty = "{\n  \"amount\": {\"value\": \"10.00\", \"currency\": \"MYR\"},\n  \"note\": \"a  b\"\n}\n";
        foreach ([$pretty, '{ "note": "' . str_repeat('y', 9000) . '" }'] as $body) {
            $r = $client->signRequest('POST', $path, $body, ...Gateway::perRequest($profile));
            self::assertSame(200, Gateway::send('POST', $path, $r->lines(), $r->body() ?? $body)[0], $profile);
        }
        $client->close();
    }

    public function testErrorsMapByStatusGroup(): void
    {
        $ffi = Library::ffi();
        foreach ([1 => 'ARGUMENT', 2 => 'CONFIG', 3 => 'SIGNING', 4 => 'TOKEN'] as $group => $name) {
            self::assertSame($group, $ffi->payauth_status_group($group * 100));
            self::assertSame($group, Library::constant("PAYAUTH_GROUP_$name"));
        }
        self::assertSame(-1, $ffi->payauth_status_group(777));
        $classes = [100 => ArgumentException::class, 203 => ConfigException::class, 305 => SigningException::class, 409 => GatewayException::class, 900 => PayAuthException::class];
        foreach ($classes as $code => $class) {
            self::assertSame($class, get_class(PayAuthException::fromStatus($code, 'x')));
        }
        $s = new Signer(['profile' => 'snap', 'client_id' => 'c', 'client_secret' => 's']);
        try {
            $s->sign('POST', 'https://h/x', '{}', 't');
            self::fail('an absolute URL was signed');
        } catch (ArgumentException $e) {
            self::assertSame('PAYAUTH_INVALID_ARGUMENT', $e->getStatusName());
        }
        self::assertSame(Crypto::jsonMinify('{ "a" : 1 }'), $s->sign('POST', '/x', '{ "a" : 1 }', 't')->body());
    }
}
