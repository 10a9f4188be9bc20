<?php

declare(strict_types=1);

namespace PayAuth\Tests;

use PayAuth\ArgumentException;
use PayAuth\Client;
use PayAuth\ClosedException;
use PayAuth\ConfigException;
use PayAuth\Crypto;
use PayAuth\Library;
use PayAuth\PayAuthException;
use PayAuth\Signer;
use PayAuth\SigningException;
use PHPUnit\Framework\TestCase;

/**
 * Misuse from PHP gives an exception, never a crash: null and wrong types (strict_types),
 * closed handles, double close, clone/serialize, bad configurations and bad arguments.
 */
final class MisuseTest extends TestCase
{
    private const NETZME = ['profile' => 'netzme', 'client_id' => 'id', 'client_secret' => 'secret'];

    /** @param callable(): mixed $f */
    private static function throws(string $class, callable $f, ?string $status = null): void
    {
        try {
            $f();
        } catch (\Throwable $e) {
            self::assertInstanceOf($class, $e, $e->getMessage());
            if ($status !== null) {
                self::assertInstanceOf(PayAuthException::class, $e);
                self::assertSame($status, $e->getStatusName(), $e->getMessage());
                self::assertSame(Library::constant($status), $e->getCode());
            }
            return;
        }
        self::fail("no $class thrown");
    }

    public function testNullAndWrongTypesAreTypeErrors(): void
    {
        $s = new Signer(self::NETZME);
        $cases = [
            static fn () => new Signer(null),
            static fn () => new Signer(42),
            static fn () => new Client(null),
            static fn () => $s->sign(null, '/'),
            static fn () => $s->sign('GET', null),
            static fn () => $s->sign('GET', '/', null),
            static fn () => $s->sign('GET', '/', '', 'tok', '1700000000000'),
            static fn () => $s->sign('GET', '/', '', 'tok', 1.5),
            static fn () => $s->sign('GET', '/', '', 'tok', 0, 42),
            static fn () => $s->sign('GET', '/', '', 'tok', 0, null, [1]),
            static fn () => $s->sign('GET', '/', '', 'tok', stringToSign: 5),
            static fn () => $s->sign('GET', '/', 123),
            static fn () => $s->verify('GET', '/', '', null, null, 'x'),
            static fn () => $s->tokenHeaders('now'),
            static fn () => Crypto::hmac('sha256', null, 'm'),
            static fn () => Crypto::sha256Hex(['a']),
        ];
        foreach ($cases as $i => $f) {
            try {
                $f();
                self::fail("case $i: no TypeError");
            } catch (\TypeError) {
                self::addToAssertionCount(1);
            }
        }
    }

    public function testClosedHandlesAndDoubleClose(): void
    {
        $s = new Signer(self::NETZME);
        self::assertTrue($s->isOpen());
        $s->close();
        self::assertFalse($s->isOpen());
        foreach ([
            static fn () => $s->sign('GET', '/', '', 'tok'),
            static fn () => $s->tokenHeaders(),
            static fn () => $s->verify('GET', '/', '', 'tok', '1', 'ab'),
            static fn () => $s->profile(),
        ] as $f) {
            self::throws(ClosedException::class, $f, 'PAYAUTH_NULL_ARGUMENT');
        }
        $c = new Client(['profile' => 'paytia', 'api_key' => 'k']);
        $c->close();
        foreach ([
            static fn () => $c->signRequest('GET', '/'),
            static fn () => $c->invalidate('tok'),
            static fn () => $c->stats(),
        ] as $f) {
            self::throws(ClosedException::class, $f, 'PAYAUTH_NULL_ARGUMENT');
        }
        $s->close(); // a second close is a no-op, as in the Python and Java bindings
        $c->close();
        self::assertFalse($s->isOpen() || $c->isOpen());
        unset($s, $c); // destructors after close are no-ops
        // An object made without its constructor is a closed handle, not a crash.
        $raw = (new \ReflectionClass(Signer::class))->newInstanceWithoutConstructor();
        self::throws(ClosedException::class, static fn () => $raw->sign('GET', '/'));
    }

    public function testCloneAndSerializeAreRefused(): void
    {
        $s = new Signer(self::NETZME);
        self::throws(\Error::class, static fn () => clone $s);
        self::throws(\LogicException::class, static fn () => serialize($s));
        self::throws(\LogicException::class, static fn () => unserialize('O:14:"PayAuth\Signer":0:{}'));
        $c = new Client(['profile' => 'paytia', 'api_key' => 'k']);
        self::throws(\Error::class, static fn () => clone $c);
        self::throws(\LogicException::class, static fn () => serialize($c));
        self::assertSame('GET', $s->sign('GET', '/', '', 't')->get('Authorization') === 'Bearer t' ? 'GET' : 'no', 'still usable');
    }

