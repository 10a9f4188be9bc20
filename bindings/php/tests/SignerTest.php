<?php

declare(strict_types=1);

namespace PayAuth\Tests;

use PayAuth\ConfigException;
use PayAuth\Crypto;
use PayAuth\Result;
use PayAuth\Signer;
use PayAuth\SigningException;
use PHPUnit\Framework\TestCase;

/** The Signer, Result and Crypto API beyond the vectors, with pure-PHP cross-checks. */
final class SignerTest extends TestCase
{
    private const SECRET = 'NetzmeSuperSecret-7f3a';
    private const NETZME = ['profile' => 'netzme', 'client_id' => 'TokoNetmeClientId', 'client_secret' => self::SECRET];

    private static function key(): string
    {
        return (string) file_get_contents(getenv('PAYAUTH_VECTORS_DIR') . '/keys/rsa2048-pkcs1.pem');
    }

    public function testResultAccessors(): void
    {
        $r = (new Signer(self::NETZME))->sign('post', '/api/x?y=1', '{"a":1}', 'tok', 1_700_000_000_123);
        self::assertSame(['Authorization', 'Request-Time', 'Signature', 'Client-Id', 'Content-Type'], array_keys($r->headers()));
        self::assertSame('Bearer tok', $r->get('authorization'));
        self::assertSame('1700000000123', $r->get('REQUEST-TIME'));
        self::assertNull($r->get('X-Missing'));
        self::assertCount(5, $r);
        self::assertSame($r->headers(), iterator_to_array($r));
        self::assertSame('Authorization: Bearer tok', $r->lines()[0]);
        self::assertSame(implode("\r\n", $r->lines()) . "\r\n", $r->text());
        self::assertSame([], $r->explain(), 'no artifacts unless asked');
        self::assertSame([], (new Result(''))->pairs());
    }

    public function testNetzmeSignatureEqualsPurePhp(): void
    {
        $ts = 1_700_000_000_123;
        $body = '{"amount":"10.00","note":"caf\u00e9"}';
        $r = (new Signer(self::NETZME))->sign('POST', '/api/pay?id=1', $body, 'tok', $ts, explain: true);
        $payload = "path=/api/pay?id=1&method=POST&token=Bearer tok&timestamp=$ts&body=$body";
        self::assertSame(hash_hmac('sha256', $payload, self::SECRET . "-$ts-Bearer tok"), $r->get('Signature'));
        self::assertSame($payload, $r->explain()['string_to_sign']);
        foreach ($r->explain() as $name => $value) {
            self::assertStringNotContainsString(self::SECRET, $value, "explain $name shows the secret");
        }
    }

    public function testTypedPerRequestInputs(): void
    {
        $s = new Signer(['profile' => 'snap', 'client_id' => 'c', 'client_secret' => 's']);
        $a = $s->sign('GET', '/x', '', 't', 0, timestamp: '2024-01-01T10:00:00+07:00', externalId: '42');
        self::assertSame('42', $a->get('X-EXTERNAL-ID'));
        self::assertSame('2024-01-01T10:00:00+07:00', $a->get('X-TIMESTAMP'));
        $dobw = new Signer(['profile' => 'paynet', 'client_id' => 'c', 'client_secret' => 's', 'private_key' => self::key()]);
        $whole = $dobw->sign('POST', '/p', '{}', 't', 1, stringToSign: 'AB12');
        self::assertSame($whole->pairs(), $dobw->sign('POST', '/p', '{}', 't', 1, stringToSign: ['AB', '12'])->pairs());
    }

    public function testAPrettyBodyComesBackMinifiedToSend(): void
    {
        $s = new Signer(['profile' => 'snap', 'client_id' => 'c', 'client_secret' => 's']);
        $pretty = "{\n  \"amount\": {\"value\": \"10.00\"},\n  \"note\": \"a  b\"\n}\n";
        $r = $s->sign('POST', '/v', $pretty, 'tok', 1, explain: true);
        self::assertSame('{"amount":{"value":"10.00"},"note":"a  b"}', $r->body());
        self::assertSame(Crypto::jsonMinify($pretty), $r->body());
        self::assertStringContainsString("send the result's body", $r->explain()['body_form']);
        self::assertNull($s->sign('POST', '/v', (string) $r->body(), 'tok', 1)->body());
        $big = '{ "note": "' . str_repeat('x', 3 * 4096) . '" }';
        $r = $s->sign('POST', '/v', $big, 'tok', explain: true);
        self::assertSame(Crypto::jsonMinify($big), $r->body(), 'a result larger than the buffer, from one signing');
        self::assertStringEndsWith(':' . hash('sha256', (string) $r->body()) . ':' . $r->get('X-TIMESTAMP'), $r->explain()['string_to_sign']);
    }

