<?php

declare(strict_types=1);

namespace PayAuth\Tests;

use FFI\CData;
use PayAuth\ArgumentException;
use PayAuth\Client;
use PayAuth\ClosedException;
use PayAuth\Internal\Native;
use PayAuth\Library;
use PayAuth\PayAuthException;
use PayAuth\Result;
use PayAuth\Signer;
use PayAuth\SigningException;
use PayAuth\Tests\Support\Gateway;
use PHPUnit\Framework\TestCase;

/**
 * The one-crossing hot path (`payauth_signer_sign_packed` / `payauth_client_sign_packed`, used by
 * Signer::sign and Client::signRequest without explain) against the object path
 * (`payauth_signer_sign` + `payauth_headers_text`): identical headers and statuses for every
 * signing vector, the PAYAUTH_BUFFER_TOO_SMALL growth path, and misuse.
 */
final class PackedTest extends TestCase
{
    private const NETZME = ['profile' => 'netzme', 'client_id' => 'id', 'client_secret' => 'secret'];
    private const TS = 1_700_000_000_123;

    protected function tearDown(): void
    {
        Native::get()->packedCapacity(Native::PACKED_INITIAL);
    }

    /** @return array<string, array{string}> the vectors whose operation is "sign" */
    public static function signVectors(): array
    {
        $out = [];
        foreach (glob(getenv('PAYAUTH_VECTORS_DIR') . '/*.json') ?: [] as $file) {
            $v = json_decode((string) file_get_contents($file), false, 64, JSON_THROW_ON_ERROR);
            if ($v->operation === 'sign') {
                $out[basename($file, '.json')] = [$file];
            }
        }
        ksort($out);
        return $out;
    }

    private static function handle(object $o): CData
    {
        $h = (new \ReflectionProperty($o, 'handle'))->getValue($o);
        self::assertInstanceOf(CData::class, $h);
        return $h;
    }

    private static function capacity(): int
    {
        return (new \ReflectionProperty(Native::class, 'packedCap'))->getValue(Native::get());
    }

    /**
     * The object path with explain off, as Signer::sign() called it before the packed calls:
     * 15 arguments, then payauth_headers_text + payauth_headers_free.
     */
    private static function objectSign(Signer $s, string $method, string $path, string $body, ?string $token, int $ts, ?string $extra): Result
    {
        $n = Native::get();
        $rc = $n->ffi->payauth_signer_sign(
            self::handle($s), $method, strlen($method), $path, strlen($path), $body, strlen($body),
            $token, $token === null ? 0 : strlen($token), $ts, $extra, $extra === null ? 0 : strlen($extra), 0, $n->outAddr, $n->err,
        );
        if ($rc !== 0) {
            throw $n->failure($rc);
        }
        return $n->takeResult(false);
    }

    /** @param callable(): Result $f @return array{string, ?list<array{string, string}>} */
    private static function outcome(callable $f): array
    {
        try {
            return ['PAYAUTH_OK', $f()->pairs()];
        } catch (PayAuthException $e) {
            return [$e->getStatusName(), null];
        }
    }

    public function testEverySigningVectorIsCovered(): void
    {
        self::assertGreaterThanOrEqual(40, count(self::signVectors()));
    }

