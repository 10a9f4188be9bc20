<?php

declare(strict_types=1);

namespace PayAuth\Tests;

use PayAuth\Client;
use PayAuth\GatewayException;
use PayAuth\Tests\Support\Gateway;
use PHPUnit\Framework\TestCase;

/**
 * The client against the loopback HTTPS emulator: tokens fetched once and cached, signed
 * requests accepted by the emulator's own verifier (sent with PHP streams), tampering rejected,
 * compare-and-invalidate, faults as GatewayException. Counters are compared before/after,
 * since other suites share the emulator.
 */
final class ClientTest extends TestCase
{
    private const BODY = '{"amount":{"value":"10.00","currency":"MYR"},"note":"caf\u00e9 \u65e5"}';

    /** @return array<string, array{string}> every profile the emulator serves */
    public static function profiles(): array
    {
        return array_combine(Gateway::profiles(), array_map(static fn (string $p): array => [$p], Gateway::profiles()));
    }

    /** @dataProvider profiles */
    public function testSignedRequestsAreAcceptedWithOneToken(string $profile): void
    {
        $before = Gateway::stats()['profiles'][$profile];
        $client = new Client(Gateway::clientConfig($profile));
        $path = "/echo/$profile/v1/pay?ref=A1&x=2";
        $r = $client->signRequest('POST', $path, self::BODY, ...Gateway::perRequest($profile));
        self::assertSame(200, Gateway::send('POST', $path, $r->lines(), self::BODY)[0], "$profile POST: " . $r->text());
        if (!in_array($profile, ['paynet', 'paynet-reports', 'azupay', 'paytia'], true)) {
            $tampered = str_replace('10.00', '99.00', self::BODY);
            self::assertSame(401, Gateway::send('POST', $path, $r->lines(), $tampered)[0], "$profile accepted a tampered body");
        }
        $get = "/echo/$profile/v1/balance?id=7";
        $r = $client->signRequest('GET', $get, '', ...Gateway::perRequest($profile));
        self::assertSame(200, Gateway::send('GET', $get, $r->lines())[0], "$profile GET");
        $after = Gateway::stats()['profiles'][$profile];
        self::assertSame(2, $after['echo_ok'] - $before['echo_ok']);
        if (Gateway::hasTokenEndpoint($profile)) {
            self::assertSame(1, $after['token_requests'] - $before['token_requests'], "$profile: one token for both requests");
            self::assertSame(1, $client->stats()['fetches']);
        }
        $client->close();
    }

    public function testInvalidateEvictsOnlyTheRejectedToken(): void
    {
        $client = new Client(Gateway::clientConfig('paynet'));
        $before = Gateway::counter('paynet', 'token_requests');
        $first = (string) $client->signRequest('GET', '/echo/paynet/x')->get('Authorization');
        self::assertStringStartsWith('Bearer ', $first);
        self::assertTrue($client->invalidate($first), 'the cached token is evicted');
        self::assertFalse($client->invalidate($first), 'a second 401 for the same token evicts nothing');
        $second = (string) $client->signRequest('GET', '/echo/paynet/x')->get('Authorization');
        self::assertNotSame($first, $second);
        self::assertFalse($client->invalidate(substr($first, 7)), 'the bare old token no longer matches');
        self::assertSame($second, $client->signRequest('GET', '/echo/paynet/x')->get('Authorization'));
        self::assertSame(2, Gateway::counter('paynet', 'token_requests') - $before);
        $stats = $client->stats();
        self::assertSame(2, $stats['fetches']);
        self::assertGreaterThanOrEqual(1, $stats['hits']);
        self::assertSame(1, $stats['invalidations']);
    }

    public function testExplainThroughTheClient(): void
    {
        $client = new Client(Gateway::clientConfig('netzme'));
        $r = $client->signRequest('POST', '/echo/netzme/p', self::BODY, 1_700_000_000_000, explain: true);
        self::assertSame('1700000000000', $r->get('Request-Time'));
        self::assertStringContainsString('body=' . self::BODY, $r->explain()['string_to_sign']);
        self::assertStringNotContainsString(Gateway::secret('netzme'), implode("\n", $r->explain()));
    }

    public function testGatewayFailuresAreExceptionsWithoutSecrets(): void
    {
        $cases = [
            [['fault' => 'status', 'status' => 503], 'PAYAUTH_HTTP_STATUS'],
            [['fault' => 'malformed'], 'PAYAUTH_TOKEN_RESPONSE_INVALID'],
            [['fault' => 'reset'], 'PAYAUTH_NETWORK'],
            [['fault' => 'redirect', 'location' => 'https://127.0.0.1:1/elsewhere'], 'PAYAUTH_REDIRECT_REFUSED'],
            [['fault' => 'invalid_credentials'], 'PAYAUTH_CREDENTIALS_REJECTED'],
        ];
        try {
            foreach ($cases as [$fault, $want]) {
                Gateway::control('clear-faults');
                Gateway::control('fault', ['endpoint' => 'paynet', 'times' => 1] + $fault);
                $client = new Client(Gateway::clientConfig('paynet', ['timeout_ms' => 1500]));
                try {
                    $client->signRequest('GET', '/echo/paynet/x');
                    self::fail("{$fault['fault']}: no exception");
                } catch (GatewayException $e) {
                    self::assertSame($want, $e->getStatusName(), $e->getMessage());
                    self::assertStringNotContainsString(Gateway::secret('paynet'), $e->getMessage());
                }
            }
            // Rejected credentials are not hammered: the next calls fail fast without a request.
            $before = Gateway::counter('paynet', 'token_requests');
            try {
                $client->signRequest('GET', '/echo/paynet/x');
                self::fail('no backoff');
            } catch (GatewayException $e) {
                self::assertSame('PAYAUTH_BACKOFF', $e->getStatusName());
            }
            self::assertSame($before, Gateway::counter('paynet', 'token_requests'));
        } finally {
            Gateway::control('clear-faults');
        }
        // An untrusted certificate (no ca_file) is a TLS error.
        $config = Gateway::clientConfig('paynet');
        unset($config['ca_file']);
        try {
            (new Client($config))->signRequest('GET', '/echo/paynet/x');
            self::fail('untrusted certificate accepted');
        } catch (GatewayException $e) {
            self::assertSame('PAYAUTH_TLS', $e->getStatusName(), $e->getMessage());
        }
    }
}
