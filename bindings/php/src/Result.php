<?php

declare(strict_types=1);

namespace PayAuth;

/**
 * One signed request: the headers in sending order, the body to send when the signature covers
 * other bytes than the body given (a minified JSON body), and the explain artifacts when asked
 * for (secrets shown as `[field, N bytes]`). Decoded in one pass from the library's result
 * (format: `payauth_signer_sign_packed` in payauth.h). Iterating gives name => value;
 * var_dump() shows no header value (they carry tokens and API keys).
 *
 * @implements \IteratorAggregate<string, string>
 */
final class Result implements \Countable, \IteratorAggregate
{
    /** @var list<string> name, value, name, value, ... */
    private array $flat;
    private ?string $body = null;
    /** @var array<string, string> */
    private array $explain = [];

    public function __construct(#[\SensitiveParameter] string $data)
    {
        $i = \strpos($data, "\x01");
        $head = $i === false ? $data : \substr($data, 0, $i);
        $this->flat = $head === '' ? [] : \explode("\0", $head);
        if ($i !== false) {
            $this->sections($data, $i + 1);
        }
    }

    private function sections(string $data, int $at): void
    {
        $chunk = static function () use ($data, &$at): string {
            $n = \unpack('V', $data, $at)[1];
            $at += 4 + $n;
            return \substr($data, $at - $n, $n);
        };
        while ($at < \strlen($data)) {
            $tag = $data[$at++];
            if ($tag === 'B') {
                $this->body = $chunk();
            } else {
                $count = \unpack('V', $data, $at)[1];
                $at += 4;
                for ($k = 0; $k < $count; $k++) {
                    $name = $chunk();
                    $this->explain[$name] = $chunk();
                }
            }
        }
    }

    /**
     * The headers as name => value, in sending order (names are unique in every profile).
     *
     * @return array<string, string>
     */
    public function headers(): array
    {
        $map = [];
        for ($i = 0, $n = \count($this->flat); $i < $n; $i += 2) {
            $map[$this->flat[$i]] = $this->flat[$i + 1];
        }
        return $map;
    }

    /** @return list<array{0: string, 1: string}> the headers as [name, value] pairs */
    public function pairs(): array
    {
        return \array_chunk($this->flat, 2);
    }

    /** @return list<string> "Name: value" lines (CURLOPT_HTTPHEADER, a stream context's header) */
    public function lines(): array
    {
        $lines = [];
        for ($i = 0, $n = \count($this->flat); $i < $n; $i += 2) {
            $lines[] = $this->flat[$i] . ': ' . $this->flat[$i + 1];
        }
        return $lines;
    }

    /** The headers as one "Name: value\r\n" block. */
    public function text(): string
    {
        $lines = $this->lines();
        return $lines === [] ? '' : \implode("\r\n", $lines) . "\r\n";
    }

    /** The value of the first header named $name (ASCII case-insensitive), or null. */
    public function get(string $name): ?string
    {
        for ($i = 0, $n = \count($this->flat); $i < $n; $i += 2) {
            if (\strcasecmp($this->flat[$i], $name) === 0) {
                return $this->flat[$i + 1];
            }
        }
        return null;
    }

    /** The body to send instead of the one given, or null: send your body as it is. */
    public function body(): ?string
    {
        return $this->body;
    }

    /** @return array<string, string> the explain artifacts (empty unless asked for) */
    public function explain(): array
    {
        return $this->explain;
    }

    public function count(): int
    {
        return \intdiv(\count($this->flat), 2);
    }

    /** @return \Generator<string, string> */
    public function getIterator(): \Generator
    {
        yield from $this->headers();
    }

    /** @return array<string, mixed> header names and value sizes only */
    public function __debugInfo(): array
    {
        $headers = [];
        foreach ($this->pairs() as [$name, $value]) {
            $headers[] = $name . ': [' . \strlen($value) . ' bytes]';
        }
        return ['headers' => $headers, 'body' => $this->body === null ? null : \strlen($this->body) . ' bytes', 'explain' => $this->explain];
    }
}
