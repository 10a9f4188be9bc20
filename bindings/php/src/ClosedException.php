<?php

declare(strict_types=1);

namespace PayAuth;

/**
 * A handle was used after close() (or closed twice). Its status is PAYAUTH_NULL_ARGUMENT: the
 * native handle no longer exists.
 */
class ClosedException extends ArgumentException
{
    /** @param string $what the class of the closed handle, e.g. "PayAuth\Signer" */
    public static function of(string $what): self
    {
        $status = Library::constant('PAYAUTH_NULL_ARGUMENT');
        $name = Library::statusName($status);
        return new self("$name: $what is closed", $status, $name);
    }
}
