<?php

declare(strict_types=1);

namespace PayAuth\Tests\Support;

/**
 * The loopback gateway emulator started by scripts/with-emulator.sh (PAYAUTH_GATEWAY,
 * PAYAUTH_CA_FILE): client configurations with its credentials, HTTPS requests over PHP
 * streams, and its control API (/_emulator/stats, fault, ttl, clear-faults).
 */
final class Gateway
{
    /** Token endpoint path of each profile that has one (emulator/src/profile.rs). */
    public const TOKEN_PATHS = [
        'paynet' => '/auth/token',
        'paynet-reports' => '/token',
        'netzme' => '/oauth/merchant/accesstoken',
        'netzme-snap' => '/netzme-snap/api/v1/access-token/b2b',
        'snap' => '/snap/api/v1.0/access-token/b2b',
        'azupay' => '/oauth2/token',
        'paytia' => '/api/authorize',
    ];

    /** Every profile, paynet-jws (no token endpoint) included. */
    public const PROFILES = ['paynet', 'paynet-reports', 'paynet-jws', 'netzme', 'netzme-snap', 'snap', 'azupay', 'paytia'];

    /** @var array<string, mixed>|null */
    private static ?array $config = null;

    public static function url(): string
    {
        return self::env('PAYAUTH_GATEWAY');
    }

    public static function caFile(): string
    {
        return self::env('PAYAUTH_CA_FILE');
    }

    /**
     * A client configuration for $profile with the emulator's credentials and a fresh cache
     * directory, plus $overrides.
     *
     * @param array<string, mixed> $overrides
     * @return array<string, mixed>
     */
    public static function clientConfig(string $profile, array $overrides = []): array
    {
        $all = self::$config ??= self::json('GET', '/_emulator/config');
        $c = $all[str_replace('-', '_', $profile)];
        $key = $c['private_key_file'] ?? null;
        $v = match ($profile) {
            'paynet', 'paynet-reports', 'netzme' => ['client_id' => $c['client_id'], 'client_secret' => $c['client_secret']],
            'paynet-jws' => ['client_id' => $c['client_id'], 'private_key_file' => $key] + ($c['jws_key'] !== null ? ['jws_key' => $c['jws_key']] : []),
            'netzme-snap', 'snap' => ['client_id' => $c['client_id'], 'client_secret' => $c['client_secret'], 'private_key_file' => $key],
            'azupay', 'paytia' => ['api_key' => $c['api_key'], 'client_id' => $c['client_id'], 'client_secret' => $c['client_secret']],
        };
        $v = ['profile' => $profile] + $v + [
            'ca_file' => self::caFile(),
            'connect_timeout_ms' => 2000,
            'timeout_ms' => 3000,
            'cache' => ['dir' => TempDir::make('cache')],
        ];
        if (isset(self::TOKEN_PATHS[$profile])) {
            $v['token_url'] = self::url() . self::TOKEN_PATHS[$profile];
        }
        return array_replace($v, $overrides);
    }

    /** A secret of $profile's emulator credentials (to check it never leaks). */
    public static function secret(string $profile): string
    {
        $all = self::$config ??= self::json('GET', '/_emulator/config');
        $c = $all[str_replace('-', '_', $profile)];
        return $c['client_secret'] ?? $c['api_key'];
    }

    /**
     * Sends a request to the emulator.
     *
     * @param list<string> $headers "Name: value" lines
     * @return array{0: int, 1: string} the HTTP status and the body
     */
    public static function send(string $method, string $path, array $headers = [], string $body = ''): array
    {
        $context = stream_context_create([
            'http' => [
                'method' => $method,
                'header' => $headers,
                'content' => $body,
                'ignore_errors' => true,
                'timeout' => 10,
                'follow_location' => 0,
            ],
            'ssl' => ['cafile' => self::caFile(), 'verify_peer' => true, 'verify_peer_name' => true],
        ]);
        $text = @file_get_contents(self::url() . $path, false, $context);
        /** @var list<string> $http_response_header */
        $status = isset($http_response_header[0]) && preg_match('#^HTTP/\S+ (\d{3})#', $http_response_header[0], $m) ? (int) $m[1] : 0;
        return [$status, $text === false ? '' : $text];
    }

    /** The emulator's counters of $profile (or the top-level counter $profile when not one). */
    public static function counter(string $profile, string $name): int
    {
        $stats = self::json('GET', '/_emulator/stats');
        return (int) ($stats['profiles'][$profile][$name] ?? throw new \RuntimeException("no counter $profile.$name"));
    }

    /** @return array<string, mixed> every counter */
    public static function stats(): array
    {
        return self::json('GET', '/_emulator/stats');
    }

    /**
     * Calls a control endpoint, e.g. control('fault', ['endpoint' => 'paynet', 'fault' => 'status', 'status' => 503]).
     *
     * @param array<string, mixed>|null $body
     */
    public static function control(string $name, ?array $body = null): void
    {
        [$status, $text] = self::send('POST', "/_emulator/$name", ['Content-Type: application/json'], $body === null ? '' : json_encode($body, JSON_THROW_ON_ERROR));
        if ($status !== 200) {
            throw new \RuntimeException("control $name: HTTP $status $text");
        }
    }

    /** @return array<string, mixed> */
    private static function json(string $method, string $path): array
    {
        [$status, $text] = self::send($method, $path);
        if ($status !== 200) {
            throw new \RuntimeException("emulator $path: HTTP $status");
        }
        return json_decode($text, true, 64, JSON_THROW_ON_ERROR);
    }

    private static function env(string $name): string
    {
        $v = getenv($name);
        if (!is_string($v) || $v === '') {
            throw new \RuntimeException("$name is not set: run through bindings/php/test.sh under scripts/with-emulator.sh");
        }
        return $v;
    }
}