    public function testVerifyRoundTripAndTamper(): void
    {
        $s = new Signer(['profile' => 'paynet-reports', 'client_id' => 'c', 'client_secret' => 'sec']);
        $r = $s->sign('GET', '/r', '', null, 1_700_000_000_000);
        self::assertSame(hash_hmac('sha256', '1700000000', 'sec'), $r->get('X-Signature'));
        self::assertTrue($s->verify('GET', '/r', '', null, '1700000000', (string) $r->get('X-Signature')));
        self::assertTrue($s->verify('GET', '/r', '', null, '1700000000', strtoupper((string) $r->get('X-Signature'))));
        self::assertFalse($s->verify('GET', '/r', '', null, '1700000001', (string) $r->get('X-Signature')));
        self::assertSame('paynet-reports', $s->profile());
    }

    public function testRsaProfilesRefuseVerifyAndSnapSignsTokenRequests(): void
    {
        $s = new Signer(['profile' => 'snap', 'client_id' => 'cid', 'client_secret' => 's', 'private_key' => self::key()]);
        try {
            (new Signer(['profile' => 'paynet-jws', 'client_id' => 'c', 'private_key' => self::key()]))->verify('GET', '/', '', null, '1', 'x');
            self::fail('verify on an RSA scheme');
        } catch (SigningException $e) {
            self::assertSame('PAYAUTH_UNSUPPORTED', $e->getStatusName());
        }
        $r = $s->tokenHeaders(0, '2024-01-01T10:00:00+07:00');
        openssl_sign('cid|2024-01-01T10:00:00+07:00', $sig, self::key(), OPENSSL_ALGO_SHA256);
        self::assertSame(base64_encode($sig), $r->get('X-SIGNATURE'));
        $this->expectException(SigningException::class);
        (new Signer(['profile' => 'paytia', 'api_key' => 'k']))->tokenHeaders();
    }

    public function testCryptoPrimitivesEqualPhp(): void
    {
        self::assertSame(hash_hmac('sha256', 'msg', 'key'), Crypto::hmac('sha256', 'key', 'msg'));
        self::assertSame(strtoupper(hash_hmac('sha512', 'msg', 'key')), Crypto::hmac('sha512', 'key', 'msg', 'hex_upper'));
        self::assertSame(base64_encode(hash_hmac('sha512', 'msg', 'key', true)), Crypto::hmac('sha512', 'key', 'msg', 'base64'));
        self::assertSame(rtrim(strtr(base64_encode(hash_hmac('sha256', '', 'k', true)), '+/', '-_'), '='), Crypto::hmac('sha256', 'k', '', 'base64url'));
        self::assertTrue(Crypto::hmacVerify('sha256', 'key', 'msg', strtoupper(hash_hmac('sha256', 'msg', 'key'))));
        self::assertFalse(Crypto::hmacVerify('sha256', 'key', 'msg!', hash_hmac('sha256', 'msg', 'key')));
        $big = str_repeat("\0\xff", 40000);
        self::assertSame(hash('sha256', $big), Crypto::sha256Hex($big));
        self::assertSame(hash('sha256', ''), Crypto::sha256Hex(''));
        openssl_sign("a\0b", $sig, self::key(), OPENSSL_ALGO_SHA512);
        self::assertSame(base64_encode($sig), Crypto::rsaSign('sha512', self::key(), "a\0b"));
        self::assertSame('{"a":[1,2.50],"b":"x \" y"}', Crypto::jsonMinify(" {\"a\" : [ 1 ,\n 2.50 ], \"b\": \"x \\\" y\" } "));
    }

    public function testSecretsStayOutOfMessagesTracesAndDumps(): void
    {
        try {
            new Signer(self::NETZME + ['bogus_field' => 1]);
            self::fail('unknown field accepted');
        } catch (ConfigException $e) {
            self::assertSame('PAYAUTH_CONFIG_INVALID_FIELD', $e->getStatusName());
            self::assertStringNotContainsString(self::SECRET, $e->getMessage());
            self::assertStringNotContainsString(self::SECRET, $e->getTraceAsString());
            self::assertStringNotContainsString(self::SECRET, print_r($e->getTrace(), true));
        }
        $s = new Signer(self::NETZME);
        self::assertStringNotContainsString(self::SECRET, print_r($s, true));
        ob_start();
        var_dump($s);
        self::assertStringNotContainsString(self::SECRET, (string) ob_get_clean());
        $r = (new Signer(['profile' => 'paytia', 'api_key' => self::SECRET]))->sign('GET', '/', '', 'access-tok');
        self::assertSame(self::SECRET, $r->get('X-API-KEY'));
        ob_start();
        var_dump($r);
        $dump = (string) ob_get_clean() . print_r($r, true);
        self::assertStringNotContainsString(self::SECRET, $dump);
        self::assertStringNotContainsString('access-tok', $dump);
        self::assertStringContainsString('X-API-KEY: [' . strlen(self::SECRET) . ' bytes]', $dump);
    }
}
