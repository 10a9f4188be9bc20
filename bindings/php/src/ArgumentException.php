<?php

declare(strict_types=1);

namespace PayAuth;

/** An argument was rejected (status 1xx: NULL, invalid UTF-8, bad value, not found). */
class ArgumentException extends PayAuthException
{
}
