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
    /** @var array<string, array<string, mixed>>|null the emulator's per-profile table */
    private static ?array $clients = null;

    /**
     * The emulator's per-profile table (`GET /_emulator/clients`): each profile's client
     * configuration fields, token path (null without one) and the per-request inputs it needs,
     * so that these tests keep no per-profile lists.
     *
     * @return array<string, array<string, mixed>>
     */
    public static function clients(): array
    {
        if (self::$clients === null) {
            self::$clients = [];
            foreach (self::json('GET', '/_emulator/clients')['profiles'] as $row) {
                self::$clients[$row['profile']] = $row;
            }
        }
        return self::$clients;
    }

    /** @return list<string> every profile the emulator serves */
    public static function profiles(): array
    {
        return array_keys(self::clients());
    }

    public static function hasTokenEndpoint(string $profile): bool
    {
        return self::clients()[$profile]['token_path'] !== null;
    }

    /**
     * The typed per-request inputs $profile needs, as Signer::sign()/Client::signRequest() named
     * arguments (e.g. paynet-jws: messageId).
     *
     * @return array<string, string>
     */
    public static function perRequest(string $profile): array
    {
        $out = [];
        foreach (self::clients()[$profile]['per_request'] as $k => $v) {
            $out[lcfirst(str_replace('_', '', ucwords($k, '_')))] = $v;
        }
        return $out;
    }

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
        $row = self::clients()[$profile];
        $v = $row['config'] + [
            'ca_file' => self::caFile(),
            'connect_timeout_ms' => 2000,
            'timeout_ms' => 3000,
            'cache' => ['dir' => TempDir::make('cache')],
        ];
        if ($row['token_path'] !== null) {
            $v['token_url'] = self::url() . $row['token_path'];
        }
        return array_replace($v, $overrides);
    }

    /** A secret of $profile's emulator credentials (to check it never leaks). */
    public static function secret(string $profile): string
    {
        $c = self::clients()[$profile]['config'];
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