    /** @dataProvider signVectors */
    public function testPackedEqualsObjectPathForEverySigningVector(string $file): void
    {
        $v = json_decode((string) file_get_contents($file), false, 64, JSON_THROW_ON_ERROR);
        $json = static fn (mixed $x): string => json_encode($x, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
        $in = $v->input;
        $signer = new Signer(is_string($v->config) ? $v->config : $json($v->config));
        $args = [$in->method, $in->path, $in->body ?? '', $in->token ?? null, $in->timestamp_ms ?? 0, isset($in->extra) ? $json($in->extra) : null];
        $packed = self::outcome(static fn () => $signer->sign(...$args));
        $object = self::outcome(static fn () => self::objectSign($signer, ...$args));
        self::assertSame($v->expect->status, $packed[0], "{$v->id}: packed status");
        self::assertSame($object, $packed, "{$v->id}: packed vs object path");
        if (isset($v->expect->headers)) {
            self::assertSame($v->expect->headers, $packed[1], "{$v->id}: packed headers");
        }
        // The same through a 1-byte first buffer: the growth path gives the same bytes.
        Native::get()->packedCapacity(1);
        self::assertSame($packed, self::outcome(static fn () => $signer->sign(...$args)), "{$v->id}: after growth");
        // explain=true keeps the object path and the same headers.
        if ($packed[0] === 'PAYAUTH_OK') {
            self::assertSame($packed[1], $signer->sign(...[...$args, true])->pairs(), "{$v->id}: explain path");
        }
    }

    public function testBufferTooSmallGrowsAndIsKept(): void
    {
        $s = new Signer(self::NETZME);
        $want = $s->sign('POST', '/api/x', '{"a":1}', 'tok', self::TS)->text();
        self::assertSame(Native::PACKED_INITIAL, self::capacity());
        foreach ([1, 16, strlen($want), strlen($want) + 1] as $cap) {
            Native::get()->packedCapacity($cap);
            self::assertSame($want, $s->sign('POST', '/api/x', '{"a":1}', 'tok', self::TS)->text(), "first buffer $cap");
            self::assertGreaterThan(strlen($want), self::capacity(), 'room for the text and its NUL');
        }
        Native::get()->packedCapacity(8);
        $s->sign('POST', '/api/x', '', 'tok', self::TS);
        $grown = self::capacity();
        $s->sign('POST', '/api/x', '', 'tok', self::TS);
        self::assertSame($grown, self::capacity(), 'the grown buffer is reused');

        // Headers larger than the default 4 KiB (a long token): grown from the default buffer.
        Native::get()->packedCapacity(Native::PACKED_INITIAL);
        $token = str_repeat('t', 6000);
        $r = $s->sign('GET', '/big', '', $token, self::TS);
        self::assertSame('Bearer ' . $token, $r->get('Authorization'));
        self::assertSame(self::objectSign($s, 'GET', '/big', '', $token, self::TS, null)->text(), $r->text());
        self::assertGreaterThan(6000, self::capacity());

        // A failure after a too-small first try is still that failure.
        Native::get()->packedCapacity(1);
        $this->expectException(SigningException::class);
        $s->sign('GET', '/', '', null, self::TS);
    }

    public function testBinaryBodyAndEmptyFields(): void
    {
        $s = new Signer(self::NETZME);
        foreach (["\0", "a\0b\0\0c\0", "\0\0\0\0\0", str_repeat("\xff\0", 600)] as $body) {
            self::assertSame(
                self::objectSign($s, 'POST', '/x', $body, 'tok', self::TS, null)->text(),
                $s->sign('POST', '/x', $body, 'tok', self::TS)->text(),
                'body ' . bin2hex(substr($body, 0, 8)),
            );
        }
        // null token, "" token, null/""/[] extra: the same request on both paths.
        $snap = new Signer(['profile' => 'snap', 'client_id' => 'c', 'client_secret' => 's']);
        $extra = '{"timestamp":"2024-01-01T10:00:00+07:00","external_id":"42"}';
        self::assertSame(
            self::objectSign($snap, 'GET', '/x', '', 't', 0, $extra)->text(),
            $snap->sign('GET', '/x', '', 't', 0, $extra)->text(),
        );
        foreach ([null, '', []] as $e) {
            self::assertSame(
                self::objectSign($s, 'GET', '/x', '', 'tok', self::TS, null)->text(),
                $s->sign('GET', '/x', '', 'tok', self::TS, $e)->text(),
            );
        }
        self::assertSame(
            self::outcome(static fn () => self::objectSign($s, 'GET', '/x', '', null, self::TS, null)),
            self::outcome(static fn () => $s->sign('GET', '/x', '', '', self::TS)),
        );
    }

    public function testMisuseOnThePackedPath(): void
    {
        $s = new Signer(self::NETZME);
        // A NUL inside a separated field cannot be packed: it takes the object path and is
        // reported exactly as that path reports it (never shifted into the next field).
        $cases = [
            ["GE\0T", '/x', 'tok', null],
            ['GET', "/x\0/y", 'tok', null],
            ['GET', '/x', "to\0k", null],
            ['GET', '/x', 'tok', "{\"timestamp\":\"1\0\"}"],
            ['GET', "/x\0tok\0\0", '', null],
        ];
        foreach ($cases as $i => [$method, $path, $token, $extra]) {
            $object = self::outcome(static fn () => self::objectSign($s, $method, $path, '', $token, self::TS, $extra));
            $api = self::outcome(static fn () => $s->sign($method, $path, '', $token, self::TS, $extra));
            self::assertNotSame('PAYAUTH_OK', $api[0], "case $i must fail");
            self::assertSame($object, $api, "case $i");
        }
        // Statuses of the packed call itself become the usual exceptions; the next call works.
        try {
            $s->sign('GET', "/x\xff", '', 'tok');
            self::fail('no exception');
        } catch (ArgumentException $e) {
            self::assertSame('PAYAUTH_INVALID_UTF8', $e->getStatusName());
            self::assertSame(Library::constant('PAYAUTH_INVALID_UTF8'), $e->getCode());
        }
        self::assertSame('Bearer tok', $s->sign('GET', '/x', '', 'tok')->get('Authorization'));
        // The raw call with a NULL handle, an unterminated request or no out_len is a status.
        $n = Native::get();
        $len = $n->ffi->new('size_t');
        $buf = $n->ffi->new('char[64]');
        self::assertSame(Library::constant('PAYAUTH_NULL_ARGUMENT'), $n->ffi->payauth_signer_sign_packed(null, "GET\0/\0\0\0", 7, 0, $buf, 64, \FFI::addr($len), null));
        self::assertSame(Library::constant('PAYAUTH_INVALID_ARGUMENT'), $n->ffi->payauth_signer_sign_packed(self::handle($s), "GET\0/", 5, 0, $buf, 64, \FFI::addr($len), null));
        self::assertSame(Library::constant('PAYAUTH_NULL_ARGUMENT'), $n->ffi->payauth_signer_sign_packed(self::handle($s), "GET\0/\0tok\0\0", 11, 0, $buf, 64, null, null));
        // Closed handles never reach the library.
        $s->close();
        $this->expectException(ClosedException::class);
        $s->sign('GET', '/x', '', 'tok');
    }

    public function testClientPackedPath(): void
    {
        // Paytia: an API key, no token fetch (offline).
        $c = new Client(['profile' => 'paytia', 'api_key' => 'k']);
        $want = $c->signRequest('POST', '/p', "{\"a\":\0}", self::TS, null, true)->pairs();
        self::assertSame($want, $c->signRequest('POST', '/p', "{\"a\":\0}", self::TS)->pairs());
        Native::get()->packedCapacity(1);
        self::assertSame($want, $c->signRequest('POST', '/p', "{\"a\":\0}", self::TS)->pairs());
        $this->assertNulFieldsMatchExplainPath($c);
        $c->close();
        $this->expectException(ClosedException::class);
        $c->signRequest('GET', '/');
    }

    public function testClientPackedPathWithATokenFromTheEmulator(): void
    {
        $c = new Client(Gateway::clientConfig('netzme'));
        $packed = $c->signRequest('POST', '/echo/netzme/pay', '{"a":1}', self::TS);
        $object = $c->signRequest('POST', '/echo/netzme/pay', '{"a":1}', self::TS, null, true);
        self::assertStringStartsWith('Bearer ', (string) $packed->get('Authorization'));
        self::assertSame($object->pairs(), $packed->pairs());
        Native::get()->packedCapacity(1);
        self::assertSame($object->pairs(), $c->signRequest('POST', '/echo/netzme/pay', '{"a":1}', self::TS)->pairs());
    }

    private function assertNulFieldsMatchExplainPath(Client $c): void
    {
        foreach ([["GE\0T", '/p', null], ['GET', "/p\0", null], ['GET', '/p', "{\"timestamp\":\"\0\"}"]] as $i => [$m, $p, $x]) {
            $packed = self::outcome(static fn () => $c->signRequest($m, $p, '', self::TS, $x));
            $object = self::outcome(static fn () => $c->signRequest($m, $p, '', self::TS, $x, true));
            self::assertNotSame('PAYAUTH_OK', $packed[0], "client case $i must fail");
            self::assertSame($object, $packed, "client case $i");
        }
    }
}
