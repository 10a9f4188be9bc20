<?php

declare(strict_types=1);

namespace PayAuth\Internal;

use FFI\CData;
use PayAuth\ClosedException;

/**
 * Ownership of a native signer or client: freed by close() (idempotent) or on destruction; not
 * clonable or serialisable; var_dump() shows no secret.
 *
 * @internal
 */
abstract class Handle
{
    protected ?CData $handle = null;

    abstract protected function free(CData $h): void;

    /** @param array<string, mixed>|string $config */
    protected function open(string $new, string $type, #[\SensitiveParameter] array|string $config): void
    {
        $n = Native::get();
        $json = Native::json($config);
        $out = $n->ffi->new($type);
        $rc = $n->ffi->$new($json, \strlen($json), \FFI::addr($out), $n->err);
        if ($rc !== 0) {
            throw $n->failure($rc);
        }
        $this->handle = $out;
    }

    protected function live(): CData
    {
        return $this->handle ?? throw ClosedException::of(static::class);
    }

    /** True until close(). */
    public function isOpen(): bool
    {
        return $this->handle !== null;
    }

    /** Frees the native object (secrets wiped); a second close() does nothing. */
    public function close(): void
    {
        if ($this->handle !== null) {
            $h = $this->handle;
            $this->handle = null;
            $this->free($h);
        }
    }

    public function __destruct()
    {
        $this->close();
    }

    private function __clone()
    {
    }

    /** @return array<string, mixed> never the configuration or its secrets */
    public function __debugInfo(): array
    {
        return ['profile' => $this->handle !== null ? $this->profile() : null, 'open' => $this->handle !== null];
    }

    abstract public function profile(): string;

    /** @return array<mixed> */
    public function __serialize(): array
    {
        throw new \LogicException(static::class . ' cannot be serialized');
    }

    /** @param array<mixed> $data */
    public function __unserialize(array $data): void
    {
        throw new \LogicException(static::class . ' cannot be unserialized');
    }
}