    public function testBadConfigurations(): void
    {
        self::throws(ConfigException::class, static fn () => new Signer('{"profile":'), 'PAYAUTH_CONFIG_JSON');
        self::throws(ConfigException::class, static fn () => new Signer(''), 'PAYAUTH_CONFIG_JSON');
        self::throws(ConfigException::class, static fn () => new Signer([]), 'PAYAUTH_CONFIG_JSON');
        self::throws(ConfigException::class, static fn () => new Signer('[1,2]'), 'PAYAUTH_CONFIG_JSON');
        self::throws(ConfigException::class, static fn () => new Signer(['profile' => 'nope']), 'PAYAUTH_CONFIG_UNKNOWN_PROFILE');
        self::throws(ConfigException::class, static fn () => new Signer(['profile' => 'netzme']), 'PAYAUTH_CONFIG_MISSING_FIELD');
        self::throws(ConfigException::class, static fn () => new Signer(self::NETZME + ['client_id_typo' => 1]), 'PAYAUTH_CONFIG_INVALID_FIELD');
        self::throws(ConfigException::class, static fn () => new Signer(['client_id' => 1] + self::NETZME), 'PAYAUTH_CONFIG_INVALID_FIELD');
        self::throws(ConfigException::class, static fn () => new Signer(['profile' => "net\xffzme"]), 'PAYAUTH_CONFIG_JSON');
        self::throws(ArgumentException::class, static fn () => new Signer("{\"profile\":\"net\xffzme\"}"), 'PAYAUTH_INVALID_UTF8');
        self::throws(ConfigException::class, static fn () => new Signer("{\"profile\":\"netzme\"}\0"));
        self::throws(ConfigException::class, static fn () => new Signer(['profile' => 'netzme', 'client_id' => 'i', 'client_secret_env' => 'PAYAUTH_PHP_SURELY_UNSET']), 'PAYAUTH_CONFIG_SECRET_SOURCE');
        self::throws(ConfigException::class, static fn () => new Client(['profile' => 'netzme', 'client_id' => 'i', 'client_secret' => 's', 'token_url' => 'https://127.0.0.1:1/t', 'timeout_ms' => 'soon']), 'PAYAUTH_CONFIG_INVALID_FIELD');
        $small = (string) file_get_contents(getenv('PAYAUTH_VECTORS_DIR') . '/keys/rsa1024-pkcs1.pem');
        self::throws(SigningException::class, static fn () => new Signer(['profile' => 'paynet-jws', 'client_id' => 'c', 'private_key' => $small]), 'PAYAUTH_KEY_TOO_SMALL');
        self::throws(SigningException::class, static fn () => new Signer(['profile' => 'paynet-jws', 'client_id' => 'c', 'private_key' => 'not a key']), 'PAYAUTH_KEY_INVALID');
    }

    public function testBadArguments(): void
    {
        $s = new Signer(self::NETZME);
        self::throws(ArgumentException::class, static fn () => $s->sign('GET', "/x\xff", '', 'tok'), 'PAYAUTH_INVALID_UTF8');
        self::throws(ArgumentException::class, static fn () => $s->sign("GE\0T", '/', '', 'tok'));
        self::throws(ArgumentException::class, static fn () => $s->sign('GET', "/x\r\nInjected: 1", '', 'tok'));
        self::throws(ArgumentException::class, static fn () => $s->sign('GET', '/', '', "to\nk"));
        self::throws(ArgumentException::class, static fn () => $s->sign('GET', '/', '', 'tok', -1), 'PAYAUTH_INVALID_ARGUMENT');
        self::throws(ArgumentException::class, static fn () => $s->sign('GET', '/', '', 'tok', PHP_INT_MAX), 'PAYAUTH_INVALID_ARGUMENT');
        self::throws(ArgumentException::class, static fn () => $s->sign('GET', '/', '', 'tok', externalId: 'abc'), 'PAYAUTH_INVALID_ARGUMENT');
        self::throws(ArgumentException::class, static fn () => $s->sign('GET', '/', '', 'tok', timestamp: "a\nb"), 'PAYAUTH_INVALID_ARGUMENT');
        self::throws(ArgumentException::class, static fn () => $s->sign('GET', '/', '', 'tok', timestamp: "\xff"), 'PAYAUTH_INVALID_UTF8');
        self::throws(ArgumentException::class, static fn () => $s->sign('GET', "/x\0y", '', 'tok'), 'PAYAUTH_INVALID_ARGUMENT');
        self::throws(ArgumentException::class, static fn () => $s->sign('GET', '/', '', 'tok', messageId: "m\0"), 'PAYAUTH_INVALID_ARGUMENT');
        self::throws(SigningException::class, static fn () => $s->sign('GET', '/', '', null), 'PAYAUTH_MISSING_TOKEN');
        $jws = new Signer(['profile' => 'paynet-jws', 'client_id' => 'c', 'private_key_file' => getenv('PAYAUTH_VECTORS_DIR') . '/keys/rsa2048-pkcs1.pem']);
        self::throws(SigningException::class, static fn () => $jws->sign('POST', '/', '{}'), 'PAYAUTH_MISSING_REQUEST_FIELD');
        $c = new Client(['profile' => 'paytia', 'api_key' => 'k']);
        self::throws(ArgumentException::class, static fn () => $c->invalidate(''), 'PAYAUTH_INVALID_ARGUMENT');
        self::assertFalse($c->invalidate('never-issued'));
        self::throws(ArgumentException::class, static fn () => Crypto::hmac('md5', 'k', 'm'), 'PAYAUTH_INVALID_ARGUMENT');
        self::throws(ArgumentException::class, static fn () => Crypto::hmac('sha256', 'k', 'm', 'HEX;'), 'PAYAUTH_INVALID_ARGUMENT');
        self::throws(SigningException::class, static fn () => Crypto::jsonMinify('{"a":'), 'PAYAUTH_JSON_INVALID');
        self::throws(SigningException::class, static fn () => Crypto::rsaSign('sha256', 'junk', 'm'), 'PAYAUTH_KEY_INVALID');
        self::throws(ArgumentException::class, static fn () => Library::constant('PAYAUTH_NO_SUCH_THING'), 'PAYAUTH_NOT_FOUND');
        self::throws(ArgumentException::class, static fn () => Library::constant("PAYAUTH_OK\0"), 'PAYAUTH_NOT_FOUND');
        self::assertSame('PAYAUTH_UNKNOWN', Library::statusName(PHP_INT_MAX));
        self::assertSame('PAYAUTH_UNKNOWN', Library::statusName(-5));
        self::assertNotSame('', Library::statusDescription(123456));
    }
}
