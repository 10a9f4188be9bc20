<?php

/**
 * opcache.preload script: declares the FFI scope "PAYAUTH" (FFI::load of the header with its
 * FFI_SCOPE / FFI_LIB defines) and preloads the PayAuth classes, so that php-fpm can run with
 * `ffi.enable=preload` (the default) and skip parsing the header on every request.
 *
 *   opcache.enable=1
 *   opcache.preload=/path/to/bindings/php/preload.php
 *   opcache.preload_user=www-data
 *
 * The library is found as at run time (PAYAUTH_LIBRARY, lib/libpayauth.so, then the system
 * path), read at preload time: set PAYAUTH_LIBRARY in the environment of the php-fpm master.
 */

declare(strict_types=1);

require __DIR__ . '/autoload.php';

\PayAuth\Library::preload();

foreach (glob(__DIR__ . '/src/{,*/}*.php', GLOB_BRACE) ?: [] as $file) {
    $class = 'PayAuth\\' . str_replace('/', '\\', substr($file, strlen(__DIR__ . '/src/'), -4));
    class_exists($class) || interface_exists($class);
}
