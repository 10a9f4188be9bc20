<?php

declare(strict_types=1);

namespace PayAuth;

/**
 * The headers of one signed request, in the order they should be sent, and (when the call asked
 * for them) the explain artifacts: `string_to_sign`, `body_sha256`, `hmac_key` (secrets shown as
 * `[field, N bytes]`), ... A plain PHP value: the native result is already freed.
 *
 * Iterating gives name => value; count() is the number of headers. var_dump() shows no
 * header value (they carry tokens and API keys).
 *
 * @implements \IteratorAggregate<string, string>
 */
final class Result implements \Countable, \IteratorAggregate
{
    /** @var array<string, string>|null name => value, parsed on first use of headers() */
    private ?array $map = null;

    /**
     * @param string $text the header block, "Name: value\r\n" per header
     * @param array<string, string> $explain the explain artifacts by name
     */
    public function __construct(#[\SensitiveParameter] private readonly string $text, private readonly array $explain = [])
    {
    }

    /**
     * The headers as name => value, in sending order (names are unique in every profile; were
     * one repeated, the last value would be kept here and pairs() would list both).
     *
     * @return array<string, string>
     */
    public function headers(): array
    {
        if ($this->map === null) {
            $this->map = [];
            foreach ($this->lines() as $line) {
                $colon = strpos($line, ':') ?: throw self::malformed();
                $this->map[substr($line, 0, $colon)] = substr($line, $colon + 2);
            }
        }
        return $this->map;
    }

    /**
     * The headers as [name, value] pairs, in sending order.
     *
     * @return list<array{0: string, 1: string}>
     */
    public function pairs(): array
    {
        $pairs = [];
        foreach ($this->lines() as $line) {
            $colon = strpos($line, ':') ?: throw self::malformed();
            $pairs[] = [substr($line, 0, $colon), substr($line, $colon + 2)];
        }
        return $pairs;
    }

    /**
     * "Name: value" lines, e.g. for a stream context's `http.header` option or CURLOPT_HTTPHEADER.
     *
     * @return list<string>
     */
    public function lines(): array
    {
        return $this->text === '' ? [] : explode("\r\n", substr($this->text, 0, -2));
    }

    /** The raw header block, "Name: value\r\n" per header. */
    public function text(): string
    {
        return $this->text;
    }

    /** The value of the first header named $name (ASCII case-insensitive), or null. */
    public function get(string $name): ?string
    {
        foreach ($this->pairs() as [$n, $v]) {
            if (strcasecmp($n, $name) === 0) {
                return $v;
            }
        }
        return null;
    }

    /**
     * The explain artifacts (empty unless the call passed explain: true).
     *
     * @return array<string, string>
     */
    public function explain(): array
    {
        return $this->explain;
    }

    /** The number of headers. */
    public function count(): int
    {
        return substr_count($this->text, "\r\n");
    }

    /** @return \Generator<string, string> */
    public function getIterator(): \Generator
    {
        foreach ($this->pairs() as [$name, $value]) {
            yield $name => $value;
        }
    }

    /**
     * var_dump()/print_r() show header names and value sizes only: values carry access tokens
     * and API keys (Paytia's X-API-KEY, Azupay's Authorization). Explain artifacts never hold
     * a secret, so they are shown.
     *
     * @return array<string, mixed>
     */
    public function __debugInfo(): array
    {
        $headers = [];
        foreach ($this->pairs() as [$name, $value]) {
            $headers[] = $name . ': [' . strlen($value) . ' bytes]';
        }
        return ['headers' => $headers, 'explain' => $this->explain];
    }

    private static function malformed(): PayAuthException
    {
        return new PayAuthException('payauth: malformed header block in the native result');
    }
}
