<?php

declare(strict_types=1);

namespace PayAuth;

/** The token endpoint failed (status 4xx: network, timeout, TLS, HTTP status, bad response, rejected credentials, rate limit, backoff). */
class GatewayException extends PayAuthException
{
}
