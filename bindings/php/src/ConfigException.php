<?php

declare(strict_types=1);

namespace PayAuth;

/** The configuration was rejected (status 2xx: bad JSON, unknown profile, missing or invalid field, unreadable secret source). */
class ConfigException extends PayAuthException
{
}
