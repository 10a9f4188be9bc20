<?php

declare(strict_types=1);

namespace PayAuth;

/** Signing or verification failed (status 3xx: bad or small key, missing token or request field, unsupported operation, invalid JSON body). */
class SigningException extends PayAuthException
{
}
