<?php

declare(strict_types=1);

namespace PayAuth;

/**
 * Any payauth failure. `getCode()` is the library status code (e.g. 203), `getStatusName()` its
 * identifier (e.g. "PAYAUTH_CONFIG_INVALID_FIELD"), and the message is
 * "<STATUS_NAME>: <detailed message>". Messages never contain secrets.
 *
 * Subclasses by status group (`payauth_status_group`, the same mapping in every binding):
 * {@see ArgumentException} (argument), {@see ConfigException} (config), {@see SigningException}
 * (signing), {@see GatewayException} (token), {@see ClosedException} (a closed handle was used).
 */
class PayAuthException extends \RuntimeException
{
    private string $statusName;

    /**
     * @param string $message the full message
     * @param int $status the library status code (0 when the failure is not a library status)
     * @param string $statusName the status identifier ("" when $status is 0)
     */
    public function __construct(string $message, int $status = 0, string $statusName = '', ?\Throwable $previous = null)
    {
        parent::__construct($message, $status, $previous);
        $this->statusName = $statusName;
    }

    /**
     * The exception for a library status and its detailed message, of the subclass of the
     * status group.
     */
    public static function fromStatus(int $status, string $detail): self
    {
        $name = Library::statusName($status);
        $message = $name . ': ' . ($detail !== '' ? $detail : Library::statusDescription($status));
        return match (Library::ffi()->payauth_status_group($status)) {
            1 => new ArgumentException($message, $status, $name),
            2 => new ConfigException($message, $status, $name),
            3 => new SigningException($message, $status, $name),
            4 => new GatewayException($message, $status, $name),
            default => new self($message, $status, $name),
        };
    }

    /** The status identifier, e.g. "PAYAUTH_CONFIG_JSON" ("" if not a library status). */
    public function getStatusName(): string
    {
        return $this->statusName;
    }
}
